from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_rate_limit_counters')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OutboxMessage',
            name='recovered_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
