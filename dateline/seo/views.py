from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .sitemaps import sitemaps


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(request, sitemaps(), sitemap_url_name="seo_sitemap_section")


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    maps = sitemaps()
    if section not in maps:
        raise Http404
    template = "seo/news_sitemap.xml" if section == "news" else "sitemap.xml"
    response = sitemap_views.sitemap(
        request, {section: maps[section]}, section=section, template_name=template
    )
    if (
        section == "news"
        and isinstance(response, TemplateResponse)
        and response.context_data is not None
    ):
        response.context_data["publication_name"] = settings.SITE_NAME
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    base = f"{request.scheme}://{request.get_host()}"
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /comments/",
        "",
        f"Sitemap: {base}{reverse('seo_sitemap_index')}",
        f"Sitemap: {base}{reverse('seo_sitemap_section', args=['news'])}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
