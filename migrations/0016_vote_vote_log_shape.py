from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0015_fraud_decision_votes')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='VoteLog',
            index=Index(fields=['shape_hash']),
        ),
    ]
