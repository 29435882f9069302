"""Sign-in throttling for the newsroom (django-axes, docs/decisions/0064-sign-in-throttling.md).

django-axes counts failed sign-ins and refuses further ones for a cool-off period. It counts
two things here, each with its own limit:

- one account from one network (the client's address and the user name): a few tries, for
  the person who forgot their password and for guessing at one account;
- one network alone (the address, whatever the user name): more, so one office's typos don't
  lock each other out, but a spray over many accounts is stopped.

The address is ``dateline.core.net.client_ip``, the same one every other limit uses (it
trusts ``X-Forwarded-For`` only for the configured number of proxies).
"""

from __future__ import annotations

import logging
import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

from .net import client_ip

log = logging.getLogger(__name__)

# Counted together: the account at this address, and the address alone (in this order).
LOCKOUT_PARAMETERS: list[str | list[str]] = [["ip_address", "username"], "ip_address"]


def lockout_parameters(request: Any, credentials: Any = None) -> list[str | list[str]]:
    """AXES_LOCKOUT_PARAMETERS: the order ``SignInThrottle.get_failures`` relies on."""
    return LOCKOUT_PARAMETERS


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler with a limit per counter.

    Axes compares one number with one limit, ``AXES_FAILURE_LIMIT`` (the account's). The
    network's count is scaled so that reaching ``DATELINE_SIGNIN_NETWORK_FAILURE_LIMIT`` reaches
    that limit exactly: ``n * account // network >= account`` holds iff ``n >= network``."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        account_qs, network_qs = self.get_user_attempts(request, credentials)
        account = account_qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
        network = network_qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
        account_limit = int(settings.AXES_FAILURE_LIMIT)
        network_limit = int(settings.DATELINE_SIGNIN_NETWORK_FAILURE_LIMIT)
        return max(account, network * account_limit // max(network_limit, 1))


def cool_off_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_message(request: HttpRequest | None = None) -> str:
    minutes = cool_off_minutes(request)
    return ngettext(
        "Too many failed sign-ins for this account or from this network. To protect the "
        "newsroom, signing in is paused: please try again in %(minutes)d minute.",
        "Too many failed sign-ins for this account or from this network. To protect the "
        "newsroom, signing in is paused: please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the sign-in page again, its form with the user name kept and the
    reason in place of "wrong password", status 429 with Retry-After."""
    username = get_client_username(request, credentials) or ""
    log.warning(
        "sign-in refused (throttled): user %r from %s",
        username[:150],
        client_ip(request) or "unknown address",
    )
    message = lockout_message(request)
    context = getattr(original_response, "context_data", None)
    form = context.get("form") if isinstance(context, dict) else None
    if isinstance(original_response, TemplateResponse) and form is not None:
        # The lockout, not "wrong password", is the reason (the view validated the form already:
        # validating it again would be one more sign-in attempt).
        form.errors.clear()
        form.add_error(None, message)
        page = TemplateResponse(request, original_response.template_name, context, status=429)
        response: HttpResponse = page.render()
    else:
        response = HttpResponse(message, content_type="text/plain; charset=utf-8", status=429)
    response["Retry-After"] = str(cool_off_minutes(request) * 60)
    return response
