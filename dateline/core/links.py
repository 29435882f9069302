"""Addresses for places that have no request to read the host from: mail and exports.

They all start with one configured address, ``settings.DATELINE_BASE_URL`` (``make demo`` sets
it from ``HOST`` and ``PORT``), never with the host a Wagtail ``Site`` row names (the
migration's ``localhost:80``) nor with a default port.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def base_url() -> str:
    """The site's public address, without a trailing slash."""
    return str(settings.DATELINE_BASE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (starting with "/") on the site's public address."""
    return base_url() + path


def page_absolute_url(page: Any) -> str:
    """A Wagtail page's public address; "" for a page outside every site's tree."""
    parts = page.get_url_parts()
    if parts is None:
        return ""
    _site_id, _root_url, page_path = parts
    return absolute_url(page_path)
