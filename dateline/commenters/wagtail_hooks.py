"""The staff side of commenters' rights: export or erase by address, from the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .forms import StaffPrivacyForm
from .models import PrivacyRequest
from .selectors import commenter_export
from .services import commenter_erase, privacy_request_record_staff
from .views import export_response

PERMISSION = "commenters.act_for_commenters"


def commenter_data_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = StaffPrivacyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if form.cleaned_data["action"] == "export":
            privacy_request_record_staff(
                email=email, kind=PrivacyRequest.Kind.EXPORT, actor=request.user
            )
            return export_response(
                commenter_export(email=email), filename=f"commenter-{timezone.now():%Y%m%d}.json"
            )
        with transaction.atomic():
            erasure = commenter_erase(
                email=email, keep_text=form.cleaned_data["keep_text"], actor=request.user
            )
            privacy_request_record_staff(
                email=email, kind=PrivacyRequest.Kind.ERASE, actor=request.user
            )
        messages.success(
            request,
            f"Erased the personal data of {erasure.comments} comment(s) on "
            f"{erasure.articles} article(s).",
        )
        return redirect("commenters_admin_data")
    recent = PrivacyRequest.objects.select_related("actor")[:20]
    return TemplateResponse(
        request,
        "commenters/admin/data.html",
        {"form": form, "recent": recent},
        status=400 if request.method == "POST" else 200,
    )


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [
        path(
            "commenter-data/",
            commenter_data_view,
            name="commenters_admin_data",
        )
    ]


class _DataMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PERMISSION)


@hooks.register("register_settings_menu_item")
def register_menu_item() -> MenuItem:
    return _DataMenuItem(
        "Commenter data", reverse("commenters_admin_data"), icon_name="user", order=900
    )
