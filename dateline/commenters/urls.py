from django.urls import path

from . import views

app_name = "commenters"

urlpatterns = [
    path("", views.privacy_request_view, name="request"),
    path("confirm/<str:token>/", views.privacy_confirm_view, name="confirm"),
    path("digest-off/<str:token>/", views.digest_off_view, name="digest_off"),
]
