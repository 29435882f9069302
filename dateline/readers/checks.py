"""System checks: an OpenID Connect provider the operator configured incompletely is reported
by ``manage.py check`` (and stops ``runserver``, ``migrate``) instead of failing for readers;
``check --deploy`` warns when mail would be written to the task worker's log instead of sent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.checks import Warning as CheckWarning


def oidc_providers_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from .oidc import provider_problems

    return [
        Error(problem, hint="docs/readers.md, OpenID Connect", id="readers.E001")
        for slug, conf in settings.DATELINE_READER_OIDC_PROVIDERS.items()
        for problem in provider_problems(slug, conf)
    ]


CONSOLE_MAIL = "django.core.mail.backends.console.EmailBackend"


def mail_delivery_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Deploy only: EMAIL_URL left at its default (``consolemail://``) sends nothing. Each mail,
    sign-in links included (they sign a reader in), is printed in the task worker's log."""
    if settings.EMAIL_BACKEND != CONSOLE_MAIL:
        return []
    return [
        CheckWarning(
            "Mail is not sent: EMAIL_URL is not set, so every mail, sign-in links included, is "
            "written to the task worker's log instead.",
            hint="Set EMAIL_URL to your mail server, e.g. "
            "smtp+tls://user:password@smtp.example.org:587 (docs/readers.md, For operators).",
            id="readers.W002",
        )
    ]
