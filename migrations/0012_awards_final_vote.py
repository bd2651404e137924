from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from awards.tabulation import Fallback, Method
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0011_awards_category_questions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CategoryResult',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.OneToOneField('models.Category', source_field='category_id', db_constraint=True, to_field='id', related_name='result', on_delete=OnDelete.CASCADE)),
                ('outcome', fields.CharField(max_length=20)),
                ('winner', fields.ForeignKeyField('models.Nomination', source_field='winner_id', null=True, db_constraint=True, to_field='id', related_name='wins', on_delete=OnDelete.SET_NULL)),
                ('citation_ar', fields.TextField(default='', unique=False)),
                ('citation_en', fields.TextField(default='', unique=False)),
                ('report', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('counted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'awards_category_result', 'app': 'models', 'pk_attr': 'id', 'table_description': "A category's counted result as the organizer approves it: the outcome, the winner (none"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='JuryBallot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('models.Category', source_field='category_id', db_constraint=True, to_field='id', related_name='jury_ballots', on_delete=OnDelete.CASCADE)),
                ('juror', fields.ForeignKeyField('models.User', source_field='juror_id', db_constraint=True, to_field='id', related_name='jury_ballots', on_delete=OnDelete.CASCADE)),
                ('ranking', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('version', fields.IntField(default=1)),
                ('cast_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'awards_jury_ballot', 'app': 'models', 'unique_together': (('category', 'juror'),), 'pk_attr': 'id', 'table_description': "A juror's ranked ballot over a category's shortlist: `ranking` holds nomination ids from"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ResultsBundle',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.OneToOneField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='bundle', on_delete=OnDelete.CASCADE)),
                ('fingerprint', fields.CharField(max_length=64)),
                ('seed', fields.CharField(max_length=64)),
                ('data', fields.BinaryField()),
                ('built_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'awards_results_bundle', 'app': 'models', 'pk_attr': 'id', 'table_description': "A cycle's results bundle (awards.bundle): the zip kept in the database, its fingerprint"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VoteCode',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.ForeignKeyField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='vote_codes', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=64)),
                ('code_hash', fields.CharField(max_length=64)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('tries', fields.IntField(default=0)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'awards_vote_code', 'app': 'models', 'indexes': [Index(fields=['cycle_id', 'key'])], 'pk_attr': 'id', 'table_description': "A 6-digit code sent to a would-be voter's e-mail: kept as a keyed hash, valid until"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Voter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.ForeignKeyField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='voters', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=64)),
                ('verified_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'awards_voter', 'app': 'models', 'unique_together': (('cycle', 'key'),), 'pk_attr': 'id', 'table_description': 'A public voter of a cycle, known only by the keyed hash of the canonical e-mail'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PublicVote',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('models.Category', source_field='category_id', db_constraint=True, to_field='id', related_name='public_votes', on_delete=OnDelete.CASCADE)),
                ('voter', fields.ForeignKeyField('models.Voter', source_field='voter_id', db_constraint=True, to_field='id', related_name='votes', on_delete=OnDelete.CASCADE)),
                ('nomination', fields.ForeignKeyField('models.Nomination', source_field='nomination_id', db_constraint=True, to_field='id', related_name='public_votes', on_delete=OnDelete.CASCADE)),
                ('cast_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('changes', fields.IntField(default=0)),
                ('voided', fields.BooleanField(default=False)),
            ],
            options={'table': 'awards_public_vote', 'app': 'models', 'unique_together': (('category', 'voter'),), 'indexes': [Index(fields=['category_id', 'nomination_id'])], 'pk_attr': 'id', 'table_description': "A verified voter's current vote in a category (one per voter and category: the last"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FraudDecision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('models.Category', source_field='category_id', db_constraint=True, to_field='id', related_name='fraud_decisions', on_delete=OnDelete.CASCADE)),
                ('cluster', fields.CharField(default='', max_length=200)),
                ('vote', fields.ForeignKeyField('models.PublicVote', source_field='vote_id', null=True, db_constraint=True, to_field='id', related_name='decisions', on_delete=OnDelete.CASCADE)),
                ('action', fields.CharField(max_length=10)),
                ('reason', fields.CharField(max_length=40)),
                ('note', fields.TextField(default='', unique=False)),
                ('votes', fields.IntField(default=0)),
                ('decided_by', fields.ForeignKeyField('models.User', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name='fraud_decisions', on_delete=OnDelete.SET_NULL)),
                ('decided_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'awards_fraud_decision', 'app': 'models', 'indexes': [Index(fields=['category_id'])], 'pk_attr': 'id', 'table_description': "An organizer's decision on a cluster of flagged votes (`cluster`, its key) or on one vote"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VoteLog',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('models.Category', source_field='category_id', db_constraint=True, to_field='id', related_name='vote_log', on_delete=OnDelete.CASCADE)),
                ('voter', fields.ForeignKeyField('models.Voter', source_field='voter_id', db_constraint=True, to_field='id', related_name='log', on_delete=OnDelete.CASCADE)),
                ('nomination', fields.ForeignKeyField('models.Nomination', source_field='nomination_id', db_constraint=True, to_field='id', related_name='vote_log', on_delete=OnDelete.CASCADE)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('address_hash', fields.CharField(default='', max_length=64)),
                ('subnet_hash', fields.CharField(default='', max_length=64)),
                ('agent_hash', fields.CharField(default='', max_length=64)),
                ('shape_hash', fields.CharField(default='', max_length=64)),
                ('seconds_from_code', fields.IntField(null=True)),
                ('flags', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'awards_vote_log', 'app': 'models', 'indexes': [Index(fields=['category_id', 'at'])], 'pk_attr': 'id', 'table_description': 'Every public vote and change, with the signals the fraud review reads: hashes of the'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Category',
            name='fraud_review_signed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Category',
            name='jury_method',
            field=fields.CharEnumField(default=Method.IRV, description='IRV: irv\nBORDA: borda\nMODIFIED_BORDA: modified-borda\nDOWDALL: dowdall', enum_type=Method, max_length=20),
        ),
        ops.AddField(
            model_name='Category',
            name='jury_weight_percent',
            field=fields.IntField(default=50),
        ),
        ops.AddField(
            model_name='Category',
            name='no_award',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Category',
            name='no_award_reason',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='Category',
            name='partial_ballots',
            field=fields.BooleanField(default=True),
        ),
        ops.AddField(
            model_name='Category',
            name='public_void_reason',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='Category',
            name='public_voided',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Category',
            name='quorum',
            field=fields.IntField(default=3),
        ),
        ops.AddField(
            model_name='Category',
            name='quorum_fallback',
            field=fields.CharEnumField(default=Fallback.PUBLIC_ONLY, description='PUBLIC_ONLY: public-only\nNO_AWARD: no-award', enum_type=Fallback, max_length=20),
        ),
        ops.AddField(
            model_name='Cycle',
            name='results_announced_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Cycle',
            name='results_approved_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Cycle',
            name='results_publish_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
