from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("manage/", views.manage, name="manage"),
    path("manage/<str:token>/", views.manage_link, name="manage_link"),
    path("webhooks/bounces/", views.bounce_webhook, name="bounce_webhook"),
]
