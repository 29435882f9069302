from django.urls import path

import dateline.core.converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "readership"

urlpatterns = [
    path("read/<id:page_id>/", views.beacon, name="beacon"),
    path("read/<id:page_id>.gif", views.pixel, name="pixel"),
]
