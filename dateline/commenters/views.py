"""Commenters' own pages: ask for an export or erasure, confirm it from the emailed link."""

from __future__ import annotations

import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .forms import PrivacyRequestForm
from .models import PrivacyRequest
from .selectors import commenter_export, commenter_settings
from .services import (
    commenter_erase,
    digest_unsubscribe,
    privacy_request_complete,
    privacy_request_from_token,
    privacy_request_start,
)


def export_response(data: dict[str, object], *, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def privacy_request_view(request: HttpRequest) -> HttpResponse:
    form = PrivacyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            privacy_request_start(email=form.cleaned_data["email"], kind=form.cleaned_data["kind"])
        # The same answer whether or not the address commented, or asked too often.
        return render(request, "commenters/sent.html")
    status = 400 if request.method == "POST" else 200
    keeps_text = commenter_settings(site=getattr(request, "site", None)).erasure_keeps_text
    return render(
        request, "commenters/request.html", {"form": form, "keeps_text": keeps_text}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def privacy_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    privacy_request = privacy_request_from_token(token)
    if privacy_request is None:
        return render(request, "commenters/invalid.html", status=400)
    if request.method == "GET":
        # A button, not the link itself: mail scanners that open links must not act.
        return render(request, "commenters/confirm.html", {"privacy_request": privacy_request})
    email = privacy_request.email
    if privacy_request.kind == PrivacyRequest.Kind.EXPORT:
        data = commenter_export(email=email, requester_key=privacy_request.requester_key)
        privacy_request_complete(
            request=privacy_request,
            summary={"comments": len(data["comments"])},
        )
        return export_response(data, filename=f"comments-{timezone.now():%Y%m%d}.json")
    with transaction.atomic():
        erasure = commenter_erase(email=email, site=getattr(request, "site", None))
        privacy_request_complete(
            request=privacy_request,
            summary={"comments": erasure.comments, "text_kept": erasure.text_kept},
        )
    return render(request, "commenters/erased.html", {"erasure": erasure})


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a page
@require_http_methods(["GET", "POST"])
def digest_off_view(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return render(request, "commenters/digest_off.html", {"done": False})
    if not digest_unsubscribe(token=token):
        return render(request, "commenters/invalid.html", status=400)
    return render(request, "commenters/digest_off.html", {"done": True})
