# Rules and anti-spam guards (issue #4 §2–3): the site's rule settings and the rate counters
# used when there is no Redis.

import dateline.core.wordlists
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_desk"),
    ]

    operations = [
        migrations.AddField(
            model_name="commentsettings",
            name="premoderate",
            field=models.BooleanField(
                default=False,
                help_text="Pre-moderation: hold every comment for a moderator (WordPress: “Comment must be manually approved”).",
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="require_name_email",
            field=models.BooleanField(
                default=True,
                help_text="Readers who are not signed in must give a name and an email.",
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="signed_in_only",
            field=models.BooleanField(default=False, help_text="Only signed-in users may comment."),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="close_after_days",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Close comments on articles older than this many days (0: never).",
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="trust_after_approved",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="With “hold first comment”: publish a commenter's comments at once after this many of theirs were approved (WordPress: 1, Coral: 2).",
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="rejected_share",
            field=models.PositiveSmallIntegerField(
                default=30,
                help_text="Hold every comment of a commenter when at least this percentage of their recent moderated comments were rejected (0: never).",
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="rejected_window_days",
            field=models.PositiveSmallIntegerField(
                default=7, help_text="Days of a commenter's history the rejected share looks at."
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="repeat_window_hours",
            field=models.PositiveSmallIntegerField(
                default=24,
                help_text="Hold the same text from the same commenter on another article within this many hours (0: never).",
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="max_length",
            field=models.PositiveIntegerField(
                default=65525, help_text="The longest comment, in characters."
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="moderation_words",
            field=models.TextField(
                blank=True,
                help_text="Hold a comment containing any of these: one word or phrase per line, whole words, any case and accents; casin* for a word's start, /regex/ for a pattern.",
                validators=[dateline.core.wordlists.validate_word_list],
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="disallowed_words",
            field=models.TextField(
                blank=True,
                help_text="Mark a comment containing any of these as spam (same format).",
                validators=[dateline.core.wordlists.validate_word_list],
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="blocked_link_domains",
            field=models.TextField(
                blank=True,
                help_text="Mark a comment linking to any of these domains (one per line; subdomains included) as spam.",
                validators=[dateline.core.wordlists.validate_domain_list],
            ),
        ),
        migrations.AddField(
            model_name="commentsettings",
            name="hold_disposable_email",
            field=models.BooleanField(
                default=True, help_text="Hold comments from disposable (throwaway) email addresses."
            ),
        ),
        migrations.AddConstraint(
            model_name="commentsettings",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_length__gte", 1), ("max_length__lte", 65525)),
                name="comment_settings_max_length_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="commentsettings",
            constraint=models.CheckConstraint(
                condition=models.Q(("rejected_share__lte", 100)),
                name="comment_settings_rejected_share_range",
            ),
        ),
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=200, unique=True)),
                ("count", models.PositiveIntegerField(default=0)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
