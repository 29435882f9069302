from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import section_links


def site(request: HttpRequest) -> dict[str, Any]:
    """The site's name and its sections for the header and footer (core's ``base.html``: each
    with ``pk``, ``title`` and ``url``); read only if a template asks."""
    return {"SITE_NAME": settings.SITE_NAME, "nav_sections": SimpleLazyObject(section_links)}
