from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0009_awards_nomination_list_index')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ShortlistedNomination',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('models.Category', source_field='category_id', db_constraint=True, to_field='id', related_name='shortlisted', on_delete=OnDelete.CASCADE)),
                ('nomination', fields.ForeignKeyField('models.Nomination', source_field='nomination_id', db_constraint=True, to_field='id', related_name='shortlisted', on_delete=OnDelete.CASCADE)),
                ('rank', fields.IntField()),
                ('score', fields.FloatField(null=True)),
                ('citation', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'awards_shortlisted_nomination', 'app': 'models', 'unique_together': (('category', 'nomination'),), 'pk_attr': 'id', 'table_description': "A nomination on its category's shortlist, as the organizer approved it from the jury's"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Category',
            name='shortlist_approved_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Category',
            name='shortlist_round_id',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Cycle',
            name='shortlist_published_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Judge',
            name='group_key',
            field=fields.CharField(default='', max_length=100),
        ),
        ops.AddField(
            model_name='Round',
            name='group_key',
            field=fields.CharField(default='', max_length=100),
        ),
    ]
