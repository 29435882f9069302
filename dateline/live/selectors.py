"""Reads of live coverage: a live page's updates, the latest ones for the page's script and
feed, and the breaking-news banner. Each is a fixed number of queries whatever the number of
updates, and kept as a fragment under the page cache's versions (``core.fragments``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from django.db.models import F, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from dateline.core.converters import parse_id
from dateline.core.fragments import fragment
from dateline.news.models import SectionPage
from dateline.news.routing import may_be_restricted
from dateline.news.selectors import ArticleDetail, article_detail, kept_detail, section_menu

from .models import BreakingNews, LivePage, LiveUpdate, live_dependency

PAGE_SIZE = 20
# Updates the page's script and the feed read: a reader who was away longer reloads.
LATEST = 20
KEY_EVENTS = 12
PINNED = 3


class NoSuchUpdatesPage(Exception):
    """A page number past the last page of updates (404: not a variant worth keeping)."""


@dataclass
class LiveStream:
    """What a live page shows: pinned updates, the list of key events, and one page of the
    other published updates, newest first."""

    number: int = 1
    updates: list[LiveUpdate] = field(default_factory=list)
    pinned: list[LiveUpdate] = field(default_factory=list)
    key_events: list[LiveUpdate] = field(default_factory=list)
    has_older: bool = False
    latest_at: datetime | None = None

    @property
    def shown_ids(self) -> set[int]:
        """The updates this page of updates shows (a key event elsewhere is linked by its
        permalink, not its anchor)."""
        return {u.pk for u in [*self.updates, *self.pinned]}

    @property
    def older_number(self) -> int:
        return self.number + 1

    @property
    def newer_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None


def _rows() -> object:
    return (
        LiveUpdate.objects.published()
        .select_related("author")
        .defer("body", "author__bio")
        .order_by("-published_at", "-pk")
    )


def page_number_of(value: str | int | None) -> int:
    """``?page=`` as a page number; anything that is not one is the first page."""
    if isinstance(value, int):
        return max(1, value)
    number = parse_id(value or "")
    return number if number is not None and number < 10_000 else 1


def live_page_updates(*, page: LivePage, page_number: str | int | None) -> LiveStream:
    """One page of ``page``'s published updates (raises NoSuchUpdatesPage past the last), its
    pinned updates and key events: one query, kept until an update or the content changes.
    A preview (unsaved page) has none."""
    number = page_number_of(page_number)
    if not page.pk:
        return LiveStream()
    stream = fragment(
        f"live-stream:{page.pk}:{number}",
        ["content", live_dependency(page.pk)],
        lambda: _live_stream(page.pk, number),
    )
    if number > 1 and not stream.updates:
        raise NoSuchUpdatesPage(number)
    return stream


def live_page_stream(*, page: LivePage, number: int) -> LiveStream:
    """What the live page's template gets as ``live``: ``live_page_updates``, but on the first
    page read only when the template first asks for it. The template shows it only inside its
    kept HTML (``{% live_fragment %}``), so a page rendered with that HTML kept never reads it:
    unpickling the stream (fifty model instances) was most of what the live page cost beyond
    the article (docs/decisions/0091). A later page is read at once: past the last one it is a 404
    (NoSuchUpdatesPage), decided before anything renders."""
    if number > 1 or not page.pk:
        return live_page_updates(page=page, page_number=number)
    return cast(
        LiveStream, SimpleLazyObject(lambda: live_page_updates(page=page, page_number=number))
    )


def _live_stream(page_id: int, number: int) -> LiveStream:
    """One statement: the ids of the rows this page of updates shows are chosen by numbering
    each published update among the pinned or the other ones, and among the key events or the
    others (newest first; only ids and flags are read for that), then those rows are read with
    their authors."""
    start = (number - 1) * PAGE_SIZE
    newest_first = [F("published_at").desc(), F("pk").desc()]
    wanted = Q(pinned=False, place__gt=start, place__lte=start + PAGE_SIZE + 1)
    if number == 1:
        wanted |= Q(pinned=True, place__lte=PINNED) | Q(key_event=True, event_place__lte=KEY_EVENTS)
    chosen = (
        LiveUpdate.objects.published()
        .filter(page_id=page_id)
        .annotate(
            place=Window(RowNumber(), partition_by=[F("pinned")], order_by=newest_first),
            event_place=Window(RowNumber(), partition_by=[F("key_event")], order_by=newest_first),
        )
        .filter(wanted)
        .values("pk")
    )
    rows: list[LiveUpdate] = list(_rows().filter(pk__in=chosen))  # type: ignore[attr-defined]
    # Newest first, the rows chosen hold the newest pinned ones, key events and (on the first
    # page) the newest other ones: the first of each kind are the ones wanted.
    others = [u for u in rows if not u.pinned]
    pinned = [u for u in rows if u.pinned][:PINNED] if number == 1 else []
    key_events = [u for u in rows if u.key_event][:KEY_EVENTS] if number == 1 else []
    chunk = others[: PAGE_SIZE + 1]
    newest = [u.published_at for u in [*chunk[:1], *pinned[:1]] if u.published_at]
    return LiveStream(
        number=number,
        updates=chunk[:PAGE_SIZE],
        pinned=pinned,
        key_events=key_events,
        has_older=len(chunk) > PAGE_SIZE,
        latest_at=max(newest) if newest else None,
    )


def live_page_detail(*, page: LivePage) -> ArticleDetail:
    """What a live page shows beside its own fields and its updates: its byline, topics, lead
    image and section. The article's detail (``news.selectors.article_detail``) without what a
    live page does not show (corrections, related coverage, language versions): two queries,
    three with a lead image, kept per version of the content and of the page
    (``core.fragments``) and read only when asked for, as the page's updates are: the template
    uses it inside ``{% live_fragment %}`` only (``news.selectors.kept_detail``). A preview
    (unsaved page, or one carrying its byline and tags in memory) gets the article's."""
    if not page.pk or getattr(page, "_cluster_related_objects", None):
        return article_detail(article=page)
    return kept_detail(page, "live-detail", lambda: _live_page_detail(page))


def _live_page_detail(page: LivePage) -> ArticleDetail:
    section = next((s for s in section_menu() if s.pk == page.section_id), None)
    if section is None and page.section_id is not None:
        section = SectionPage.objects.filter(pk=page.section_id).first()
    return ArticleDetail(
        byline=[entry.author for entry in page.byline.select_related("author")],
        tags=list(page.tags.all()),
        corrections=[],
        lead_image=get_image_model().objects.filter(pk=page.lead_image_id).first()
        if page.lead_image_id
        else None,
        section=section,
    )


def public_live_page(*, page_id: int) -> LivePage | None:
    """The live page ``page_id`` when readers may see it (published, no view restriction on or
    above it), else None: its updates' endpoint and feed show nothing of a page readers can't."""
    page = LivePage.objects.live().filter(pk=page_id).defer("body", "body_text").first()
    if page is None or may_be_restricted(page):
        return None
    return page


def live_updates_latest(*, page: LivePage) -> list[LiveUpdate]:
    """The newest published updates of ``page`` (pinned ones too), newest first; one query."""
    return list(_rows().filter(page_id=page.pk)[:LATEST])  # type: ignore[attr-defined]


def live_update_for_link(*, update_id: int) -> tuple[LiveUpdate, int] | None:
    """A published update of a public live page and the number of the page of updates that
    shows it (1 for a pinned one), for its permalink; None if readers can't see it."""
    update = LiveUpdate.objects.published().select_related("page").filter(pk=update_id).first()
    if update is None or not update.page.live or may_be_restricted(update.page):
        return None
    if update.pinned:
        return update, 1
    newer = (
        LiveUpdate.objects.published()
        .filter(page_id=update.page_id, pinned=False)
        .filter(
            Q(published_at__gt=update.published_at)
            | Q(published_at=update.published_at, pk__gt=update.pk)
        )
        .count()
    )
    return update, newer // PAGE_SIZE + 1


# --- Breaking news ------------------------------------------------------------------------


@dataclass
class Banner:
    """The breaking-news banner at a moment: what it shows (None: nothing), and until when that
    holds (the flag's expiry, or the start of a flag set for later)."""

    alert: BreakingNews | None
    until: datetime | None = None


def breaking_banner(*, now: datetime | None = None) -> Banner:
    """The banner to show now: the newest flag that is on, started and not expired, on a live
    story. Two queries, whatever the number of flags."""
    now = now or timezone.now()
    alert = (
        _showing_first(now).select_related("page").defer("page__body", "page__body_text").first()
    )
    upcoming = (
        BreakingNews.objects.filter(status=BreakingNews.Status.ACTIVE, starts_at__gt=now)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    ends = [t for t in (alert.expires_at if alert else None, upcoming) if t is not None]
    if alert is None:
        return Banner(alert=None, until=min(ends) if ends else None)
    return Banner(alert=alert, until=min(ends))


def _showing_first(now: datetime) -> QuerySet[BreakingNews]:
    return BreakingNews.objects.showing(now).order_by("-starts_at", "-pk")


def breaking_flags_listed(*, now: datetime | None = None) -> QuerySet[BreakingNews]:
    """Every flag, with its story and ``showing_pk``: the flag the banner shows at ``now``
    (chosen as ``breaking_banner`` chooses it), read in the list's own statement."""
    now = now or timezone.now()
    return (
        BreakingNews.objects.select_related("page")
        .with_restricted()
        .annotate(showing_pk=Subquery(_showing_first(now).values("pk")[:1]))
    )


@dataclass(frozen=True)
class FlagState:
    """Whether readers see a flag's banner, and in the newsroom's words why not."""

    showing: bool
    words: str

    def __str__(self) -> str:
        return self.words


def breaking_flag_state(alert: BreakingNews, *, now: datetime | None = None) -> FlagState:
    """What readers see of ``alert``: a flag that is "On" may still show nothing (set for
    later, expired, its story unpublished or private, or another flag's banner in front of
    it). ``alert`` comes from ``breaking_flags_listed`` (else this costs a query or two)."""
    now = now or timezone.now()
    if alert.status != BreakingNews.Status.ACTIVE:
        return FlagState(False, _("Not shown: cleared"))
    if not alert.page.live:
        return FlagState(False, _("Not shown: the story is not published"))
    restricted = getattr(alert, "restricted", None)
    if restricted is None:
        restricted = bool(alert.page.get_view_restrictions())
    if restricted:
        return FlagState(False, _("Not shown: the story is private (password or sign-in)"))
    if alert.expires_at <= now:
        return FlagState(False, _("Not shown: expired"))
    if alert.starts_at > now:
        return FlagState(False, _("Not shown yet: it starts later"))
    if hasattr(alert, "showing_pk"):
        showing = alert.showing_pk
    else:
        showing = _showing_first(now).values_list("pk", flat=True).first()
    if showing == alert.pk:
        return FlagState(True, _("Showing now"))
    return FlagState(False, _("Not shown: a newer flag's banner is showing"))
