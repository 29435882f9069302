"""The demo's live page in the International section, with updates from two reporters, and a
breaking-news flag on it that starts cleared (an editor switches it on in the admin: Live
coverage → Breaking news). Idempotent, as the rest of the demo."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.html import escape

from dateline.live.models import BreakingNews, LivePage, LiveUpdate
from dateline.live.services import breaking_news_flag, live_update_create
from dateline.news.models import ArticleAuthor, Author, SectionPage

from .live_content import LIVE_PAGE, LIVE_UPDATES


def ensure_live_coverage(
    *, sections: dict[str, SectionPage], authors: dict[str, Author], now: Any
) -> bool:
    """Create the live page and its updates unless they exist; True if the page was created."""
    spec = LIVE_PAGE
    section = sections[spec["section"]]
    if LivePage.objects.child_of(section).filter(slug=spec["slug"]).exists():
        return False
    started = now - timedelta(minutes=spec["minutes_ago"])
    page = LivePage(
        title=spec["headline"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        dateline_place=spec["dateline"],
        key_points=spec["key_points"],
        body=[("paragraph", f"<p>{escape(text)}</p>") for text in spec["background"]],
        first_published_at=started,
    )
    section.add_child(instance=page)
    for order, slug in enumerate(spec["authors"]):
        ArticleAuthor.objects.create(article=page, author=authors[slug], sort_order=order)
    page.tags.add(*spec["tags"])
    page.save()
    page.save_revision().publish(skip_permission_checks=True)
    LivePage.objects.filter(pk=page.pk).update(first_published_at=started)
    for slug, minutes, headline, text, pinned, key_event in LIVE_UPDATES:
        update = live_update_create(
            page=page,
            body=[("paragraph", f"<p>{escape(text)}</p>")],
            author=authors[slug],
            headline=headline,
            pinned=pinned,
            key_event=key_event,
        )
        at = now - timedelta(minutes=minutes)
        LiveUpdate.objects.filter(pk=update.pk).update(
            published_at=at, created_at=at, updated_at=at
        )
    # Set cleared: no banner and no breaking-news mail until an editor switches it on.
    breaking_news_flag(
        page=page,
        headline="Al-Sharaa and Putin meet in the Kremlin: follow live",
        status=BreakingNews.Status.CLEARED,
        expires_at=now + timedelta(days=7),
    )
    return True
