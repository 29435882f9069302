"""What an import brought in: one row per imported thing, so a second run finds it again."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImportedObject(models.Model):
    """Maps a thing in an export file (a WordPress post, a Disqus comment, …) to our object.

    ``source`` names the system the file came from (the WordPress site's address, ``disqus``),
    so the same post id on two WordPress sites stays two posts.
    """

    class Kind(models.TextChoices):
        AUTHOR = "author", _("Author")
        CATEGORY = "category", _("Category → section")
        TAG = "tag", _("Tag")
        POST = "post", _("Post → article")
        ATTACHMENT = "attachment", _("Attachment → image")
        COMMENT = "comment", _("Comment")

    source = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind)
    source_id = models.CharField(max_length=255)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="imported_object_once"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["author", "category", "tag", "post", "attachment", "comment"]
                ),
                name="imported_object_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} → {self.object_id}"
