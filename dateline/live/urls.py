"""Live coverage's own addresses (the live pages themselves are Wagtail pages)."""

from __future__ import annotations

from django.urls import path

import dateline.core.converters  # noqa: F401 - registers <id:…>

from . import views
from .feeds import AtomLiveUpdatesFeed, LiveUpdatesFeed

app_name = "live"

urlpatterns = [
    path("breaking/", views.breaking, name="breaking"),
    path("<id:page_id>/updates/", views.live_updates, name="updates"),
    path("<id:page_id>/rss/", LiveUpdatesFeed(), name="rss"),
    path("<id:page_id>/atom/", AtomLiveUpdatesFeed(), name="atom"),
    path("updates/<id:update_id>/", views.live_update_link, name="update"),
]
