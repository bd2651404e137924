from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("models", "0012_awards_final_vote")]

    initial = False

    operations = [
        ops.AddIndex(
            model_name="PublicVote",
            index=Index(fields=["category_id", "voided", "nomination_id"]),
        ),
    ]
