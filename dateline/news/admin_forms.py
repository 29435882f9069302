"""The page editor's forms for the newsroom's page types (no model imports: models.py uses them)."""

from __future__ import annotations

from typing import Any

from wagtail.admin.forms import WagtailAdminPageForm


class ArticlePageForm(WagtailAdminPageForm):
    """The article editor. A new article starts with the writer's own author profile
    (``Author.user``) in the byline, so a reporter need not choose themselves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.for_user
        if self.is_bound or self.instance.pk is not None or user is None:
            return
        # Only the first, empty form of a new article: an explicit byline wins.
        byline = self.formsets.get("byline")
        author = getattr(user, "author_profile", None)
        if byline is not None and author is not None and not byline.initial:
            byline.initial = [{"author": author.pk}]
