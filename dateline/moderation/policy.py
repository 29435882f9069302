"""Section and article overrides of the site's comment policy
(``settings.DATELINE_COMMENT_POLICY_OVERRIDES = "dateline.moderation.policy.with_overrides"``).

The two override rows of an article are read in two small queries on a cache miss and kept in
the default cache under a version that every save or delete of a policy bumps, so a change is
seen at once and most comment posts read no policy row at all.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import time
from typing import Any

from django.core.cache import cache

from dateline.comments.policy import Policy
from dateline.core.memo import forget, remembered
from dateline.news.models import ArticlePage

from .hours import StaffedHours, parse_days
from .models import ArticlePolicy, SectionPolicy

log = logging.getLogger(__name__)

VERSION_KEY = "comment-policy-version"
TTL = 3600
_OVERRIDE_FIELDS = (
    "moderation",
    "signed_in_only",
    "require_name_email",
    "close_after_days",
    "hold_links",
    "trust_after_approved",
    "moderation_words",
    "disallowed_words",
)
_SECTION_FIELDS = (
    *_OVERRIDE_FIELDS,
    "section__title",
    "staffed_days",
    "staffed_from",
    "staffed_until",
    "timezone",
    "outside_hours",
)
_ARTICLE_FIELDS = (*_OVERRIDE_FIELDS, "ignore_hours")


def policies_changed() -> None:
    """Every cached override is stale (a policy was saved or deleted)."""
    forget("comment-policy:")
    try:
        cache.set(VERSION_KEY, (cache.get(VERSION_KEY) or 0) + 1, None)
    except Exception:  # a cache that is down keeps nothing stale either
        log.warning("could not bump the comment policy version", exc_info=True)


def _rows(article: ArticlePage) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    section_id = getattr(article, "section_id", None)
    return remembered(
        f"comment-policy:{article.pk}:{section_id}", lambda: _cached_rows(article, section_id)
    )


def _cached_rows(
    article: ArticlePage, section_id: int | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    key = None
    try:
        version = cache.get(VERSION_KEY) or 0
        key = f"comment-policy:{version}:{article.pk}:{section_id}"
        found = cache.get(key)
        if found is not None:
            return found
    except Exception:
        log.warning("comment policy cache unavailable", exc_info=True)
    section = (
        SectionPolicy.objects.filter(section_id=section_id).values(*_SECTION_FIELDS).first()
        if section_id
        else None
    )
    own = ArticlePolicy.objects.filter(article_id=article.pk).values(*_ARTICLE_FIELDS).first()
    if key is not None:
        try:
            cache.set(key, (section, own), TTL)
        except Exception:
            log.warning("comment policy cache unavailable", exc_info=True)
    return section, own


def _apply(
    values: dict[str, Any], overrides: dict[str, Any], where: str, sources: dict[str, str]
) -> None:
    def put(name: str, value: Any) -> None:
        values[name] = value
        sources[name] = where

    if overrides["moderation"]:
        put("premoderate", overrides["moderation"] == "pre")
    for name in ("signed_in_only", "require_name_email"):
        if overrides[name]:
            put(name, overrides[name] == "yes")
    for name in ("close_after_days", "hold_links", "trust_after_approved"):
        if overrides[name] is not None:
            put(name, overrides[name])
    if overrides["trust_after_approved"]:
        put("hold_first_comment", True)
    for name in ("moderation_words", "disallowed_words"):
        if overrides[name].strip():
            put(name, f"{values[name]}\n{overrides[name]}")


def _hours(section: dict[str, Any]) -> StaffedHours | None:
    start: time | None = section["staffed_from"]
    end: time | None = section["staffed_until"]
    if start is None or end is None:
        return None
    try:
        return StaffedHours(
            days=parse_days(section["staffed_days"]),
            start=start,
            end=end,
            timezone=section["timezone"],
            outside=section["outside_hours"],
        )
    except ValueError:
        return None


def with_overrides(*, article: ArticlePage, policy: Policy) -> Policy:
    section, own = _rows(article)
    if section is None and own is None:
        return policy
    values = {f.name: getattr(policy, f.name) for f in dataclasses.fields(policy)}
    sources: dict[str, str] = dict(policy.sources)
    if section is not None:
        _apply(values, section, f"section “{section['section__title']}”", sources)
        values["hours"] = _hours(section)
    if own is not None:
        _apply(values, own, "this article", sources)
        if own["ignore_hours"]:
            values["hours"] = None
    values["sources"] = sources
    return Policy(**values)
