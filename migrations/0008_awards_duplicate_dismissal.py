from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0007_awards_nominee_profile')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DuplicateDismissal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.ForeignKeyField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='duplicate_dismissals', on_delete=OnDelete.CASCADE)),
                ('one', fields.ForeignKeyField('models.Nomination', source_field='one_id', db_constraint=True, to_field='id', related_name='dismissals_first', on_delete=OnDelete.CASCADE)),
                ('other', fields.ForeignKeyField('models.Nomination', source_field='other_id', db_constraint=True, to_field='id', related_name='dismissals_second', on_delete=OnDelete.CASCADE)),
                ('dismissed_by', fields.ForeignKeyField('models.User', source_field='dismissed_by_id', null=True, db_constraint=True, to_field='id', related_name='award_dismissals', on_delete=OnDelete.SET_NULL)),
                ('dismissed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'awards_duplicate_dismissal', 'app': 'models', 'unique_together': (('one', 'other'),), 'indexes': [Index(fields=['cycle_id'])], 'pk_attr': 'id', 'table_description': 'A pair of nominations the organizer said are not duplicates: never offered again.'},
            bases=['Model'],
        ),
    ]
