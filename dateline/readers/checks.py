"""System checks: an OpenID Connect provider the operator configured incompletely is reported
by ``manage.py check`` (and stops ``runserver``, ``migrate``) instead of failing for readers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error


def oidc_providers_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from .oidc import provider_problems

    return [
        Error(problem, hint="docs/readers.md, OpenID Connect", id="readers.E001")
        for slug, conf in settings.DATELINE_READER_OIDC_PROVIDERS.items()
        for problem in provider_problems(slug, conf)
    ]
