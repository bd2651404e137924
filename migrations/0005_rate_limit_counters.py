from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_awards')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RateLimit',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bucket', fields.CharField(max_length=40)),
                ('key', fields.CharField(max_length=320)),
                ('started', fields.BigIntField()),
                ('count', fields.IntField()),
            ],
            options={'table': 'core_rate_limit', 'app': 'models', 'unique_together': (('bucket', 'key'),), 'pk_attr': 'id', 'table_description': 'The attempts counted for one key of one bucket, since `started` (epoch milliseconds).'},
            bases=['Model'],
        ),
        ops.DeleteModel(name='RateLimitHit'),
    ]
