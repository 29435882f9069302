"""Sign-in through the OpenID Connect providers the operator configures, with
mozilla-django-oidc (docs/decisions/0073, 0081).

The library does the protocol: the authorization request (state, nonce, PKCE) in
``OIDCAuthenticationRequestView`` and, in ``OIDCAuthenticationBackend``, the code's exchange, the
id_token's signature (the provider's JWKS), algorithm and nonce, and the userinfo request. This
module gives it one provider's settings at a time (``provider_setting``), checks what the
library leaves out (the token's issuer, audience and expiry; the userinfo's subject) and keeps
readers out of Django's session and auth:

- the sign-ins under way (state, nonce, PKCE verifier, where to go back to) live in a signed
  cookie of their own (``STATE_COOKIE``, under ``/readers/oidc/``, ten minutes), not in Django's
  session, whose cookie would make every page private (docs/decisions/0072);
- the backend is not in ``AUTHENTICATION_BACKENDS`` and returns the verified identity, never a
  user: ``services.reader_oidc_sign_in`` finds or creates the reader and starts the reader
  cookie. Django's ``authenticate()`` and ``login()`` (and the newsroom's sign-in throttling)
  never see a reader.

No request leaves while no provider is configured; the discovery document is fetched on the
first sign-in with a provider, then kept an hour in the cache.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from dateline.comments.models import EMAIL_MAX

from .errors import ProviderSignInFailed, ProviderUnavailable
from .models import IDENTITY_MAX

log = logging.getLogger(__name__)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
SIGN_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512")
REQUIRED = ("issuer", "client_id", "client_secret")
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_endpoint")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
DISCOVERY_SECONDS = 3600

STATE_COOKIE = "dl_oidc"
STATE_PATH = "/readers/oidc/"
STATE_SALT = "dateline.readers.oidc"
STATE_SECONDS = 600


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid email"
    sign_algo: str = "RS256"
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    userinfo_endpoint: str = ""
    jwks_endpoint: str = ""


@dataclass(frozen=True)
class Identity:
    """What a provider vouched for, verified: who (``issuer``, ``subject``) and, if it says so,
    an address it checked (``email_verified``)."""

    provider: Provider
    issuer: str
    subject: str
    email: str
    email_verified: bool


# --- Configuration ------------------------------------------------------------------------------


def _url_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return None  # a provider on this machine (development, tests)
    return "must be an https:// address"


def provider_problems(slug: str, conf: dict[str, str]) -> list[str]:
    """What is wrong with one provider's settings (``checks`` reports them; such a provider
    gets no button)."""
    env = f"DATELINE_READER_OIDC_{slug.upper().replace('-', '_')}_"
    problems = []
    if not SLUG.match(slug) or slug == "callback":
        problems.append(
            f"{slug!r} in DATELINE_READER_OIDC_PROVIDERS: use lower-case letters, digits and "
            '"-" (and not "callback")'
        )
    problems += [f"{env}{field.upper()} is not set" for field in REQUIRED if not conf.get(field)]
    if len(conf.get("issuer") or "") > IDENTITY_MAX:
        problems.append(f"{env}ISSUER: at most {IDENTITY_MAX} characters")
    for field in ("issuer", *ENDPOINTS):
        problem = _url_problem(conf[field]) if conf.get(field) else None
        if problem:
            problems.append(f"{env}{field.upper()} {problem}")
    algo = conf.get("sign_algo") or "RS256"
    if algo not in SIGN_ALGORITHMS:
        problems.append(f"{env}SIGN_ALGO: one of {', '.join(SIGN_ALGORITHMS)}")
    scopes = (conf.get("scopes") or "openid email").split()
    if "openid" not in scopes:
        problems.append(f'{env}SCOPES must include "openid"')
    return problems


def oidc_providers() -> list[Provider]:
    """The providers readers may sign in with, in the operator's order; none by default."""
    found = []
    for slug, conf in settings.DATELINE_READER_OIDC_PROVIDERS.items():
        if provider_problems(slug, conf):
            continue
        found.append(
            Provider(
                slug=slug,
                name=conf.get("display_name") or slug,
                issuer=conf["issuer"],
                client_id=conf["client_id"],
                client_secret=conf["client_secret"],
                scopes=conf.get("scopes") or "openid email",
                sign_algo=conf.get("sign_algo") or "RS256",
                **{field: conf.get(field) or "" for field in ENDPOINTS},
            )
        )
    return found


def oidc_provider(slug: str) -> Provider | None:
    return next((p for p in oidc_providers() if p.slug == slug), None)


def provider_endpoints(provider: Provider) -> Provider:
    """The provider with all its endpoints: the operator's, else those of the issuer's
    discovery document (fetched once an hour). Raises ProviderUnavailable when the document
    cannot be had or is not the issuer's."""
    if provider.authorization_endpoint and provider.token_endpoint and provider.jwks_endpoint:
        return provider
    key = "readers:oidc:discovery:" + hashlib.sha256(provider.issuer.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.DATELINE_READER_OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("OpenID Connect discovery failed for %s: %s", provider.slug, exc)
            raise ProviderUnavailable from exc
        if not _discovery_usable(provider, document):
            log.error("OpenID Connect discovery for %s: not the issuer's document", provider.slug)
            raise ProviderUnavailable
        cache.set(key, document, DISCOVERY_SECONDS)
    return replace(
        provider,
        authorization_endpoint=provider.authorization_endpoint
        or document["authorization_endpoint"],
        token_endpoint=provider.token_endpoint or document["token_endpoint"],
        userinfo_endpoint=provider.userinfo_endpoint or document.get("userinfo_endpoint") or "",
        jwks_endpoint=provider.jwks_endpoint or document["jwks_uri"],
    )


def _discovery_usable(provider: Provider, document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    if not _same_issuer(document.get("issuer"), provider.issuer):
        return False  # OpenID Connect Discovery 4.3
    for field in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"):
        value = document.get(field)
        if value is None and field == "userinfo_endpoint":
            continue
        if not isinstance(value, str) or _url_problem(value):
            return False
    return True


def _same_issuer(value: Any, issuer: str) -> bool:
    return isinstance(value, str) and value.rstrip("/") == issuer.rstrip("/")


def provider_setting(provider: Provider, attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings for one provider. Everything that decides how a token is
    checked is fixed here, so no site-wide ``OIDC_*`` setting can loosen it."""
    values: dict[str, Any] = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": provider.authorization_endpoint,
        "OIDC_OP_TOKEN_ENDPOINT": provider.token_endpoint,
        "OIDC_OP_USER_ENDPOINT": provider.userinfo_endpoint or None,
        "OIDC_OP_JWKS_ENDPOINT": provider.jwks_endpoint,
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": provider.client_secret,
        "OIDC_RP_SIGN_ALGO": provider.sign_algo,
        "OIDC_RP_SCOPES": provider.scopes,
        "OIDC_RP_IDP_SIGN_KEY": None,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_VERIFY_SSL": True,
        "OIDC_TIMEOUT": settings.DATELINE_READER_OIDC_TIMEOUT,
        "OIDC_PROXY": None,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "readers:oidc_callback",
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
        "OIDC_TOKEN_USE_BASIC_AUTH": False,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
    }
    if attr in values:
        return values[attr]
    return import_from_settings(attr, *default)


# --- Sign-ins under way: a signed cookie, not Django's session ----------------------------------


def states_load(request: HttpRequest) -> dict[str, Any]:
    """The browser's sign-ins under way (the library's ``oidc_states``), younger than ten
    minutes; an empty one when the cookie is missing, forged or old."""
    try:
        data = signing.loads(
            request.COOKIES.get(STATE_COOKIE, ""), salt=STATE_SALT, max_age=STATE_SECONDS
        )
    except signing.BadSignature:
        return {"oidc_states": {}}
    states = data.get("oidc_states") if isinstance(data, dict) else None
    if not isinstance(states, dict):
        return {"oidc_states": {}}
    now = time.time()
    return {
        "oidc_states": {
            key: entry
            for key, entry in states.items()
            if isinstance(entry, dict) and now - float(entry.get("added_on", 0)) < STATE_SECONDS
        }
    }


def states_write(request: HttpRequest, response: HttpResponse, store: dict[str, Any]) -> None:
    if not store.get("oidc_states"):
        response.delete_cookie(STATE_COOKIE, path=STATE_PATH, samesite="Lax")
        return
    response.set_cookie(
        STATE_COOKIE,
        signing.dumps({"oidc_states": store["oidc_states"]}, salt=STATE_SALT, compress=True),
        max_age=STATE_SECONDS,
        path=STATE_PATH,
        httponly=True,
        # Lax: sent when the provider sends the browser back (a top-level GET).
        samesite="Lax",
        secure=request.is_secure() or bool(settings.SESSION_COOKIE_SECURE),
    )


class ReaderOIDCRequestView(OIDCAuthenticationRequestView):
    """The library's authorization request (state, nonce, PKCE) for one provider."""

    provider: Provider | None = None  # given to as_view()

    def get_settings(self, attr: str, *args: Any) -> Any:
        assert self.provider is not None
        return provider_setting(self.provider, attr, *args)


def oidc_redirect(request: HttpRequest, provider: Provider, *, next_url: str) -> HttpResponse:
    """The redirect to the provider's sign-in page, with the state, nonce and PKCE verifier
    remembered in the browser's state cookie along with the provider and ``next_url``."""
    store = states_load(request)
    known = set(store["oidc_states"])
    session = getattr(request, "session", None)
    # The library keeps its state in request.session: here, the cookie's dict, never Django's.
    request.session = store  # type: ignore[assignment]
    try:
        response = ReaderOIDCRequestView.as_view(provider=provider)(request)
    finally:
        if session is not None:
            request.session = session
        else:
            del request.session
    store.pop("oidc_login_next", None)  # the library's; ours is per sign-in
    for key in set(store["oidc_states"]) - known:
        store["oidc_states"][key].update(provider=provider.slug, next=next_url)
    states_write(request, response, store)
    return response


@dataclass(frozen=True)
class PendingSignIn:
    provider: Provider
    nonce: str
    code_verifier: str | None
    next_url: str


def pending_sign_in_take(store: dict[str, Any], query: Any) -> PendingSignIn:
    """The sign-in this callback finishes, taken out of ``store`` (it can be finished once).
    Raises ProviderSignInFailed when the provider answered with an error, or the callback's
    state is not one this browser started (forged, replayed, expired, another browser)."""
    state = query.get("state") or ""
    entry = store["oidc_states"].pop(state, None) if isinstance(state, str) else None
    if query.get("error"):
        # The reader cancelled, or the provider refused: no code to exchange.
        raise ProviderSignInFailed(
            "The sign-in was cancelled or refused at your provider. You can start again, or "
            "ask for a sign-in link by email."
        )
    provider = oidc_provider(str(entry.get("provider", ""))) if entry else None
    if entry is None or provider is None or not query.get("code"):
        raise ProviderSignInFailed(
            "This sign-in did not start in this browser, or it took longer than ten minutes. "
            "Please start again."
        )
    verifier = entry.get("code_verifier")
    return PendingSignIn(
        provider=provider,
        nonce=str(entry.get("nonce") or ""),
        code_verifier=verifier if isinstance(verifier, str) else None,
        next_url=str(entry.get("next") or ""),
    )


# --- The code's exchange and the token's verification --------------------------------------------


class ReaderOIDCBackend(OIDCAuthenticationBackend):
    """The library's token exchange and verification for one provider, plus what it leaves
    out. Its ``authenticate`` returns an ``Identity``, never a user."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        super().__init__()

    def get_settings(self, attr: str, *args: Any) -> Any:
        return provider_setting(self.provider, attr, *args)

    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        claims: Any = super()._verify_jws(payload, key)  # signature, algorithm, expiry if any
        if not isinstance(claims, dict):
            raise SuspiciousOperation("id_token: not a claims object")
        if not _same_issuer(claims.get("iss"), self.provider.issuer):
            raise SuspiciousOperation("id_token: another issuer")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.provider.client_id not in audiences:
            raise SuspiciousOperation("id_token: meant for another client")
        if len(audiences) > 1 and claims.get("azp") != self.provider.client_id:
            raise SuspiciousOperation("id_token: authorized for another client")
        expires = claims.get("exp")
        if not isinstance(expires, int | float) or expires <= time.time():
            raise SuspiciousOperation("id_token: no expiry, or expired")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not 0 < len(subject) <= IDENTITY_MAX:
            raise SuspiciousOperation("id_token: no usable subject")
        return claims

    def get_userinfo(self, access_token: Any, id_token: Any, payload: Any) -> Any:
        if not self.provider.userinfo_endpoint:
            return {}
        return super().get_userinfo(access_token, id_token, payload)

    def get_or_create_user(self, access_token: Any, id_token: Any, payload: Any) -> Identity:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict):
            raise SuspiciousOperation("userinfo: not a claims object")
        if userinfo and userinfo.get("sub") != payload["sub"]:
            # OpenID Connect Core 5.3.4: the userinfo must be about the token's subject.
            raise SuspiciousOperation("userinfo: another subject")
        claims = {**payload, **userinfo}
        return Identity(
            provider=self.provider,
            issuer=self.provider.issuer.rstrip("/"),
            subject=payload["sub"],
            email=_email(claims.get("email")),
            email_verified=claims.get("email_verified") in (True, "true", "True"),
        )


def _email(value: Any) -> str:
    if not isinstance(value, str) or len(value.strip()) > EMAIL_MAX:
        return ""
    try:
        validate_email(value.strip())
    except ValidationError:
        return ""
    return value.strip()


def oidc_identity_verify(*, request: HttpRequest, pending: PendingSignIn) -> Identity:
    """Exchange the callback's code at the provider and verify what it answers (through the
    library). Raises ProviderUnavailable when the provider does not answer in time or answers
    with a server error, ProviderSignInFailed for anything else that signs nobody in (a code
    refused, a token forged, expired, for another client or issuer, a nonce that differs)."""
    provider = provider_endpoints(pending.provider)
    backend = ReaderOIDCBackend(provider)
    try:
        identity = backend.authenticate(
            request, nonce=pending.nonce, code_verifier=pending.code_verifier
        )
    except (requests.Timeout, requests.ConnectionError) as exc:
        log.warning("OpenID Connect provider %s unreachable: %s", provider.slug, exc)
        raise ProviderUnavailable from exc
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else 502
        log.warning("OpenID Connect provider %s answered %s", provider.slug, status)
        if status >= 500 or status == 429:
            raise ProviderUnavailable from exc
        raise ProviderSignInFailed from exc
    except (
        SuspiciousOperation,
        jwt.PyJWTError,
        requests.RequestException,
        ValueError,
        KeyError,
        TypeError,
    ) as exc:
        log.warning("OpenID Connect sign-in with %s refused: %r", provider.slug, exc)
        raise ProviderSignInFailed from exc
    if not isinstance(identity, Identity):
        raise ProviderSignInFailed
    return identity
