"""The newsroom's additions to Wagtail's page editor."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.forms.utils import to_current_timezone
from django.http import HttpRequest
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import UserObjectsInWorkflowModerationPanel
from wagtail.admin.widgets import AdminDateTimeInput

from .models import ArticlePage
from .selectors import NewsroomDesk, author_profile_of, newsroom_desk, page_scheduled_go_live
from .services import author_profile_ensure

# The site's own date format (news/includes/time.html), so the newsroom reads one format.
NEWSROOM_DATETIME_FORMAT = "j F Y, H:i T"


def newsroom_time(value: datetime) -> str:
    """``value`` in the newsroom's time zone (settings.TIME_ZONE), whatever the editor's own:
    "7 December 2026, 09:00 UTC"."""
    local = timezone.localtime(value, ZoneInfo(settings.TIME_ZONE))
    return date_format(local, NEWSROOM_DATETIME_FORMAT)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_when_a_scheduled_page_goes_live(request: HttpRequest, page: Any) -> None:
    """After "Approve and Publish" or "Publish" with a go-live time to come, Wagtail says only
    "has been updated" (or "scheduled for publishing", without a time): say what will happen
    and when, in place of that message."""
    if request.method != "POST" or not request.accepts("text/html"):
        return  # autosave and other script requests show no messages
    go_live_at = page_scheduled_go_live(page_id=page.pk)
    if go_live_at is None:
        return
    title = page.get_admin_display_title()
    when = newsroom_time(go_live_at)
    if page.live:
        text = _(
            "This version of ‘%(title)s’ is scheduled to go live on %(when)s; until then readers "
            "see the published version."
        ) % {"title": title, "when": when}
    else:
        text = _(
            "‘%(title)s’ is scheduled to go live on %(when)s; until then readers cannot see it."
        ) % {"title": title, "when": when}
    # Wagtail's own confirmation of this request names the page (its title, HTML-escaped):
    # drop it, keep every other message.
    storage = messages.get_messages(request)
    kept = [
        message
        for message in storage
        if not (message.level == messages.SUCCESS and escape(title) in str(message.message))
    ]
    for message in kept:
        messages.add_message(request, message.level, message.message, extra_tags=message.extra_tags)
    messages.success(request, text)


SCHEDULE_FIELDS = ("go_live_at", "expire_at")


@hooks.register("before_edit_page")
def autosave_keeps_the_confirmed_schedule(request: HttpRequest, page: Any) -> None:
    """Autosave never changes a publishing schedule. The schedule dialog's fields are part of
    the edit form, so Wagtail's autosave (a script request that asks for JSON) would store a
    go-live or expiry time the editor typed but never confirmed with "Save schedule", and a
    later "Publish" would act on it. Here an autosave carries the times of the latest revision
    instead of the dialog's; a save the editor makes (Save schedule, Save draft, Publish)
    carries what the dialog holds."""
    if request.method != "POST" or request.accepts("text/html"):
        return
    post = request.POST.copy()
    widget = AdminDateTimeInput()
    for name in SCHEDULE_FIELDS:
        if name not in post:
            continue
        confirmed = getattr(page, name, None)
        # As the editor's form shows it: in their time zone, in the admin's input format.
        post[name] = (
            "" if confirmed is None else str(widget.format_value(to_current_timezone(confirmed)))
        )
    request.POST = post  # type: ignore[assignment]


@hooks.register("before_create_page")
def autosave_of_a_new_page_schedules_nothing(
    request: HttpRequest, parent_page: Any, page_class: Any
) -> None:
    """The first autosave of a new page creates it: with no schedule, whatever the dialog holds
    (see autosave_keeps_the_confirmed_schedule)."""
    autosave_keeps_the_confirmed_schedule(request, None)


BYLINE = "byline"  # the article editor's byline formset (InlinePanel "byline")


def _deleted(value: str | None) -> bool:
    return (value or "").strip().lower() not in ("", "0", "false", "off")


@hooks.register("before_create_page")
def a_new_articles_empty_byline_is_the_writers_own(
    request: HttpRequest, parent_page: Any, page_class: Any
) -> None:
    """A new article saved with nobody in its byline carries its writer's own author profile,
    made for them from their account's name when they have none: a reporter who was never given
    one could otherwise not publish nor submit it (the byline needs an author, and only editors
    may make authors). A byline the writer filled in is left as it is.

    A profile is made only by a save the writer makes (Save draft, Publish, Submit for review).
    Wagtail's autosave (a script request asking for JSON) puts in the profile the writer has,
    and when they have none stores the draft with its byline empty (a draft needs none): the
    first autosave of a new article used to make one, silently, for an article the writer may
    then abandon (docs/decisions/0096-an-author-profile-on-the-first-real-save.md)."""
    if request.method != "POST" or not issubclass(page_class, ArticlePage):
        return
    _the_writers_own_byline(request)


@hooks.register("before_edit_page")
def a_never_published_articles_empty_byline_is_the_writers_own(
    request: HttpRequest, page: Any
) -> None:
    """The same for an article an autosave created (its later saves go through the edit view),
    until it is first published: a published article's byline is the editors' to change."""
    if (
        request.method != "POST"
        or not isinstance(page, ArticlePage)
        or page.first_published_at is not None
    ):
        return
    _the_writers_own_byline(request)


def _the_writers_own_byline(request: HttpRequest) -> None:
    total = request.POST.get(f"{BYLINE}-TOTAL_FORMS", "")
    if not total.isascii() or not total.isdigit() or int(total) > 1000:
        return  # the formset says what is wrong with its management form
    kept = [i for i in range(int(total)) if not _deleted(request.POST.get(f"{BYLINE}-{i}-DELETE"))]
    if any(request.POST.get(f"{BYLINE}-{i}-author", "").strip() for i in kept):
        return
    post = request.POST.copy()
    autosave = not request.accepts("text/html")
    if autosave:
        author = author_profile_of(user=request.user)
        created = False
        if author is None:
            # The empty row the editor shows is left out of this draft, not an error.
            for i in kept:
                post[f"{BYLINE}-{i}-DELETE"] = "on"
            request.POST = post  # type: ignore[assignment]
            return
    else:
        author, created = author_profile_ensure(user=request.user)
    if kept:
        index = kept[0]
    else:
        index = int(total)
        post[f"{BYLINE}-TOTAL_FORMS"] = str(index + 1)
        post[f"{BYLINE}-{index}-id"] = ""
        post[f"{BYLINE}-{index}-ORDER"] = str(index + 1)
    post[f"{BYLINE}-{index}-author"] = str(author.pk)
    request.POST = post  # type: ignore[assignment]
    if created:
        messages.info(
            request,
            _(
                "Your byline reads “%(name)s”: an author profile was made for you. An editor "
                "can change its name, role and photo under Snippets, Authors."
            )
            % {"name": author.name},
        )


class DeskPanel(Component):
    """One of the writer's dashboard panels, drawn from the desk read once per request."""

    def __init__(self, *, name: str, order: int, desk: NewsroomDesk) -> None:
        self.name = name
        self.order = order
        self.template_name = f"news/admin/desk_{name}.html"
        self.desk = desk

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"desk": self.desk}


@hooks.register("construct_homepage_panels")
def add_the_writers_desk(request: HttpRequest, panels: list[Any]) -> None:
    """Reporters and editors see, first, where they may write a new article, their drafts and
    what waits for review (in place of Wagtail's "Your pages and snippets in a workflow")."""
    desk = newsroom_desk(user=request.user)
    if not desk:
        return
    panels[:] = [p for p in panels if not isinstance(p, UserObjectsInWorkflowModerationPanel)]
    panels.extend(
        [
            DeskPanel(name="new_article", order=50, desk=desk),
            DeskPanel(name="drafts", order=60, desk=desk),
            DeskPanel(name="in_review", order=70, desk=desk),
        ]
    )


# --- Most read (issue 17 §4) ---------------------------------------------------------------------


@hooks.register("register_admin_menu_item")
def most_read_menu() -> MenuItem:
    return MenuItem(
        _("Most read"),
        reverse_lazy("news_most_read"),
        icon_name="view",
        order=250,
        name="most-read",
    )


@hooks.register("register_admin_urls")
def most_read_admin_urls() -> list[Any]:
    from .readership_admin import most_read_view

    return [path("most-read/", most_read_view, name="news_most_read")]
