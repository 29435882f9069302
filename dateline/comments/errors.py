"""Why a comment, a reaction or a desk action was not carried out, with its HTTP meaning
(``core.errors.ServiceError``: status, message, ``Retry-After``)."""

from __future__ import annotations

from dateline.core.errors import ServiceError


class CommentError(ServiceError):
    """A comment cannot be accepted; ``field`` names the form field it is about, if any."""


class CommentsClosed(CommentError):
    status = 403


class ParentUnavailable(CommentError):
    field = "comment_parent"


class NotAllowed(CommentError):
    status = 403


class CommentRefused(CommentError):
    """A rule refused the comment (signed-in only, too long, …); nothing was stored. About a
    field (400) or about the commenter (403)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, field, status=400 if field else 403)


class RateLimited(CommentError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)


class FormExpired(CommentError):
    """The form's timestamp is missing, too old or was changed: the reader sends it again."""

    default_message = "This form had expired; please send it again."


class Nudged(CommentError):
    """Nothing was stored: the text may break the community guidelines, and its writer is told
    so before it is posted (docs/moderation.md, "Nudge"). ``nudge`` is said next to the text."""

    default_message = (
        "Your comment has not been posted yet. Read the note under the comment box, then post "
        "it as it is or revise it."
    )
    nudge = (
        "This comment may break our community guidelines. You can revise it, or post it as it is."
    )


class DeskError(CommentError):
    """A moderator's action at the desk cannot be carried out."""
