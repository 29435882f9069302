"""Newsroom sign-in is throttled per account at one address and per address (django-axes,
dateline.core.signin), with a clear message and a log line (issue 15, item 7)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.db.models.functions import Length
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-right-password-41"
HOME = "203.0.113.9"
ELSEWHERE = "198.51.100.7"


@pytest.fixture
def editor(db: None) -> Any:
    return get_user_model().objects.create_user(
        "editor", "editor@dateline.example", PASSWORD, is_staff=True, is_superuser=True
    )


def sign_in(username: str, password: str, *, ip: str = HOME, **headers: str) -> Any:
    """One sign-in through the newsroom's form, from a fresh browser at ``ip``."""
    client = Client(REMOTE_ADDR=ip, **headers)
    response = client.post("/admin/login/", {"username": username, "password": password})
    response.signed_in = "_auth_user_id" in client.session
    return response


def test_a_hundred_wrong_passwords_then_the_right_one_is_refused(
    editor: Any, caplog: pytest.LogCaptureFixture
) -> None:
    statuses = [sign_in("editor", f"guess-{n}").status_code for n in range(100)]

    assert statuses[:4] == [200] * 4  # "wrong password", the form again
    assert set(statuses[5:]) == {429}
    with caplog.at_level(logging.WARNING, logger="dateline.core.signin"):
        right = sign_in("editor", PASSWORD)
    assert right.status_code == 429 and not right.signed_in
    text = right.content.decode()
    assert "Too many failed sign-ins for this account or from this network" in text
    assert "try again in 15 minutes" in text
    assert 'name="username"' in text and 'value="editor"' in text  # the form, name kept
    assert right["Retry-After"] == "900"
    assert any("sign-in refused (throttled): user 'editor'" in r.message for r in caplog.records)


def test_tries_refused_during_a_lockout_store_nothing_more(editor: Any) -> None:
    for n in range(5):
        sign_in("editor", f"guess-{n}")
    stored = AccessAttempt.objects.aggregate(
        failures=Sum("failures_since_start"), size=Sum(Length("post_data"))
    )

    for n in range(50):
        assert sign_in("editor", "x" * 1000 + str(n)).status_code == 429

    assert (
        AccessAttempt.objects.aggregate(
            failures=Sum("failures_since_start"), size=Sum(Length("post_data"))
        )
        == stored
    )


def test_the_right_password_works_again_after_the_cool_off(editor: Any, settings: Any) -> None:
    settings.AXES_COOLOFF_TIME = timedelta(minutes=2)
    for n in range(6):
        sign_in("editor", f"guess-{n}")
    refused = sign_in("editor", PASSWORD)
    assert refused.status_code == 429 and "try again in 2 minutes" in refused.content.decode()

    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        again = sign_in("editor", PASSWORD)

    assert again.status_code == 302 and again.signed_in


def test_a_spray_over_three_accounts_from_one_network_is_throttled(editor: Any) -> None:
    others = [
        get_user_model().objects.create_user(name, password=PASSWORD, is_staff=True)
        for name in ("reporter", "moderator")
    ]
    names = ["editor", *(u.username for u in others)]

    statuses = [sign_in(names[n % 3], f"summer{n}").status_code for n in range(30)]

    assert statuses.count(429) >= 15
    for name in names:
        blocked = sign_in(name, PASSWORD)
        assert blocked.status_code == 429 and not blocked.signed_in
        # Another network is not affected, for the same accounts.
        elsewhere = sign_in(name, PASSWORD, ip=ELSEWHERE)
        assert elsewhere.status_code == 302 and elsewhere.signed_in


def test_a_spray_over_many_names_stops_the_network_not_the_other_networks(editor: Any) -> None:
    statuses = [sign_in(f"user{n}", "password1").status_code for n in range(30)]

    assert statuses[:19] == [200] * 19 and set(statuses[20:]) == {429}
    # The account was never tried from here, but the network is paused.
    assert sign_in("editor", PASSWORD).status_code == 429
    assert sign_in("editor", PASSWORD, ip=ELSEWHERE).signed_in


def test_a_few_typos_do_not_lock_anyone_out(editor: Any) -> None:
    for n in range(4):
        assert sign_in("editor", f"typo-{n}").status_code == 200

    assert sign_in("editor", PASSWORD).signed_in


def test_behind_the_proxy_each_client_is_counted_by_its_own_address(
    editor: Any, settings: Any
) -> None:
    settings.DATELINE_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(30):
        sign_in(f"user{n}", "password1", ip=proxy, HTTP_X_FORWARDED_FOR=HOME)

    # Forging the header does not escape the count: the proxy appends the address it saw.
    forged = sign_in("editor", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=f"{ELSEWHERE}, {HOME}")
    assert forged.status_code == 429
    # Another reader behind the same proxy is not affected.
    assert sign_in("editor", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE).signed_in
