"""Fixtures for reader accounts: the comment fixtures, and a reader signed in the way a browser
does it (ask for a link, open the mail's link, press the button)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from dateline.comments.text import normalise_email
from dateline.readers.models import Reader
from dateline.readers.tokens import COOKIE
from tests.browser.conftest import live_site, page  # noqa: F401 - Chromium's page, shared
from tests.comments.conftest import (  # noqa: F401 - the comment fixtures, shared
    article,
    comment_factory,
    other_article,
    post_comment,
    site_settings,
)
from tests.frontcache.conftest import front, front_stack  # noqa: F401 - Varnish, shared

ORIGIN = "http://testserver"
SIGN_IN = "/readers/sign-in/"
LINK = re.compile(r"http://[^\s\"<]+/readers/link/[^\s\"<]+/")


_capture: Any = None


@pytest.fixture(autouse=True)
def _commit_callbacks(django_capture_on_commit_callbacks: Any) -> None:
    global _capture
    _capture = django_capture_on_commit_callbacks


def ask_for_link(client: Client, email: str, **fields: Any) -> Any:
    """Ask as a browser does; the mail goes out as it would after the request's commit."""
    with _capture(execute=True):
        return client.post(SIGN_IN, {"email": email, **fields}, HTTP_ORIGIN=ORIGIN)


def last_link_path() -> str:
    """The path of the link in the newest mail (its plain-text part)."""
    found = LINK.findall(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return urlsplit(found[0]).path


@pytest.fixture
def sign_in(db: None) -> Callable[..., Reader]:
    """``sign_in(client, "ada@example.org", display_name="Ada")``: the whole flow; the client
    then holds the reader cookie."""

    def flow(client: Client, email: str, **fields: Any) -> Reader:
        assert ask_for_link(client, email, **fields).status_code == 200
        response = client.post(last_link_path(), {}, HTTP_ORIGIN=ORIGIN)
        assert response.status_code == 303, response.content.decode()
        assert client.cookies[COOKIE].value
        return Reader.objects.select_related("user").get(email_key=normalise_email(email))

    return flow


@pytest.fixture
def reader_client(sign_in: Callable[..., Reader]) -> tuple[Client, Reader]:
    client = Client()
    reader = sign_in(client, "ada.reader@example.org", display_name="Ada Lovelock")
    return client, reader
