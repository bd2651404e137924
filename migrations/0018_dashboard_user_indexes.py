from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0017_signed_in_page_indexes')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Registration',
            index=Index(fields=['user_id']),
        ),
        ops.AddIndex(
            model_name='TeamMember',
            index=Index(fields=['user_id']),
        ),
    ]
