from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.questions import QuestionKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_jury_groups_and_shortlist')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CategoryQuestion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('models.Category', source_field='category_id', db_constraint=True, to_field='id', related_name='questions', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='SHORT_TEXT: short_text\nLONG_TEXT: long_text\nSINGLE_CHOICE: single_choice\nMULTIPLE_CHOICE: multiple_choice\nYES_NO: yes_no\nURL: url\nNUMBER: number\nFILE: file', enum_type=QuestionKind, max_length=20)),
                ('label_ar', fields.CharField(default='', max_length=300)),
                ('label_en', fields.CharField(default='', max_length=300)),
                ('help_ar', fields.TextField(default='', unique=False)),
                ('help_en', fields.TextField(default='', unique=False)),
                ('required', fields.BooleanField(default=False)),
                ('position', fields.IntField(default=0)),
                ('options', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'awards_category_question', 'app': 'models', 'indexes': [Index(fields=['category_id', 'position'])], 'pk_attr': 'id', 'table_description': "A category's own question on the nomination form (core.questions kinds, file aside:"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Nomination',
            name='answers',
            field=fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
