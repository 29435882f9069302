from django.urls import path

import dateline.core.converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "readers"

urlpatterns = [
    path("sign-in/", views.sign_in_view, name="sign_in"),
    path("link/<str:token>/", views.link_view, name="link"),
    path("oidc/callback/", views.oidc_callback_view, name="oidc_callback"),
    path("oidc/<slug:provider>/", views.oidc_start_view, name="oidc_start"),
    path("sign-out/", views.sign_out_view, name="sign_out"),
    path("me/", views.account_view, name="account"),
    path("me/export/", views.export_view, name="export"),
    path("me/delete/", views.delete_view, name="delete"),
    path("state/", views.state_view, name="state"),
    path("respond/<id:article_id>/", views.respond_view, name="respond"),
]
