"""Answers shared by the reader-facing views: JSON for the page's script, a page otherwise, and a
service's refusal (``core.errors.ServiceError``) turned into either, in one place."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from dateline.core.errors import ServiceError


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def error_response(
    request: HttpRequest, message: str, *, status: int, retry_after: int | None = None
) -> HttpResponse:
    """``{"ok": false, "message": …}`` for the page's script, the message page otherwise;
    private, never stored."""
    if wants_json(request):
        response: HttpResponse = JsonResponse({"ok": False, "message": message}, status=status)
    else:
        response = render(
            request,
            "comments/message.html",
            {"title": "We could not do that", "message": message},
            status=status,
        )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    patch_cache_control(response, private=True, no_store=True)
    return response


def refused_response(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    """A service's refusal as a page or JSON: its status, message and Retry-After."""
    return error_response(request, exc.message, status=exc.status, retry_after=exc.retry_after)


def with_params(url: str, **params: Any) -> str:
    base, _, anchor = url.partition("#")
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}{urlencode(params)}" + (f"#{anchor}" if anchor else "")
