"""The conversation's own marks in the Wagtail admin: staff avatars drawn as in the thread, and
the names of the decisions and bans that ``comments`` writes into Wagtail's history. The
moderators' admin (the desk, the comment listing, bans, desk assignments) is
``moderation.desk_hooks``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from .avatars import avatar_data_url
from .models import Comment
from .services import WAGTAIL_ACTIONS, email_key_for


@hooks.register("before_delete_page")
def comments_go_with_the_page(request: HttpRequest, page: Page) -> None:
    """Wagtail's "Delete" page says how many pages go with a page; the readers' conversation
    goes too (every status, the pages below it included), and unpublishing would keep it."""
    if request.method != "GET":
        return
    count = Comment.objects.filter(article__path__startswith=page.path).count()
    if count:
        messages.warning(
            request,
            ngettext(
                "Its reader comment will be deleted with it, for good. Unpublish it instead "
                "to keep the comment.",
                "Its %(count)s reader comments will be deleted with it, for good. Unpublish it "
                "instead to keep them.",
                count,
            )
            % {"count": count},
        )


@hooks.register("get_avatar_url")
def staff_avatar_url(user: Any, size: int) -> str | None:
    """A staff member's avatar in the admin: the picture their comments carry (drawn from their
    user id, as in the thread), as a data: URL, so no page asks another host (Gravatar is off:
    WAGTAIL_GRAVATAR_PROVIDER_URL). None lets Wagtail show an avatar uploaded in the account."""
    if getattr(user, "pk", None) is None:
        return None
    # A user without a profile yet has no upload (the reverse accessor raises AttributeError).
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    return avatar_data_url(email_key_for(email=user.email, user_id=user.pk))


class _DecisionFormatter(LogFormatter):
    """A decision in Wagtail's history: "Approved (was: pending): the reason". The reason is in
    the message too, because the history of a model without revisions shows no comments."""

    def format_message(self, log_entry: Any) -> str:
        data = log_entry.data or {}
        reason = data.get("reason", "")
        return f"{self.message} (was: {data.get('from', '?')})" + (f": {reason}" if reason else "")

    def format_comment(self, log_entry: Any) -> str:
        return str((log_entry.data or {}).get("reason", ""))


@hooks.register("register_log_actions")
def comment_log_actions(actions: Any) -> None:
    """Moderators' decisions and bans in Wagtail's own history (the snippet's History tab and
    Reports → Site history), next to the log the desk reads (CommentEvent)."""
    for name, label, message in WAGTAIL_ACTIONS.values():
        formatter = type("Formatter", (_DecisionFormatter,), {"label": label, "message": message})
        actions.register_action(name)(formatter)
    actions.register_action("comments.ban", "Ban commenter", "Commenter banned")
    actions.register_action("comments.ban_lift", "Lift ban", "Ban lifted")
