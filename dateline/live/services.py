"""Every write to live coverage: filing, editing and deleting updates; setting, changing and
clearing breaking-news flags. Each purges exactly what it changes after commit: a live page's
updates are under ``live:<page id>`` (the page, its fragments, its updates' endpoint and its
feed), the banner is under ``breaking``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from dateline.core.errors import ServiceError
from dateline.core.pagecache import invalidate
from dateline.news.models import ArticlePage, Author
from dateline.news.services import author_profile_ensure

from .models import BreakingNews, LivePage, LiveUpdate, live_dependency
from .signals import breaking_news

BREAKING = "breaking"

# What an editor may change on an update or a flag (everything else is kept by the services).
UPDATE_FIELDS = ("page", "author", "headline", "body", "status", "pinned", "key_event")
BREAKING_FIELDS = ("page", "headline", "status", "starts_at", "expires_at")


class LiveUpdateRefused(ServiceError):
    default_message = "The update could not be saved."


class BreakingNewsRefused(ServiceError):
    default_message = "The breaking-news flag could not be saved."


def render_update_body(update: LiveUpdate) -> str:
    """The update's body as HTML, rendered by the blocks' own templates (kept in ``body_html``)."""
    return str(update.body.render_as_block()) if update.body else ""


def _purge_live(*page_ids: int) -> None:
    deps = [live_dependency(pk) for pk in sorted(set(page_ids))]
    transaction.on_commit(lambda: invalidate(deps))


def _writer(user: Any) -> Author | None:
    """The newsroom user's own author profile, made for them when they have none (as for an
    article's byline)."""
    return author_profile_ensure(user=user)[0] if user is not None and user.pk else None


@transaction.atomic
def live_update_create(
    *,
    page: LivePage,
    body: Any,
    author: Author | None = None,
    headline: str = "",
    status: str = LiveUpdate.Status.PUBLISHED,
    pinned: bool = False,
    key_event: bool = False,
    user: Any = None,
) -> LiveUpdate:
    """File an update on ``page``: its own row, so reporters filing at once never meet. The
    byline is the writer's own author profile unless ``author`` is given. Published updates
    reach readers after commit (the page, its script's endpoint and its feed are purged)."""
    if status == LiveUpdate.Status.DELETED:
        raise LiveUpdateRefused("A new update can't be deleted.", "status")
    now = timezone.now()
    update = LiveUpdate(
        page=page,
        author=author or _writer(user),
        headline=headline,
        body=body,
        status=status,
        pinned=pinned,
        key_event=key_event,
        created_at=now,
        updated_at=now,
        published_at=now if status == LiveUpdate.Status.PUBLISHED else None,
        created_by=user if user is not None and user.pk else None,
    )
    update.body_html = render_update_body(update)
    update.save()
    log(instance=update, action="wagtail.create", user=update.created_by, content_changed=True)
    if status == LiveUpdate.Status.PUBLISHED:
        _purge_live(page.pk)
    return update


@transaction.atomic
def live_update_edit(
    *,
    update: LiveUpdate,
    changes: dict[str, Any],
    user: Any = None,
    opened_version: datetime | None = None,
) -> LiveUpdate:
    """Change only the fields in ``changes`` (what the editor's form changed). With
    ``opened_version`` (the update's ``updated_at`` when the form was opened), a save on top of
    a newer change by someone else is refused (409, LiveUpdateRefused) rather than undoing it.
    Publishing a draft gives it its time; a published update keeps its time when corrected."""
    unknown = set(changes) - set(UPDATE_FIELDS)
    if unknown:
        raise LiveUpdateRefused(f"Not a field of an update: {', '.join(sorted(unknown))}.")
    before = (
        LiveUpdate.objects.select_for_update()
        .only("status", "page_id", "updated_at")
        .get(pk=update.pk)
    )
    if opened_version is not None and before.updated_at != opened_version:
        raise LiveUpdateRefused(
            "Someone else changed this update while you were editing it. Your text is still "
            "in the form: save again to put it in place of theirs, or open the update in "
            "another tab to see their version first.",
            status=409,
        )
    old_page_id = before.page_id
    for name, value in changes.items():
        setattr(update, name, value)
    fields = set(changes)
    if "author" in changes and update.author is None:
        update.author = _writer(user)
    if "body" in changes:
        update.body_html = render_update_body(update)
        fields.add("body_html")
    if update.status == LiveUpdate.Status.PUBLISHED and update.published_at is None:
        update.published_at = timezone.now()
        fields.add("published_at")
    update.updated_at = timezone.now()
    fields.add("updated_at")
    update.save(update_fields=sorted(fields))
    log(instance=update, action="wagtail.edit", user=user, content_changed=True)
    if LiveUpdate.Status.PUBLISHED in (before.status, update.status):
        _purge_live(old_page_id, update.page_id)
    return update


@transaction.atomic
def live_update_delete(*, update: LiveUpdate, user: Any = None) -> LiveUpdate:
    """Take an update off its page (kept as "deleted" for the record, shown nowhere): it goes
    from the page, the script's endpoint, the feed and every cache after commit."""
    was = LiveUpdate.objects.select_for_update().only("status").get(pk=update.pk).status
    update.status = LiveUpdate.Status.DELETED
    update.updated_at = timezone.now()
    update.save(update_fields=["status", "updated_at"])
    log(instance=update, action="wagtail.delete", user=user)
    if was == LiveUpdate.Status.PUBLISHED:
        _purge_live(update.page_id)
    return update


# --- Breaking news ------------------------------------------------------------------------


def _check_times(starts_at: datetime, expires_at: datetime, *, now: datetime) -> None:
    if expires_at <= starts_at:
        raise BreakingNewsRefused("The banner must end after it starts.", "expires_at")
    if expires_at <= now:
        raise BreakingNewsRefused("This time has passed: choose a later one.", "expires_at")


def _announce(alert: BreakingNews) -> None:
    page_id = alert.page_id

    def send() -> None:
        page = ArticlePage.objects.filter(pk=page_id).first()
        if page is not None:
            breaking_news.send(sender=BreakingNews, page=page.specific, alert=alert)

    transaction.on_commit(send)


def _check_story(page: Any) -> None:
    """A banner is for every reader: its story must be published and open to all (a story
    behind a password or a sign-in would show its headline to everyone, and its alert would
    go to every subscriber)."""
    if not page.live:
        raise BreakingNewsRefused("Only a published story can be breaking news.", "page")
    if page.get_view_restrictions():
        raise BreakingNewsRefused(
            "This story is private (behind a password or a sign-in): it cannot be breaking news.",
            "page",
        )


def _purge_banner() -> None:
    transaction.on_commit(lambda: invalidate([BREAKING]))


@transaction.atomic
def breaking_news_flag(
    *,
    page: ArticlePage,
    headline: str = "",
    starts_at: datetime | None = None,
    expires_at: datetime | None = None,
    status: str = BreakingNews.Status.ACTIVE,
    user: Any = None,
) -> BreakingNews:
    """Flag ``page`` as breaking news until ``expires_at`` (two hours by default). The banner
    shows through every cache within seconds (``breaking`` purged after commit) and the
    ``breaking_news`` signal is sent after commit. Raises BreakingNewsRefused for a story
    readers can't see or an expiry that is not later than the start and now."""
    now = timezone.now()
    _check_story(page)
    alert = BreakingNews(page=page, headline=headline, status=status, created_at=now)
    alert.starts_at = starts_at or now
    if expires_at is not None:
        alert.expires_at = expires_at
    _check_times(alert.starts_at, alert.expires_at, now=now)
    alert.created_by = user if user is not None and user.pk else None
    alert.save()
    log(instance=alert, action="wagtail.create", user=alert.created_by, content_changed=True)
    _purge_banner()
    if alert.status == BreakingNews.Status.ACTIVE:
        _announce(alert)
    return alert


@transaction.atomic
def breaking_news_edit(
    *, alert: BreakingNews, changes: dict[str, Any], user: Any = None
) -> BreakingNews:
    """Change only the fields in ``changes``. Switching a cleared flag on again, or pointing a
    flag that is on at another story, sends ``breaking_news`` again."""
    unknown = set(changes) - set(BREAKING_FIELDS)
    if unknown:
        raise BreakingNewsRefused(f"Not a field of a flag: {', '.join(sorted(unknown))}.")
    before = BreakingNews.objects.select_for_update().get(pk=alert.pk)
    for name, value in changes.items():
        setattr(alert, name, value)
    if "page" in changes:
        _check_story(alert.page)
    if {"starts_at", "expires_at", "status"} & set(changes) and alert.status == "active":
        _check_times(alert.starts_at, alert.expires_at, now=timezone.now())
    alert.save(update_fields=sorted(changes))
    log(instance=alert, action="wagtail.edit", user=user, content_changed=True)
    _purge_banner()
    if alert.status == BreakingNews.Status.ACTIVE and (
        before.status != BreakingNews.Status.ACTIVE or before.page_id != alert.page_id
    ):
        _announce(alert)
    return alert


@transaction.atomic
def breaking_news_clear(*, alert: BreakingNews, user: Any = None) -> BreakingNews:
    """Switch the banner off now (the flag is kept, cleared)."""
    return breaking_news_edit(
        alert=alert, changes={"status": BreakingNews.Status.CLEARED}, user=user
    )


@transaction.atomic
def breaking_news_delete(*, alert: BreakingNews, user: Any = None) -> None:
    log(instance=alert, action="wagtail.delete", user=user)
    alert.delete()
    _purge_banner()
