"""A comment's body as HTML, rendered once (docs/decisions/0068-comment-html-rendered-once.md).

``render_comment_body`` (Markdown subset, then nh3) runs when a comment is written or edited;
the result is stored on the row (``Comment.body_html``) with the key it was rendered under
(``Comment.body_html_key``): the renderer's version and a digest of the body. Reading a page
of the thread uses the stored HTML. A row whose key does not match — the renderer changed, or a
write path changed the body without rendering it (an import, an erasure, a bulk load) — is
rendered again when it is next read and stored then (one UPDATE for a page's rows), or by
``manage.py comments_rerender``. The digest is why a body is never shown with another body's
HTML, whichever code wrote it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache

import markdown_it
import nh3
from django.db import DatabaseError, transaction
from django.utils.safestring import SafeString, mark_safe

from . import text
from .models import Comment

log = logging.getLogger(__name__)

# Raise when the output of render_comment_body changes in a way the versions and settings
# below do not show (a change to its code): every stored body is then rendered again.
RENDERER_REVISION = 2


@lru_cache(maxsize=1)
def renderer_version() -> str:
    """Names everything the HTML depends on: our revision, the Markdown rules, the tags and
    attributes nh3 keeps, and both libraries' versions. Eight hex digits."""
    recipe = repr(
        (
            RENDERER_REVISION,
            text._RULES,
            sorted(text._ALLOWED_TAGS),
            sorted((k, sorted(v)) for k, v in text._ALLOWED_ATTRIBUTES.items()),
            markdown_it.__version__,
            getattr(nh3, "__version__", ""),
        )
    )
    return hashlib.blake2b(recipe.encode(), digest_size=4).hexdigest()


def body_html_key(body: str) -> str:
    """The key a body's HTML is stored under: renderer version and a digest of the text."""
    digest = hashlib.blake2b(body.encode(), digest_size=12).hexdigest()
    return f"{renderer_version()}:{digest}"


def comment_body_render(*, comment: Comment) -> Comment:
    """Render ``comment.body`` into its stored fields (not saved: the caller writes the row)."""
    # markdown-it ends its output with a newline; the page needs none.
    comment.body_html = str(text.render_comment_body(comment.body)).rstrip("\n")
    comment.body_html_key = body_html_key(comment.body)
    return comment


# Past this, a comment shows its first lines and "Show the whole comment" (comments/nodes.html,
# site.css, comments.js): a 10,000-character comment is a dozen screens on a phone. A line
# break counts as the rest of a line, so a long poem folds as a long paragraph does.
FOLD_CHARS = 1_500
LINE_CHARS = 40


def comment_is_long(comment: Comment) -> bool:
    body = comment.body
    return len(body) + LINE_CHARS * body.count("\n") > FOLD_CHARS


def is_current(comment: Comment) -> bool:
    return bool(comment.body_html_key) and comment.body_html_key == body_html_key(comment.body)


def comment_body_html(comment: Comment) -> SafeString:
    """The stored HTML of ``comment``'s body; rendered now if it is missing or out of date
    (the read path calls ``comment_bodies_refresh`` first, so this only renders for comments
    it did not see, e.g. one built in memory)."""
    if not getattr(comment, "_body_html_checked", False) and not is_current(comment):
        comment_body_render(comment=comment)
    return mark_safe(comment.body_html)  # noqa: S308 (sanitised by nh3 when it was rendered)


def comment_bodies_refresh(*, comments: Iterable[Comment]) -> int:
    """Render the out-of-date bodies among ``comments`` and store them in one UPDATE. Returns
    how many there were (0 in the usual case: nothing is rendered, nothing is written)."""
    stale = []
    for comment in comments:
        if not is_current(comment):
            stale.append(comment_body_render(comment=comment))
        # Checked once: the template's filter (comment_body_html) then trusts it.
        comment._body_html_checked = True  # type: ignore[attr-defined]
    if stale:
        try:
            with transaction.atomic():
                _store(stale)
        except DatabaseError:
            # The page shows the fresh HTML either way; the next reader's request stores it.
            log.warning("could not store %d re-rendered comment bodies", len(stale), exc_info=True)
    return len(stale)


def _store(comments: list[Comment]) -> None:
    # Only the two rendered fields, in one statement. Should an edit land between the read and
    # this write, the row keeps the new body with the old body's HTML and key: the key then
    # does not match the body, so the next read renders it again (never shows it).
    Comment.objects.bulk_update(comments, ["body_html", "body_html_key"])


def comment_bodies_rerender(*, batch_size: int = 500, force: bool = False) -> Iterator[int]:
    """Render again every stored body whose key does not match it (all of them with
    ``force``), a batch at a time in id order; yields the number rendered after each batch.
    Every body is read, so a body changed without its HTML is found as well as an old
    renderer's output."""
    queryset = Comment.objects.order_by("pk").only("pk", "body", "body_html_key")
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:batch_size])
        if not batch:
            return
        last = batch[-1].pk
        stale = [c for c in batch if force or not is_current(c)]
        for comment in stale:
            comment_body_render(comment=comment)
        _store(stale)
        yield len(stale)
