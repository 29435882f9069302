"""The comment settings and rules in force on an article, and who a commenter is."""

from __future__ import annotations

import logging

from django.core.cache import cache

from dateline.core.memo import forget, generation, remembered
from dateline.news.models import ArticlePage

from ..models import CommentSettings
from ..policy import Policy, policy_for
from ..text import normalise_email

log = logging.getLogger(__name__)

SETTINGS_CACHE_SECONDS = 60


def comment_settings_for(article: ArticlePage) -> CommentSettings:
    """The comment settings of the article's site, from the cache (cleared when they are saved),
    remembered on the article object: the form view and the service ask for them once each."""
    memo = article.__dict__.get("_comment_settings")
    if memo is not None and memo[0] == generation():
        found: CommentSettings = memo[1]
        return found
    found = _site_comment_settings(article)
    article.__dict__["_comment_settings"] = (generation(), found)
    return found


def _site_comment_settings(article: ArticlePage) -> CommentSettings:
    # The site's id from Wagtail's cached site roots (no query for the Site row itself),
    # remembered per page path like the settings: working it out costs more than a post's rules.
    site_id = remembered(f"article-site:{article.url_path}", lambda: _site_id(article))
    if site_id is None:
        return CommentSettings()
    return remembered(f"comment-settings:{site_id}", lambda: _cached_settings(site_id))


def _site_id(article: ArticlePage) -> int | None:
    parts = article.get_url_parts()
    return None if parts is None else int(parts[0])


def _cached_settings(site_id: int) -> CommentSettings:
    key = f"comment-settings:{site_id}"
    try:
        found = cache.get(key)
    except Exception:  # a cache that is down (Redis) must not stop comments: ask the database
        log.warning("cache unavailable for the comment settings", exc_info=True)
        return CommentSettings.objects.get_or_create(site_id=site_id)[0]
    if found is None:
        found = CommentSettings.objects.get_or_create(site_id=site_id)[0]
        try:
            cache.set(key, found, SETTINGS_CACHE_SECONDS)
        except Exception:
            log.warning("cache unavailable for the comment settings", exc_info=True)
    return found


def comment_policy_for(article: ArticlePage) -> Policy:
    """The rules in force on ``article``: the site's settings with its section's and its own
    overrides (remembered on the article for the rest of the request)."""
    return policy_for(article, comment_settings_for(article))


def comment_settings_changed(*, site_id: int) -> None:
    forget("comment-settings:")
    cache.delete(f"comment-settings:{site_id}")


def email_key_for(*, email: str, user_id: int | None) -> str:
    return f"user:{user_id}" if user_id else normalise_email(email)
