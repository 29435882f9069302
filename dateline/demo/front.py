"""The demo's front page and International section as an editor arranged them (news.slots)."""

from __future__ import annotations

import uuid
from typing import Any

from dateline.news.models import ArticlePage, HomePage, SectionPage

# The front page, top to bottom: a chosen lead, two chosen top stories (the third place is left
# to the newest story), the live strip, the sections the desk wants up front (one with a chosen
# story), then the side column.
FRONT_LEAD = "sharaa-putin-meeting-moscow"
TOP_STORIES = ["central-bank-holds-rates", "kestrel-health-ransomware-attack"]
SECTION_PICKS = {"politics": ["digital-rights-bill-second-reading"], "international": []}
SECTION_ORDER = ["international", "politics", "business", "technology", "sport", "culture"]


def _item(pk: int) -> dict[str, Any]:
    # A ListBlock item as Wagtail stores it: with an id, or Wagtail reads the dict as the value.
    return {"type": "item", "value": pk, "id": str(uuid.uuid4())}


def front_page_arrange(*, home: HomePage) -> bool:
    """Give the demo's front page and the International section their slots, once (an editor's
    later arrangement is kept). Returns whether anything was arranged."""
    if list(home.slots.raw_data):
        return False
    ids = dict(ArticlePage.objects.values_list("slug", "pk"))
    sections = dict(SectionPage.objects.child_of(home).values_list("slug", "pk"))
    slots: list[dict[str, Any]] = [
        {"type": "lead", "value": {"article": ids.get(FRONT_LEAD)}},
        {
            "type": "stories",
            "value": {
                "heading": "Top stories",
                "articles": [_item(ids[s]) for s in TOP_STORIES if s in ids],
                "count": 3,
            },
        },
        {"type": "live", "value": {"heading": "Live now", "count": 3}},
    ]
    for slug in SECTION_ORDER:
        if slug in sections:
            picks = [_item(ids[s]) for s in SECTION_PICKS.get(slug, []) if s in ids]
            slots.append(
                {
                    "type": "section",
                    "value": {"section": sections[slug], "articles": picks, "count": 3},
                }
            )
    slots += [
        {"type": "most_read", "value": {"heading": "Most read", "count": 5}},
        {"type": "latest", "value": {"heading": "Latest news", "count": 8}},
    ]
    home.slots = slots  # type: ignore[assignment]
    home.save_revision().publish(skip_permission_checks=True)
    international = SectionPage.objects.filter(slug="international").first()
    if international is not None and not list(international.slots.raw_data):
        international.slots = [  # type: ignore[assignment]
            {"type": "lead", "value": {"article": ids.get(FRONT_LEAD)}},
            {"type": "most_read", "value": {"heading": "Most read in International", "count": 5}},
        ]
        international.save_revision().publish(skip_permission_checks=True)
    return True
