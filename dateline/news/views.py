from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from .forms import SearchForm
from .models import Author
from .search import query_cut
from .selectors import SearchFilters, article_search, section_menu


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(
        request.GET, sections=section_menu(), authors=list(Author.objects.only("name", "slug"))
    )
    form.is_valid()
    query = query_cut(form.value("q") or "")
    results = None
    if query:
        filters = SearchFilters(
            section=form.sections.get(form.value("section") or ""),
            author=form.authors.get(form.value("author") or ""),
            date_from=form.value("date_from"),
            date_to=form.value("date_to"),
            sort="recent" if form.value("sort") == "recent" else "relevance",
        )
        results = article_search(query=query, filters=filters, page_number=request.GET.get("page"))
    context = {"query": query, "form": form, "results": results}
    return TemplateResponse(
        request, "news/search.html", context, status=400 if form.errors else 200
    )
