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


class ProviderUnavailable(ServiceError):
    """An OpenID Connect provider did not answer in time, or answered with a server error."""

    status = 503
    retry_after = 60
    default_message = (
        "The provider you chose to sign in with is not answering. Please try again in a "
        "minute, or ask for a sign-in link by email below."
    )


class ProviderSignInFailed(ServiceError):
    """The provider's answer cannot sign anyone in: it did not start here (state), it was
    refused, forged, expired or meant for another site."""

    status = 400
    default_message = (
        "We could not complete the sign-in with your provider: it was cancelled, it took too "
        "long, or its answer could not be verified. Please start again."
    )


class ProviderAddressUnverified(ServiceError):
    status = 403
    default_message = (
        "Your provider did not confirm an email address for you, so we cannot open an account "
        "with it. Ask for a sign-in link by email below instead."
    )
