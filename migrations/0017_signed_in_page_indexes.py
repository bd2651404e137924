from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0013_judging_entry_updated_at'), ('models', '0016_vote_vote_log_shape')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Appeal',
            index=Index(fields=['nomination_id']),
        ),
        ops.AddIndex(
            model_name='Assignment',
            index=Index(fields=['judge_id']),
        ),
        ops.AddIndex(
            model_name='Judge',
            index=Index(fields=['user_id']),
        ),
        ops.AddIndex(
            model_name='NominationCredit',
            index=Index(fields=['user_id']),
        ),
        ops.AddIndex(
            model_name='ShortlistedNomination',
            index=Index(fields=['nomination_id']),
        ),
    ]
