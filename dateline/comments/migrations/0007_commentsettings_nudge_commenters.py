# The nudge (issue #4 §3, docs/moderation.md "Nudge"): tell a commenter before posting that the
# comment may break the community guidelines. On by default, as Coral has it; inert without a
# trained abusive-language model.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0006_comment_article_index_covered"),
    ]

    operations = [
        migrations.AddField(
            model_name="commentsettings",
            name="nudge_commenters",
            field=models.BooleanField(
                default=True,
                help_text="Before posting, tell a commenter whose comment the abusive-language filter flags that it may break the community guidelines, so they can revise it (Coral's nudge). Needs a trained abusive-language model.",
            ),
        ),
    ]
