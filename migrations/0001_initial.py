from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.mail.models import MailState
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('actor_id', fields.IntField(null=True, db_index=True)),
                ('actor_label', fields.CharField(default='', max_length=320)),
                ('action', fields.CharField(db_index=True, max_length=80)),
                ('object_type', fields.CharField(db_index=True, max_length=60)),
                ('object_id', fields.CharField(default='', max_length=64)),
                ('scope_type', fields.CharField(default='', max_length=30)),
                ('scope_id', fields.IntField(null=True)),
                ('before', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('after', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('request_id', fields.CharField(default='', max_length=64)),
            ],
            options={'table': 'core_audit_entry', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('recipient', fields.CharField(db_index=True, max_length=320)),
                ('locale', fields.CharField(max_length=5)),
                ('template', fields.CharField(db_index=True, max_length=100)),
                ('subject', fields.CharField(max_length=300)),
                ('body_text', fields.TextField(unique=False)),
                ('body_html', fields.TextField(default='', unique=False)),
                ('state', fields.CharEnumField(default=MailState.QUEUED, db_index=True, description='QUEUED: queued\nSENDING: sending\nSENT: sent\nFAILED: failed', enum_type=MailState, max_length=7)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('locked_by', fields.CharField(default='', max_length=64)),
                ('locked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'core_outbox_message', 'app': 'models', 'pk_attr': 'id', 'table_description': "One mail: rendered when queued (in the recipient's language), sent by the worker."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RateLimitHit',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bucket', fields.CharField(max_length=40)),
                ('key', fields.CharField(max_length=320)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'core_rate_limit_hit', 'app': 'models', 'indexes': [Index(fields=['bucket', 'key', 'at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StoredFile',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=64)),
                ('original_name', fields.CharField(max_length=255)),
                ('kind', fields.CharField(max_length=10)),
                ('content_type', fields.CharField(max_length=120)),
                ('size', fields.BigIntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('owner_id', fields.IntField(null=True, db_index=True)),
                ('purpose', fields.CharField(db_index=True, max_length=60)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'core_stored_file', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('password_hash', fields.CharField(max_length=255)),
                ('name_ar', fields.CharField(default='', max_length=200)),
                ('name_en', fields.CharField(default='', max_length=200)),
                ('organization', fields.CharField(default='', max_length=200)),
                ('job_title', fields.CharField(default='', max_length=200)),
                ('phone', fields.CharField(default='', max_length=40)),
                ('language', fields.CharField(default='ar', max_length=5)),
                ('is_admin', fields.BooleanField(default=False)),
                ('is_active', fields.BooleanField(default=True)),
                ('email_verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('session_version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'accounts_user', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Membership',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('scope_type', fields.CharField(max_length=20)),
                ('scope_id', fields.IntField()),
                ('role', fields.CharField(max_length=20)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'accounts_membership', 'app': 'models', 'unique_together': (('user', 'scope_type', 'scope_id', 'role'),), 'indexes': [Index(fields=['scope_type', 'scope_id', 'role'])], 'pk_attr': 'id', 'table_description': 'A role held by a user in one scope: an event or an award cycle.'},
            bases=['Model'],
        ),
    ]
