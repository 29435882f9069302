# Section and article comment policies (issue #4 §2).

import dateline.core.wordlists
import dateline.moderation.models
import django.db.models.deletion
from django.db import migrations, models


def _override_fields():
    return [
        (
            "moderation",
            models.CharField(
                blank=True,
                choices=[
                    ("", "As the site"),
                    ("pre", "Pre-moderation: hold every comment for a moderator"),
                    ("post", "Post-moderation: publish what the rules allow"),
                ],
                default="",
                max_length=8,
            ),
        ),
        (
            "signed_in_only",
            models.CharField(
                blank=True,
                choices=[("", "As the site"), ("yes", "Yes"), ("no", "No")],
                default="",
                max_length=8,
                verbose_name="signed-in readers only",
            ),
        ),
        (
            "require_name_email",
            models.CharField(
                blank=True,
                choices=[("", "As the site"), ("yes", "Yes"), ("no", "No")],
                default="",
                max_length=8,
                verbose_name="require name and email",
            ),
        ),
        (
            "close_after_days",
            models.PositiveSmallIntegerField(
                blank=True,
                help_text="Close comments on articles older than this many days (0: never; empty: as the site).",
                null=True,
            ),
        ),
        (
            "hold_links",
            models.PositiveSmallIntegerField(
                blank=True,
                help_text="Hold a comment with this many links or more (0: never; empty: as the site).",
                null=True,
            ),
        ),
        (
            "trust_after_approved",
            models.PositiveSmallIntegerField(
                blank=True,
                help_text="Hold new commenters until this many of their comments were approved (empty: as the site).",
                null=True,
            ),
        ),
        (
            "moderation_words",
            models.TextField(
                blank=True,
                help_text="Held, in addition to the site's list (same format: one per line).",
                validators=[dateline.core.wordlists.validate_word_list],
            ),
        ),
        (
            "disallowed_words",
            models.TextField(
                blank=True,
                help_text="Marked as spam, in addition to the site's list.",
                validators=[dateline.core.wordlists.validate_word_list],
            ),
        ),
    ]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("news", "0003_articlepage_comment_count"),
    ]

    operations = [
        migrations.CreateModel(
            name="SectionPolicy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                *_override_fields(),
                (
                    "staffed_days",
                    models.CharField(
                        blank=True,
                        help_text="Days the desk moderates, like mon-fri or mon-fri,sun (empty: always staffed).",
                        max_length=40,
                        validators=[dateline.moderation.models.validate_days],
                    ),
                ),
                ("staffed_from", models.TimeField(blank=True, null=True)),
                (
                    "staffed_until",
                    models.TimeField(
                        blank=True,
                        help_text="An end before the start runs past midnight.",
                        null=True,
                    ),
                ),
                (
                    "timezone",
                    models.CharField(
                        default="Europe/London",
                        max_length=64,
                        validators=[dateline.moderation.models.validate_timezone],
                    ),
                ),
                (
                    "outside_hours",
                    models.CharField(
                        choices=[
                            ("pre", "Hold every comment until the desk is back"),
                            ("close", "Close to new comments"),
                        ],
                        default="pre",
                        max_length=8,
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="news.sectionpage",
                        unique=True,
                    ),
                ),
            ],
            options={
                "verbose_name": "section comment policy",
                "verbose_name_plural": "section comment policies",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("moderation__in", ["", "pre", "post"])),
                        name="section_policy_moderation",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("outside_hours__in", ["pre", "close"])),
                        name="section_policy_outside",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ArticlePolicy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                *_override_fields(),
                (
                    "ignore_hours",
                    models.BooleanField(
                        default=False,
                        help_text="Take comments as at staffed hours all day (a live blog with its own desk).",
                    ),
                ),
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="news.articlepage",
                    ),
                ),
            ],
            options={
                "verbose_name": "article comment policy",
                "verbose_name_plural": "article comment policies",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("moderation__in", ["", "pre", "post"])),
                        name="article_policy_moderation",
                    )
                ],
            },
        ),
    ]
