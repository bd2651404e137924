from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_outbox_recovered_at')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Nomination',
            name='nominee_biography',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='Nomination',
            name='nominee_photo',
            field=fields.ForeignKeyField('models.StoredFile', source_field='nominee_photo_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
    ]
