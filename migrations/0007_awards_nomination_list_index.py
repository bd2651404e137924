from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_outbox_recovered_at')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Nomination',
            index=Index(fields=['cycle_id', 'id']),
        ),
    ]
