from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_events_and_judging')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EndedSession',
            fields=[
                ('sid', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('user_id', fields.IntField(db_index=True)),
                ('ended_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'accounts_ended_session', 'app': 'models', 'pk_attr': 'sid', 'table_description': 'A signed-in session that ended by signing out. Sessions live in signed cookies, so a'},
            bases=['Model'],
        ),
    ]
