from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from dateline.core import views as core_views
from dateline.news import admin_views as news_admin_views
from dateline.news import views as news_views
from dateline.seo import views as seo_views

urlpatterns = [
    # Wagtail's workflow action, with a message saying what it did (news/admin_views.py); the
    # same address, so Wagtail's links (reverse of wagtailadmin_pages:workflow_action) reach it.
    path(
        "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        news_admin_views.NewsroomWorkflowAction.as_view(),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", news_views.search, name="search"),
    path("comments/", include("dateline.comments.urls")),
    path("privacy/", include("dateline.commenters.urls")),
    path("newsletters/", include("dateline.newsletters.urls")),
    path("readers/", include("dateline.readers.urls")),
    path("feeds/", include("dateline.feeds.urls")),
    path("live/", include("dateline.live.urls")),
    path("readership/", include("dateline.readership.urls")),
    path("api/v1/", include("dateline.api.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/process", core_views.healthz_process, name="healthz_process"),
    path("robots.txt", seo_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo_views.sitemap_index, name="seo_sitemap_index"),
    path("sitemap-<slug:section>.xml", seo_views.sitemap_section, name="seo_sitemap_section"),
    path("favicon.ico", core_views.favicon, name="favicon"),
]

if settings.DATELINE_DEMO_MAILBOX:  # make demo only (docs/readers.md)
    from dateline.demo.mailbox import mailbox_view

    urlpatterns += [path("demo/mailbox/", mailbox_view, name="demo_mailbox")]

if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", core_views.media, name="media")]

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "dateline.core.views.bad_request"
handler403 = "dateline.core.views.permission_denied"
handler404 = "dateline.core.views.page_not_found"
handler500 = "dateline.core.views.server_error"
