from django.urls import path

import dateline.core.converters  # noqa: F401 - registers <id:…>

from . import reader_views, views

app_name = "comments"

urlpatterns = [
    path("post/", views.comment_post_view, name="post"),
    path("mine/", views.own_comments_view, name="mine"),
    path("stamp/", views.comment_stamp_view, name="stamp"),
    path("<id:comment_id>/", views.comment_permalink_view, name="permalink"),
    path("likes/carry-over/", reader_views.likes_carry_over_view, name="likes_carry_over"),
    path("<id:comment_id>/like/", reader_views.comment_like_view, name="like"),
    path("<id:comment_id>/report/", reader_views.comment_report_view, name="report"),
    path("<id:comment_id>/edit/", reader_views.comment_edit_view, name="edit"),
    path("<id:comment_id>/delete/", reader_views.comment_delete_view, name="delete"),
    path("confirm/<str:token>/", reader_views.subscription_confirm_view, name="confirm"),
    path("unsubscribe/<str:token>/", reader_views.unsubscribe_view, name="unsubscribe"),
]
