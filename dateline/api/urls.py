from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

import dateline.core.converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "api"

urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="articles"),
    path("articles/<id:pk>/", views.ArticleDetail.as_view(), name="article"),
    path("articles/<id:pk>/comments/", views.ArticleComments.as_view(), name="article_comments"),
    path("comments/<id:pk>/", views.CommentDetail.as_view(), name="comment"),
    path("sections/", views.SectionList.as_view(), name="sections"),
    path("sections/<slug:slug>/", views.SectionDetail.as_view(), name="section"),
    path("authors/", views.AuthorList.as_view(), name="authors"),
    path("authors/<slug:slug>/", views.AuthorDetail.as_view(), name="author"),
    path("tags/", views.TagList.as_view(), name="tags"),
    path("moderation/comments/", views.ModerationQueue.as_view(), name="moderation_queue"),
    path(
        "moderation/comments/<id:pk>/<str:action>/",
        views.ModerateComment.as_view(),
        name="moderate",
    ),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
