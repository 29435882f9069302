"""Signing in through an OpenID Connect provider: the real flow against a small provider in a
thread (tests/readers/oidc_provider.py) and mozilla-django-oidc's own verification. A reader
account and the reader cookie, never a newsroom user or Django's session; a clear 4xx or 503
for everything that goes wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from dateline.readers.models import Reader, ReaderIdentity, ReaderSession
from dateline.readers.oidc import STATE_COOKIE
from dateline.readers.tokens import COOKIE, HINT_COOKIE

from .conftest import ORIGIN, SIGN_IN
from .oidc_provider import CLIENT_ID, OIDCProvider

pytestmark = pytest.mark.django_db

START = "/readers/oidc/test-id/"
CALLBACK = "/readers/oidc/callback/"


@pytest.fixture
def provider(settings: Any) -> Iterator[OIDCProvider]:
    found = OIDCProvider().start()
    settings.DATELINE_READER_OIDC_PROVIDERS = {"test-id": found.settings()}
    settings.DATELINE_READER_OIDC_TIMEOUT = 0.5
    yield found
    found.stop()


def to_provider(client: Client, next_url: str = "") -> str:
    """Press "Sign in with …": the address of the provider's sign-in page."""
    response = client.get(START + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


def back_from_provider(authorize_url: str) -> str:
    """What the browser does at the provider: it signs in there, and is sent back with a code
    (the path and query of our callback)."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def sign_in_with_provider(client: Client, next_url: str = "") -> Any:
    return client.get(back_from_provider(to_provider(client, next_url)))


def test_without_a_provider_nothing_changes(client: Client) -> None:
    page = client.get(SIGN_IN)

    assert page.status_code == 200
    assert "Sign in with" not in page.content.decode()
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK + "?code=abc&state=def").status_code == 404


def test_a_provider_gets_a_button_and_no_request_leaves_until_it_is_pressed(
    client: Client, provider: OIDCProvider
) -> None:
    page = client.get(SIGN_IN + "?next=/world/a-story/")

    html = page.content.decode()
    assert 'id="sign-in-with-test-id"' in html
    assert "Sign in with Test ID" in html
    assert 'href="/readers/oidc/test-id/?next=/world/a-story/"' in html
    assert provider.seen == []

    authorize = urlsplit(to_provider(client))
    query = parse_qs(authorize.query)

    assert provider.seen == ["/.well-known/openid-configuration"]
    assert f"{authorize.scheme}://{authorize.netloc}" == provider.issuer
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://testserver/readers/oidc/callback/"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"] and query["state"]
    assert "sessionid" not in client.cookies
    state_cookie = client.cookies[STATE_COOKIE]
    assert state_cookie["httponly"] and state_cookie["samesite"] == "Lax"
    assert state_cookie["path"] == "/readers/oidc/"


def test_the_first_sign_in_opens_a_reader_account_not_a_newsroom_session(
    client: Client, provider: OIDCProvider
) -> None:
    response = sign_in_with_provider(client)

    assert response.status_code == 303, response.content.decode()
    assert response["Location"] == "/readers/me/?welcome=1"
    assert response["Cache-Control"] == "private, no-store"
    assert response.cookies[COOKIE]["httponly"]
    assert response.cookies[HINT_COOKIE].value == "1"
    assert response.cookies[STATE_COOKIE].value == ""  # the finished sign-in is forgotten
    assert "sessionid" not in client.cookies
    reader = Reader.objects.select_related("user").get()
    assert reader.user.email == "ada.idp@example.org"
    assert reader.email_key == "ada.idp@example.org"
    assert not reader.user.is_staff and not reader.user.is_superuser
    assert not reader.user.has_usable_password()
    assert not reader.user.groups.exists()
    # The provider's name for the person is not published: the reader chooses one.
    assert reader.display_name.startswith("Reader ")
    identity = ReaderIdentity.objects.get()
    assert (identity.reader, identity.issuer, identity.subject) == (
        reader,
        provider.issuer,
        "248289761001",
    )
    assert ReaderSession.objects.filter(reader=reader).count() == 1
    # The library asked the provider for the token, its keys and the userinfo.
    assert provider.seen[-3:] == ["/token", "/jwks", "/userinfo"]

    page = client.get("/readers/me/?welcome=1")
    state = client.get("/readers/state/")
    admin = client.get("/admin/")

    assert page.status_code == 200
    assert 'id="reader-welcome"' in page.content.decode()
    assert state.json()["signed_in"] is True
    assert "ada.idp" not in page.content.decode()
    assert "ada.idp" not in state.content.decode()
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]


def test_a_verified_address_signs_in_to_its_account_and_links_it(
    client: Client, provider: OIDCProvider, sign_in: Callable[..., Reader]
) -> None:
    reader = sign_in(Client(), "Ada.IdP@example.org", display_name="Ada L.")

    response = sign_in_with_provider(client, next_url="/world/a-story/")

    assert response.status_code == 303
    assert response["Location"] == "/world/a-story/"
    assert Reader.objects.get() == reader
    assert Reader.objects.get().display_name == "Ada L."
    assert ReaderIdentity.objects.get().reader == reader
    export = client.post("/readers/me/export/", HTTP_ORIGIN=ORIGIN).json()
    assert export["account"]["sign_in_providers"][0]["issuer"] == provider.issuer


def test_a_linked_account_signs_in_by_its_subject_whatever_the_address_says_now(
    client: Client, provider: OIDCProvider
) -> None:
    sign_in_with_provider(Client())
    first = Reader.objects.get()
    provider.user.update(email="someone.else@example.org", email_verified=False)

    response = sign_in_with_provider(client)

    assert response.status_code == 303
    assert response["Location"] == "/readers/me/"
    assert Reader.objects.get() == first
    assert client.get("/readers/state/").json()["name"] == first.display_name


@pytest.mark.parametrize("verified", [False, None, "false"])
def test_an_address_the_provider_did_not_verify_opens_no_account(
    client: Client, provider: OIDCProvider, sign_in: Callable[..., Reader], verified: Any
) -> None:
    sign_in(Client(), "ada.idp@example.org")
    provider.user["email_verified"] = verified

    response = sign_in_with_provider(client)

    assert response.status_code == 403
    assert "did not confirm an email address" in response.content.decode()
    assert COOKIE not in response.cookies
    assert not ReaderIdentity.objects.exists()


@pytest.mark.parametrize(
    ("what", "change"),
    [
        ("forged signature", {"forge": True}),
        ("expired", {"id_token_claims": {"exp": int(time.time()) - 60}}),
        ("another client", {"id_token_claims": {"aud": "someone-else"}}),
        ("another issuer", {"id_token_claims": {"iss": "https://evil.example"}}),
        ("another nonce", {"id_token_claims": {"nonce": "replayed"}}),
        ("no expiry", {"id_token_claims": {"exp": None}}),
    ],
)
def test_an_id_token_that_does_not_verify_signs_nobody_in(
    client: Client, provider: OIDCProvider, what: str, change: dict[str, Any]
) -> None:
    for name, value in change.items():
        setattr(provider, name, value)

    response = sign_in_with_provider(client)

    assert response.status_code == 400, what
    assert "could not be verified" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert COOKIE not in response.cookies
    assert not Reader.objects.exists()


def test_a_callback_this_browser_did_not_start_is_refused(
    client: Client, provider: OIDCProvider
) -> None:
    back = back_from_provider(to_provider(client))
    code = parse_qs(urlsplit(back).query)["code"][0]

    other_browser = Client().get(back)
    wrong_state = client.get(CALLBACK + "?" + urlencode({"code": code, "state": "not-ours"}))
    no_state = client.get(CALLBACK + "?" + urlencode({"code": code}))

    for response in (other_browser, wrong_state, no_state):
        assert response.status_code == 400
        assert "did not start in this browser" in response.content.decode()
    assert "/token" not in provider.seen  # no code was exchanged for them
    assert client.get(back).status_code == 303  # the real one still works, once
    assert client.get(back).status_code == 400
    assert Reader.objects.count() == 1


def test_a_state_cookie_that_was_tampered_with_counts_for_nothing(
    client: Client, provider: OIDCProvider
) -> None:
    back = back_from_provider(to_provider(client))
    client.cookies[STATE_COOKIE] = client.cookies[STATE_COOKIE].value[:-2] + "xx"

    response = client.get(back)

    assert response.status_code == 400
    assert not Reader.objects.exists()


def test_a_sign_in_cancelled_at_the_provider_is_a_clear_page(
    client: Client, provider: OIDCProvider
) -> None:
    state = parse_qs(urlsplit(to_provider(client)).query)["state"][0]

    response = client.get(CALLBACK + "?" + urlencode({"error": "access_denied", "state": state}))

    assert response.status_code == 400
    assert "cancelled or refused" in response.content.decode()
    assert response.cookies[STATE_COOKIE].value == ""


def test_a_provider_that_does_not_answer_in_time_is_a_503_with_retry_after(
    client: Client, provider: OIDCProvider
) -> None:
    back = back_from_provider(to_provider(client))
    provider.token_delay = 1.5  # the timeout is 0.5 s

    response = client.get(back)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "not answering" in response.content.decode()
    assert not Reader.objects.exists()


def test_a_provider_answering_with_a_server_error_is_a_503(
    client: Client, provider: OIDCProvider
) -> None:
    back = back_from_provider(to_provider(client))
    provider.token_status = 502

    response = client.get(back)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"


def test_a_provider_that_is_down_before_the_sign_in_is_a_503(
    client: Client, provider: OIDCProvider
) -> None:
    provider.stop()

    response = client.get(START)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "not answering" in response.content.decode()


def test_a_provider_configured_with_its_endpoints_needs_no_discovery(
    client: Client, provider: OIDCProvider, settings: Any
) -> None:
    settings.DATELINE_READER_OIDC_PROVIDERS = {
        "test-id": provider.settings(
            authorization_endpoint=provider.issuer + "/authorize",
            token_endpoint=provider.issuer + "/token",
            jwks_endpoint=provider.issuer + "/jwks",
        )
    }

    response = sign_in_with_provider(client)

    assert response.status_code == 303
    assert "/.well-known/openid-configuration" not in provider.seen
    assert "/userinfo" not in provider.seen  # the id_token's claims suffice
    assert Reader.objects.get().user.email == "ada.idp@example.org"


def test_an_incomplete_provider_is_reported_by_the_checks_and_gets_no_button(
    client: Client, settings: Any
) -> None:
    settings.DATELINE_READER_OIDC_PROVIDERS = {
        "half-done": {"issuer": "http://idp.example.org", "client_id": "dateline"}
    }

    with pytest.raises(SystemCheckError) as raised:
        call_command("check")

    assert "DATELINE_READER_OIDC_HALF_DONE_CLIENT_SECRET is not set" in str(raised.value)
    assert "DATELINE_READER_OIDC_HALF_DONE_ISSUER must be an https:// address" in str(raised.value)
    assert "Sign in with" not in client.get(SIGN_IN).content.decode()
    assert client.get("/readers/oidc/half-done/").status_code == 404


def test_the_operator_configures_providers_in_the_environment() -> None:
    environment = {
        **os.environ,
        "DATELINE_IGNORE_DOTENV": "1",
        "DATELINE_READER_OIDC_PROVIDERS": "work-idp,social",
        "DATELINE_READER_OIDC_WORK_IDP_ISSUER": "https://id.example.org",
        "DATELINE_READER_OIDC_WORK_IDP_CLIENT_ID": "dateline",
        "DATELINE_READER_OIDC_WORK_IDP_CLIENT_SECRET": "s3cret",
        "DATELINE_READER_OIDC_WORK_IDP_DISPLAY_NAME": "Example Works",
        "DATELINE_READER_OIDC_SOCIAL_ISSUER": "https://social.example.net",
    }
    script = (
        "import json; from dateline.settings import base; "
        "print(json.dumps(base.DATELINE_READER_OIDC_PROVIDERS))"
    )

    out = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    providers = json.loads(out)

    assert list(providers) == ["work-idp", "social"]
    assert providers["work-idp"]["issuer"] == "https://id.example.org"
    assert providers["work-idp"]["client_secret"] == "s3cret"
    assert providers["work-idp"]["display_name"] == "Example Works"
    assert providers["work-idp"]["token_endpoint"] == ""
    assert providers["social"]["client_id"] == ""
