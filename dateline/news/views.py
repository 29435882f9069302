from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from .selectors import article_search, clean_search_query


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = (
        article_search(query=query, page_number=request.GET.get("page"))
        if clean_search_query(query)
        else None
    )
    return TemplateResponse(request, "news/search.html", {"query": query, "results": results})
