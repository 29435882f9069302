"""Changes to a comment other than a moderator's decision: editor's picks, closing an article's
comments, and readers editing or deleting their own comments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from dateline.news.models import ArticlePage

from ..bodies import comment_body_render
from ..errors import NotAllowed
from ..models import Comment
from ..screening import REFUSE, ScreenContext, Submission, screen
from ..text import body_fingerprint, normalise_text
from .audit import comment_event, comment_log
from .decisions import STATUS_ACTION, comment_moderate, comments_decide
from .effects import article_changed, articles_changed
from .posting import comment_name_stored, scores_of
from .site import comment_policy_for, comment_settings_for


def comment_feature(*, comment: Comment, featured: bool, actor: Any = None) -> Comment:
    """Make the comment an Editor's pick (shown first), or stop it being one."""
    with transaction.atomic():
        comment.featured_at = timezone.now() if featured else None
        Comment.objects.filter(pk=comment.pk).update(featured_at=comment.featured_at)
        comment_log(
            [
                comment_event(
                    comment=comment,
                    action="feature" if featured else "unfeature",
                    from_status=comment.status,
                    actor=actor,
                )
            ]
        )
        article_changed(comment.article_id, listings=False)
    return comment


def article_comments_set_status(*, article: ArticlePage, status: str, actor: Any = None) -> None:
    """Close or reopen comments on an article without publishing a new revision of it.

    The live row and the latest revision both change, so a later publish keeps the choice.
    """
    if status not in ArticlePage.CommentStatus.values:
        raise ValueError(status)
    with transaction.atomic():
        ArticlePage.objects.filter(pk=article.pk).update(comment_status=status)
        revision = article.latest_revision
        if revision is not None:
            revision.content["comment_status"] = status
            revision.save(update_fields=["content"])
        article.comment_status = status
        article_changed(article.pk, listings=False)


# --- Readers editing their own comments -----------------------------------------------------------


def edit_window_open(comment: Comment, *, now: Any = None) -> bool:
    window = comment_settings_for(comment.article).edit_window_minutes
    return (now or timezone.now()) <= comment.created_at + timedelta(minutes=window)


def _was_published(comment: Comment, *, status: str) -> bool:
    if status == Comment.Status.APPROVED or comment.edited_at is not None:
        return True
    return comment.events.filter(to_status=Comment.Status.APPROVED).exists()


def comment_edit_by_author(*, comment: Comment, body: str) -> Comment:
    """Change the text of one's own comment within the edit window; it is screened again, so an
    approved comment that now breaks a rule goes back to the queue, and its learned-filter
    scores are those of the new text. Raises NotAllowed."""
    if not edit_window_open(comment) or comment.status in (
        Comment.Status.SPAM,
        Comment.Status.TRASH,
    ):
        raise NotAllowed("The time for editing this comment has passed.")
    body = normalise_text(body)
    article = comment.article
    submission = Submission(
        article=article,
        name=comment.author_name,
        email=comment.author_email,
        body=body,
        url=comment.author_url,
        user_id=comment.user_id,
        is_staff=comment.is_staff,
    )
    context = ScreenContext(
        settings=comment_settings_for(article),
        now=timezone.now(),
        email_key=comment.email_key,
        policy=comment_policy_for(article),
        fingerprint=body_fingerprint(body),
    )
    screening = screen(submission, context)
    if screening.status == REFUSE:
        refusal = screening.verdicts[-1]
        raise NotAllowed(refusal.reason, field="comment" if refusal.field else None)
    with transaction.atomic():
        old_status = comment.status
        comment.body = body
        comment.body_hash = body_fingerprint(body)
        comment_body_render(comment=comment)
        if _was_published(comment, status=old_status):
            # "Edited" tells readers the text changed after they could have read it; a comment
            # nobody else has seen yet is only being corrected by its author.
            comment.edited_at = timezone.now()
        # The earlier scores were the earlier text's (none when no filter scored this one).
        comment.scores = scores_of(context)
        # A published comment whose new text breaks a rule goes back to the desk: that is a
        # decision (by the rules, with the new text's scores), taken by the one service below.
        held = screening.status != Comment.Status.APPROVED and old_status == Comment.Status.APPROVED
        if held:
            comment.moderation_reasons = screening.reasons
        try:
            comment.save(
                update_fields=[
                    "body",
                    "body_hash",
                    "body_html",
                    "body_html_key",
                    "edited_at",
                    "moderation_reasons",
                    "scores",
                ]
            )
        except IntegrityError as exc:
            raise NotAllowed(
                "You have already posted this text on this article.", field="comment"
            ) from exc
        reasons = "; ".join(v.reason for v in screening.verdicts)
        comment_log(
            [
                comment_event(
                    comment=comment,
                    action="edited by author",
                    from_status=old_status,
                    reason=reasons,
                )
            ]
        )
        article_changed(comment.article_id, listings=False)
        if held:
            comments_decide(
                comments=Comment.objects.filter(pk=comment.pk),
                action=STATUS_ACTION[screening.status],
                rule=",".join(v.code for v in screening.verdicts),
                reason=reasons,
            )
            comment.status = screening.status
    return comment


def comment_delete_by_author(*, comment: Comment) -> Comment:
    """Remove one's own comment within the edit window. Replies to it stay visible."""
    if not edit_window_open(comment):
        raise NotAllowed("The time for deleting this comment has passed.")
    return comment_moderate(comment=comment, action="trash", reason="Deleted by its author.")


def comments_author_renamed(*, user_id: int, name: str) -> int:
    """The account ``user_id`` now goes by ``name``: every comment it wrote shows it (a reader
    who swaps their real name for a pseudonym leaves it on no earlier comment). Erased
    comments belong to no account and keep their placeholder. Their articles' pages are purged
    after commit. Returns how many comments changed."""
    stored = comment_name_stored(name)
    with transaction.atomic():
        renamed = Comment.objects.filter(user_id=user_id).exclude(author_name=stored)
        article_ids = set(renamed.values_list("article_id", flat=True).distinct())
        count = renamed.update(author_name=stored)
        # Listings too: the comment feeds and "latest comments" show names.
        articles_changed(article_ids=article_ids, listings=True)
    return count
