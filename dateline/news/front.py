"""The front page and the top of section pages, as editors arranged them in slots
(``news.slots``), with the empty places filled automatically.

Built once per change of the content or of a comment count, and once per "most read" period
when the page shows most read (a fragment, ``core.fragments``; never for a preview): building
reads the newest ``FRONT_WINDOW`` articles' ids from the publication-date index, the newest few
of quiet sections in one more query, the most read in one, then every card shown in one query
with its byline and pictures, whatever the size of the archive and the number of slots.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dateline.core.fragments import fragment
from dateline.core.media import renditions_or_none
from dateline.readership.selectors import pages_most_read, reads_since

from .models import ArticlePage, HomePage, SectionPage
from .routing import restricted_tree_paths
from .selectors import CARD_RENDITIONS, FRONT_LEAD_RENDITIONS, article_cards, section_menu
from .slots import MAX_PER_SLOT
from .visibility import public

# The front page picks its articles among the newest this many (an index walk, whatever the
# size of the archive); a section with too few among them is read on its own.
FRONT_WINDOW = 200
# Slots shown in the side column, beside the others.
ASIDE = ("latest", "most_read")


@dataclass
class Slot:
    """One slot as readers see it: its kind (``news.slots``: lead, stories, live, section,
    latest, most_read), its heading and the cards it shows."""

    kind: str
    heading: str = ""
    articles: list[ArticlePage] = field(default_factory=list)
    section: SectionPage | None = None

    @property
    def in_aside(self) -> bool:
        return self.kind in ASIDE


@dataclass
class FrontPage:
    slots: list[Slot] = field(default_factory=list)

    @property
    def lead(self) -> ArticlePage | None:
        return next((s.articles[0] for s in self.slots if s.kind == "lead" and s.articles), None)

    @property
    def empty(self) -> bool:
        """Nothing to show at all (nothing published, or nothing readers may see)."""
        return not any(s.articles for s in self.slots)

    @property
    def main(self) -> list[Slot]:
        return [s for s in self.slots if s.kind != "lead" and not s.in_aside and s.articles]

    @property
    def aside(self) -> list[Slot]:
        return [s for s in self.slots if s.in_aside and s.articles]

    @property
    def sections(self) -> list[tuple[SectionPage, list[ArticlePage]]]:
        """The section blocks shown, with their cards."""
        return [
            (s.section, s.articles)
            for s in self.slots
            if s.kind == "section" and s.section is not None and s.articles
        ]


@dataclass
class _Want:
    """A slot before its cards are read: what the editor chose, where the rest comes from."""

    kind: str
    heading: str
    count: int
    chosen: list[int]
    pool: str  # "newest", "live", "section:<id>", "most_read", "none"
    section: SectionPage | None = None


def most_read_period(now: float | None = None) -> tuple[int, datetime]:
    """The current "most read" period's number and when the next one starts."""
    refresh = settings.DATELINE_MOST_READ_REFRESH
    period = int(time.time() if now is None else now) // refresh
    return period, datetime.fromtimestamp((period + 1) * refresh, tz=UTC)


def _raw_slots(page: HomePage | SectionPage) -> list[dict[str, Any]]:
    """The page's slots as stored (JSON-like): reading them asks the database for nothing,
    unlike the blocks' values (a chosen page is read when the value is)."""
    return [dict(item) for item in page.slots.raw_data]


def shows_most_read(page: HomePage | SectionPage) -> bool:
    """Whether ``page`` shows most read (the home page does when editors arranged nothing)."""
    slots = _raw_slots(page)
    if not slots:
        return isinstance(page, HomePage)
    return any(slot.get("type") == "most_read" for slot in slots)


def front_page(*, home: HomePage, preview: bool = False) -> FrontPage:
    """The home page's slots with their cards (the default arrangement when editors left none:
    the lead, every section's newest, the latest news, most read)."""

    def build() -> FrontPage:
        return _build(_home_wants(home), scope=None)

    if preview:
        return build()
    name = f"front:{home.pk}"
    if shows_most_read(home):
        name += f":{most_read_period()[0]}"
    return fragment(name, ["content", "listings"], build)


def section_front(*, section: SectionPage, preview: bool = False) -> FrontPage:
    """A section page's slots with their cards, all within the section; none when editors
    arranged none (the page then shows its list of stories only)."""
    if not _raw_slots(section):
        return FrontPage()

    def build() -> FrontPage:
        return _build(_slot_wants(section, lead_default=None, sections={}), scope=section)

    if preview:
        return build()
    name = f"section-front:{section.pk}"
    if shows_most_read(section):
        name += f":{most_read_period()[0]}"
    return fragment(name, ["content", "listings"], build)


def _page_ids(raw: Any) -> list[int]:
    """Page ids from a chooser's or a list of choosers' stored value (a list block's items are
    stored as {"type": "item", "value": id}, or as bare ids by older Wagtail); nothing else."""
    items = raw if isinstance(raw, list) else [raw]
    ids = []
    for item in items:
        value = item.get("value") if isinstance(item, dict) else item
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            ids.append(value)
    return list(dict.fromkeys(ids))


def _count(value: dict[str, Any], default: int) -> int:
    count = value.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        return default
    return min(count, MAX_PER_SLOT)


def _slot_wants(
    page: HomePage | SectionPage, *, lead_default: int | None, sections: dict[int, SectionPage]
) -> list[_Want]:
    """What each slot asks for. A section block whose section is not live (or not public) is
    left out: ``sections`` holds the ones readers may see."""
    wants = []
    for slot in _raw_slots(page):
        kind, value = slot.get("type"), slot.get("value") or {}
        heading = str(value.get("heading") or "")
        if kind == "lead":
            chosen = _page_ids(value.get("article")) or ([lead_default] if lead_default else [])
            wants.append(_Want("lead", "", 1, chosen, "newest"))
        elif kind == "stories":
            chosen = _page_ids(value.get("articles"))
            wants.append(_Want(kind, heading, _count(value, 4), chosen, "newest"))
        elif kind == "live":
            wants.append(_Want(kind, heading, _count(value, 3), [], "live"))
        elif kind == "section":
            section = next(
                (sections[pk] for pk in _page_ids(value.get("section")) if pk in sections), None
            )
            if section is not None:
                chosen = _page_ids(value.get("articles"))
                pool = f"section:{section.pk}"
                wants.append(
                    _Want(kind, section.title, _count(value, 3), chosen, pool, section=section)
                )
        elif kind == "latest":
            wants.append(_Want(kind, heading, _count(value, 8), [], "newest"))
        elif kind == "most_read":
            wants.append(_Want(kind, heading, _count(value, 5), [], "most_read"))
    return wants


def _home_wants(home: HomePage) -> list[_Want]:
    menu = section_menu(home=home)
    if _raw_slots(home):
        sections = {s.pk: s for s in menu}
        return _slot_wants(home, lead_default=home.lead_article_id, sections=sections)
    # The arrangement of a front page editors have not arranged.
    per_section = settings.DATELINE_HOME_PER_SECTION
    lead = [home.lead_article_id] if home.lead_article_id else []
    return [
        _Want("lead", "", 1, lead, "newest"),
        *(_Want("section", s.title, per_section, [], f"section:{s.pk}", section=s) for s in menu),
        _Want("latest", "Latest news", settings.DATELINE_HOME_LATEST, [], "newest"),
        _Want("most_read", "Most read", 5, [], "most_read"),
    ]


def _live_type_ids() -> list[int]:
    """The content types of the live coverage pages installed (``DATELINE_LIVE_PAGE_MODELS``),
    read by name so that news imports no app above it."""
    ids = []
    for label in settings.DATELINE_LIVE_PAGE_MODELS:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        ids.append(ContentType.objects.get_for_model(model, for_concrete_model=False).pk)
    return ids


def _build(wants: list[_Want], *, scope: SectionPage | None) -> FrontPage:
    restricted = list(restricted_tree_paths())
    articles = public(ArticlePage.objects.live(), restricted=restricted)
    if scope is not None:
        articles = articles.filter(section=scope)
    total = sum(w.count + len(w.chosen) for w in wants)
    live_types = _live_type_ids() if any(w.pool == "live" for w in wants) else []
    newest = list(
        articles.order_by("-first_published_at", "-pk").values_list(
            "pk", "section_id", "page_ptr__content_type_id"
        )[:FRONT_WINDOW]
    )
    pools: dict[str, list[int]] = {
        "newest": [row[0] for row in newest],
        "live": [pk for pk, _section, kind in newest if kind in live_types],
    }
    for pk, section_id, _kind in newest:
        pools.setdefault(f"section:{section_id}", []).append(pk)
    _read_quiet_sections(wants, pools, articles, full=len(newest) == FRONT_WINDOW)
    if any(w.pool == "most_read" for w in wants):
        pools["most_read"] = [
            pk
            for pk, _ in pages_most_read(
                pages=articles,
                since=reads_since(hours=settings.DATELINE_MOST_READ_HOURS),
                limit=max(w.count for w in wants if w.pool == "most_read"),
            )
        ]
    # Enough of each pool for its slots, whatever the slots before them take.
    wanted = {pk for w in wants for pk in w.chosen}
    for w in wants:
        wanted.update(pools.get(w.pool, [])[: w.count + total])
    cards = {
        card.pk: card
        for card in article_cards(
            renditions=[*CARD_RENDITIONS, *FRONT_LEAD_RENDITIONS], restricted=restricted
        )
        .filter(pk__in=wanted)
        .defer("body", "body_text")
    }
    # Chosen stories first, everywhere, so that no automatic fill takes a story an editor
    # placed further down. The side column is a list of its own: the latest news leave out
    # only the lead story, most read shows what readers read.
    shown = {pk for w in wants if w.kind not in ASIDE for pk in w.chosen if pk in cards}
    lead: set[int] = set()
    slots = []
    for w in wants:
        skip = {"latest": lead, "most_read": set()}.get(w.kind, shown)
        picked = [pk for pk in dict.fromkeys(w.chosen) if pk in cards][: w.count]
        for pk in pools.get(w.pool, []):
            if len(picked) >= w.count:
                break
            if pk in cards and pk not in picked and pk not in skip:
                picked.append(pk)
        if w.kind not in ASIDE:
            shown.update(picked)
        if w.kind == "lead":
            lead.update(picked)
        slots.append(Slot(w.kind, w.heading, [cards[pk] for pk in picked], section=w.section))
    _make_renditions(slots)
    return FrontPage(slots=slots)


def _read_quiet_sections(
    wants: list[_Want], pools: dict[str, list[int]], articles: QuerySet[ArticlePage], *, full: bool
) -> None:
    """The newest few of the sections the window held too few of (one query for all)."""
    if not full:
        return
    short = {
        w.section.pk: w.count + len(w.chosen) + 1
        for w in wants
        if w.section is not None and len(pools.get(w.pool, [])) <= w.count + len(w.chosen)
    }
    if not short:
        return
    found = Q()
    for section_id, count in short.items():
        found |= Q(
            pk__in=articles.filter(section_id=section_id)
            .order_by("-first_published_at", "-pk")
            .values("pk")[:count]
        )
    for section_id in short:
        pools[f"section:{section_id}"] = []
    rows = (
        ArticlePage.objects.filter(found)
        .order_by("-first_published_at", "-pk")
        .values_list("pk", "section_id")
    )
    for pk, section_id in rows:
        pools.setdefault(f"section:{section_id}", []).append(pk)


def _make_renditions(slots: list[Slot]) -> None:
    """The renditions the page shows are made now and kept with the cards: rendering the kept
    page then asks the database for none (slots templates: the lead's picture, and the first
    card's of stories and section blocks)."""
    for slot in slots:
        if not slot.articles or slot.articles[0].lead_image is None:
            continue
        if slot.kind == "lead":
            renditions_or_none(slot.articles[0].lead_image, *FRONT_LEAD_RENDITIONS)
        elif slot.kind in ("stories", "section", "live"):
            renditions_or_none(slot.articles[0].lead_image, *CARD_RENDITIONS)


@dataclass
class ReadRow:
    article: ArticlePage
    reads: int


@dataclass
class ReadReport:
    """One period of the editors' "Most read" report."""

    label: str | Promise
    since: datetime
    rows: list[ReadRow] = field(default_factory=list)


REPORT_ROWS = 20


def most_read_report(*, now: datetime | None = None) -> list[ReadReport]:
    """Today's (since midnight in the newsroom's time zone) and this week's (the last seven
    days) most read live articles, with their comment counts, for the editors' report. Three
    queries, whatever the number of articles and counters."""
    moment = now or timezone.now()
    midnight = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    reports = [
        ReadReport(_("Today"), midnight),
        ReadReport(_("This week"), moment - timedelta(days=7)),
    ]
    live = ArticlePage.objects.live()
    ranked = {
        r.label: pages_most_read(pages=live, since=r.since, limit=REPORT_ROWS) for r in reports
    }
    ids = {row[0] for rows in ranked.values() for row in rows}
    articles = live.filter(pk__in=ids).select_related("section").defer("body", "body_text")
    by_id = {a.pk: a for a in articles} if ids else {}
    for report in reports:
        report.rows = [
            ReadRow(by_id[pk], reads) for pk, reads in ranked[report.label] if pk in by_id
        ]
    return reports
