from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0008_awards_duplicate_dismissal')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Nomination',
            index=Index(fields=['cycle_id', 'id']),
        ),
    ]
