"""The demo's mailbox: the mail the site sent, read from the file mail backend's folder, so a
sign-in or confirmation link can be followed in the browser. Routed only when
``DATELINE_DEMO_MAILBOX`` is on (``make demo``); production settings refuse to start with it."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
SHOWN = 30


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    date: str
    text: str
    headers: list[tuple[str, str]]


def _folder() -> Path | None:
    backend = str(getattr(settings, "EMAIL_BACKEND", ""))
    path = getattr(settings, "EMAIL_FILE_PATH", None)
    if not settings.DATELINE_DEMO_MAILBOX or not backend.endswith("filebased.EmailBackend"):
        return None
    return Path(path) if path else None


def _messages(folder: Path) -> list[Mail]:
    found: list[Mail] = []
    files = sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    for file in files[:SHOWN]:
        for raw in reversed([r for r in file.read_bytes().split(SEPARATOR) if r.strip()]):
            message = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            part = message.get_body(preferencelist=("plain",))
            text = part.get_content() if part is not None else ""
            found.append(
                Mail(
                    to=str(message["To"] or ""),
                    subject=str(message["Subject"] or ""),
                    date=str(message["Date"] or ""),
                    text=str(text),
                    headers=[(k, str(v)) for k, v in message.items()],
                )
            )
    return found[:SHOWN]


@require_GET
def mailbox_view(request: HttpRequest) -> HttpResponse:
    folder = _folder()
    if folder is None:
        raise Http404
    mails = _messages(folder) if folder.is_dir() else []
    response = render(request, "demo/mailbox.html", {"mails": mails})
    patch_cache_control(response, private=True, no_store=True)
    return response
