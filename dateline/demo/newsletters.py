"""The demo's newsletters: an International daily readers can subscribe to from any
International story, and breaking-news alerts for the whole site. Safe to run twice."""

from __future__ import annotations

from datetime import time
from typing import Any

from dateline.newsletters.models import Newsletter

NEWSLETTERS = [
    {
        "slug": "international-daily",
        "name": "International daily",
        "description": "The world's news from our correspondents, every morning at seven.",
        "schedule": Newsletter.Schedule.DAILY,
        "send_time": time(7, 0),
        "time_zone": "Europe/London",
        "template": Newsletter.Template.DIGEST,
        "intro": "Good morning. Here is what our correspondents filed since yesterday's letter.",
        "sections": ["international"],
    },
    {
        "slug": "breaking-news",
        "name": "Breaking news alerts",
        "description": "One short mail when a big story breaks, and only then.",
        # Alerts go for stories the editors flag as breaking, not for every publication.
        "schedule": Newsletter.Schedule.BREAKING,
        "send_time": time(7, 0),
        "time_zone": "Europe/London",
        "template": Newsletter.Template.ALERT,
        "intro": "",
        "sections": [],
    },
]


def ensure_newsletters(*, sections: dict[str, Any]) -> int:
    """Create the demo newsletters that are missing; returns how many were made."""
    made = 0
    for spec in NEWSLETTERS:
        if Newsletter.objects.filter(slug=spec["slug"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k != "sections"}
        newsletter = Newsletter.objects.create(**fields)
        newsletter.sections.set([sections[s] for s in spec["sections"] if s in sections])
        made += 1
    return made
