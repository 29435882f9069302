"""The comment policy in force on one article: the site's settings, then its section's and its
own overrides (``settings.DATELINE_COMMENT_POLICY_OVERRIDES``, by default the moderation app's
section and article policies). The rules read it from ``ScreenContext.policy``.

``comments`` does not import ``moderation``: the overrides are named by dotted path, as the rules
are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from dateline.core.memo import generation

if TYPE_CHECKING:
    from dateline.news.models import ArticlePage

    from .models import CommentSettings


class Hours(Protocol):
    """Staffed moderation hours (dateline.moderation.hours.StaffedHours)."""

    outside: str  # "pre": hold every comment outside them; "close": take no comment

    def staffed(self, moment: datetime) -> bool: ...
    def notice(self) -> str: ...
    def closed_message(self, moment: datetime) -> str: ...


@dataclass(frozen=True)
class Policy:
    premoderate: bool = False
    require_name_email: bool = True
    signed_in_only: bool = False
    close_after_days: int = 0
    hold_links: int = 2
    hold_first_comment: bool = True
    trust_after_approved: int = 1
    rejected_share: int = 30
    rejected_window_days: int = 7
    repeat_window_hours: int = 24
    max_length: int = 65_525
    moderation_words: str = ""
    disallowed_words: str = ""
    blocked_link_domains: str = ""
    hold_disposable_email: bool = True
    hours: Hours | None = None
    # Where a setting came from when it is not the site's: {"premoderate": "section “Sport”"}.
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def from_settings(cls, site_settings: CommentSettings) -> Policy:
        names = {f.name for f in fields(cls)} - {"hours", "sources"}
        return cls(**{name: getattr(site_settings, name) for name in names})

    def source(self, name: str) -> str:
        """ " (section “Sport”)" when a section or article set ``name``; "" for the site's."""
        where = self.sources.get(name)
        return f" ({where})" if where else ""

    def closed_by_age(self, article: ArticlePage, now: datetime) -> bool:
        published = article.first_published_at
        return bool(
            self.close_after_days
            and published is not None
            and (now - published).days >= self.close_after_days
        )

    def hours_closed(self, now: datetime) -> bool:
        return (
            self.hours is not None and self.hours.outside == "close" and not self.hours.staffed(now)
        )


@lru_cache(maxsize=4)
def _overrides(path: str) -> Any:
    return import_string(path)


def policy_for(article: ArticlePage, site_settings: CommentSettings) -> Policy:
    """The effective policy, remembered on the article object for the rest of the request (until
    settings or a policy change in this process: ``core.memo.forget``)."""
    memo = article.__dict__.get("_comment_policy")
    if memo is not None and memo[0] is site_settings and memo[2] == generation():
        return memo[1]
    policy = Policy.from_settings(site_settings)
    path = getattr(settings, "DATELINE_COMMENT_POLICY_OVERRIDES", "")
    if path:
        policy = _overrides(path)(article=article, policy=policy)
    article.__dict__["_comment_policy"] = (site_settings, policy, generation())
    return policy
