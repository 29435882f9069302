"""What the readers' services refuse, with its HTTP meaning (``core.errors.ServiceError``)."""

from __future__ import annotations

from dateline.core.errors import ServiceError


class SignInRateLimited(ServiceError):
    status = 429
    default_message = "Too many sign-in links were asked for. Please wait, then try again."


class LinkNotUsable(ServiceError):
    status = 400
    default_message = (
        "This sign-in link cannot be used: it is not one of ours, it has expired, or it was "
        "used already. Ask for a new one below."
    )
