"""``{% newsletter_signup page %}``: the small signup form on article and section pages.

The form is the same for every reader (those pages are cached): the newsletters it offers come
from a fragment kept between requests (``selectors.newsletters_offered``), so a warm page asks
the database nothing for it."""

from __future__ import annotations

from typing import Any

from django import template

from dateline.news.models import SectionPage

from ..selectors import newsletters_offered

register = template.Library()


@register.inclusion_tag("newsletters/includes/signup.html", takes_context=True)
def newsletter_signup(context: Any, page: Any) -> dict[str, Any]:
    request = context.get("request")
    if isinstance(page, SectionPage):
        section_id, where = page.pk, "section"
    else:
        section_id, where = getattr(page, "section_id", None), "article"
    user = getattr(request, "user", None)
    return {
        "offers": newsletters_offered(section_id=section_id),
        "where": where,
        "signed_in": bool(user is not None and user.is_authenticated),
        "csrf_token": context.get("csrf_token"),
    }
