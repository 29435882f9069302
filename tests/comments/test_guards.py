"""The cheap guards in front of the rules: the honeypot, the form's signed timestamp and the
rate limits (database counters, Redis counters, and Redis down), through the form and the API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command

from dateline.comments.guards import form_stamp
from dateline.comments.models import Comment, CommentEvent, RateCounter
from dateline.comments.ratelimit import Limit, counters_purge, hit

from .conftest import error_summary, shown_stamp, soup, textarea_text

TEXT = "The harbour wall vote was closer than the council admits."
SITE_LIMITS = {"commenter": [(1, 15), (20, 3600)], "network": [(60, 3600)]}
NOON = datetime(2026, 3, 2, 12, 0, 7, tzinfo=UTC)  # 7 s into a 15 s window


def codes(comment: Comment) -> list[str]:
    return [r["code"] for r in comment.moderation_reasons]


def api_post(client, article, **fields):
    body = {"comment": TEXT, "author": "Ada Reader", "email": "ada@example.org", **fields}
    return client.post(
        f"/api/v1/articles/{article.pk}/comments/",
        json.dumps(body),
        content_type="application/json",
    )


# --- Honeypot -------------------------------------------------------------------------------------


def test_form_has_a_honeypot_hidden_from_people_and_a_signed_timestamp(client, article):
    page = soup(client.get(article.url))

    trap = page.find("input", attrs={"name": "fax"})
    wrapper = trap.find_parent("p")
    assert wrapper["aria-hidden"] == "true"
    # Off-screen by the stylesheet (no style attribute: the page's CSP allows none).
    assert "comment-form-fax" in wrapper["class"] and not wrapper.get("style")
    assert trap["tabindex"] == "-1"
    assert page.find("label", attrs={"for": "fax"}).get_text() == "Leave this field empty"
    assert page.find("input", attrs={"name": "comment_stamp"})["value"]


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "script"])
def test_filled_honeypot_looks_accepted_but_is_stored_as_spam_with_the_reason(
    post_comment, as_json
):
    response = post_comment(comment=TEXT, fax="http://cheap.example", json=as_json)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert codes(comment) == ["honeypot"]
    event = CommentEvent.objects.get(comment=comment, action="posted")
    assert event.rule == "honeypot"
    assert "hidden from people" in event.reason
    if as_json:
        assert response.status_code == 201
        assert response.json()["ok"] is True
        assert response.json()["status"] == "pending"  # never "spam"
    else:
        assert response.status_code == 303


def test_empty_honeypot_changes_nothing(post_comment):
    post_comment(comment=TEXT, fax="")

    assert codes(Comment.objects.get()) == ["first_comment"]


# --- The signed timestamp -------------------------------------------------------------------------


def test_form_sent_faster_than_a_person_writes_is_held_with_the_reason(post_comment):
    response = post_comment(comment=TEXT, comment_stamp=form_stamp())

    comment = Comment.objects.get()
    assert response.status_code == 303
    assert comment.status == Comment.Status.PENDING
    assert "too_fast" in codes(comment)
    assert "people take at least 3 s" in comment.moderation_reasons[0]["reason"]


def test_known_commenter_sending_at_a_normal_pace_is_published(
    post_comment, comment_factory, article
):
    comment_factory(article=article, author_email="ada@example.org")

    post_comment(comment=TEXT, comment_stamp=shown_stamp(seconds_ago=4))

    assert Comment.objects.get(body=TEXT).status == Comment.Status.APPROVED


@pytest.mark.parametrize(
    "stamp",
    [shown_stamp(seconds_ago=49 * 3600), "", "eyJ0IjoxfQ:tampered:signature"],
    ids=["too-old", "missing", "tampered"],
)
def test_expired_or_changed_form_comes_back_with_the_text_and_a_fresh_timestamp(
    post_comment, stamp
):
    response = post_comment(comment=TEXT, comment_stamp=stamp)

    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert textarea_text(response) == TEXT
    assert "This form had expired; please send it again." in error_summary(response)
    fresh = soup(response).find("input", attrs={"name": "comment_stamp"})["value"]
    assert fresh and fresh != stamp
    # Sent again, the fresh form is taken.
    again = post_comment(comment=TEXT, comment_stamp=shown_stamp(seconds_ago=30))
    assert again.status_code == 303


def test_expired_form_through_the_script_answers_json_with_a_new_stamp(post_comment):
    response = post_comment(comment=TEXT, comment_stamp="", json=True)

    assert response.status_code == 400
    assert response.json()["message"] == "This form had expired; please send it again."
    assert response.json()["stamp"]


def test_stamp_endpoint_gives_a_private_fresh_timestamp(client):
    response = client.get("/comments/stamp/")

    assert response.status_code == 200
    assert response.json()["stamp"]
    assert "no-store" in response["Cache-Control"]


# --- Rate limits (database counters) ----------------------------------------------------------------


@pytest.fixture
def site_limits(settings):
    settings.DATELINE_COMMENT_RATE_LIMITS = SITE_LIMITS
    return settings


def test_the_tests_use_the_shipped_default_limits():
    from dateline.settings import base

    # The defaults: 1 per 15 s and 20 per hour per commenter, 60 per hour per network.
    assert base.DATELINE_COMMENT_RATE_LIMITS == SITE_LIMITS


def test_twenty_an_hour_per_commenter_then_429_until_the_hour_turns(post_comment, site_limits):
    start = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        statuses = []
        for n in range(21):
            statuses.append(post_comment(comment=f"{TEXT} Point {n}.").status_code)
            clock.shift(timedelta(seconds=16))  # past the 15 s limit each time
        refused = post_comment(comment=f"{TEXT} Point 21.")
        clock.move_to(datetime(2026, 3, 2, 13, 0, 1, tzinfo=UTC))
        later = post_comment(comment=f"{TEXT} After the hour.")

    assert statuses == [303] * 20 + [429]
    assert refused.status_code == 429
    assert "20 comments per hour" in error_summary(refused)
    assert "again in 55 minutes" in error_summary(refused)
    assert later.status_code == 303
    assert Comment.objects.count() == 21


@time_machine.travel(NOON, tick=False)
def test_sixty_an_hour_per_ipv6_slash_48(post_comment, site_limits):
    def from_address(n: int, address: str) -> int:
        return post_comment(
            comment=f"{TEXT} ({n})",
            email=f"reader{n}@example.org",
            headers={"REMOTE_ADDR": address},
        ).status_code

    # 61 readers in one /48, each from a /64 of their own.
    statuses = [from_address(n, f"2001:db8:aa:{n:x}::1") for n in range(61)]
    neighbour = from_address(99, "2001:db8:ab::1")

    assert statuses == [303] * 60 + [429]
    assert neighbour == 303


@pytest.mark.parametrize("proxies", [0, 1])
@time_machine.travel(NOON, tick=False)
def test_a_forged_x_forwarded_for_does_not_escape_the_network_limit(
    post_comment, site_limits, proxies
):
    """Without a trusted proxy the header is ignored; behind one, only the address that
    proxy saw counts, whatever the client wrote before it."""
    site_limits.DATELINE_COMMENT_RATE_LIMITS = {"commenter": [], "network": [(2, 3600)]}
    site_limits.DATELINE_TRUSTED_PROXY_COUNT = proxies
    client_address = "198.51.100.7"
    statuses = []
    for n in range(4):
        forged = f"203.0.{n}.{n + 1}"
        if proxies:  # the proxy appends the address it saw
            headers = {
                "REMOTE_ADDR": "10.0.0.2",
                "HTTP_X_FORWARDED_FOR": f"{forged}, {client_address}",
            }
        else:
            headers = {"REMOTE_ADDR": client_address, "HTTP_X_FORWARDED_FOR": forged}
        statuses.append(
            post_comment(
                comment=f"{TEXT} ({n})", email=f"reader{n}@example.org", headers=headers
            ).status_code
        )

    assert statuses == [303, 303, 429, 429]
    assert set(Comment.objects.values_list("ip_prefix", flat=True)) == {"198.51.100.0/24"}


@pytest.fixture
def database_counters(site_limits):
    """The counters in the database even when this run's cache is Redis (REDIS_URL)."""
    if "django_redis" in site_limits.CACHES["default"]["BACKEND"]:
        site_limits.CACHES = {
            **site_limits.CACHES,
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
    return site_limits


@pytest.mark.django_db
def test_a_new_secret_key_starts_the_counters_afresh(settings):
    # The counters' identities are remembered per process; a changed key must not reuse one
    # made under the old key (the stored counters would then still apply).
    limit = [(Limit("commenter", 1, 3600), "ada@example.org")]
    moment = NOON.timestamp()

    assert hit(limit, now=moment) is None
    assert hit(limit, now=moment) is not None
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert hit(limit, now=moment) is None


@time_machine.travel(NOON, tick=False)
def test_second_comment_within_15_seconds_gets_429_with_the_text_kept(post_comment, site_limits):
    first = post_comment(comment="First thought on the wall.")
    second = post_comment(comment=TEXT)

    assert first.status_code == 303
    assert second.status_code == 429
    assert second["Retry-After"] == "8"  # the window ends at 12:00:15
    assert textarea_text(second) == TEXT
    assert "1 comment per 15 seconds" in error_summary(second)
    assert Comment.objects.count() == 1


def test_after_the_window_the_commenter_may_post_again(post_comment, site_limits):
    with time_machine.travel(NOON, tick=False) as clock:
        post_comment(comment="First thought on the wall.")
        assert post_comment(comment=TEXT).status_code == 429
        clock.shift(timedelta(seconds=9))
        assert post_comment(comment=TEXT).status_code == 303
    assert Comment.objects.count() == 2


@time_machine.travel(NOON, tick=False)
def test_rate_limited_script_post_answers_json_and_retry_after(post_comment, site_limits):
    post_comment(comment="First thought on the wall.", json=True)
    response = post_comment(comment=TEXT, json=True)

    assert response.status_code == 429
    assert response["Retry-After"] == "8"
    assert response.json()["ok"] is False
    assert "15 seconds" in response.json()["message"]


@time_machine.travel(NOON, tick=False)
def test_api_shares_the_commenters_limit_and_answers_429_json(
    client, post_comment, article, site_limits
):
    post_comment(comment="First thought on the wall.")
    response = api_post(client, article)

    assert response.status_code == 429
    assert response["Retry-After"] == "8"
    assert response.json()["retry_after"] == 8
    assert "15 seconds" in response.json()["detail"]


@time_machine.travel(NOON, tick=False)
def test_a_double_submit_is_the_same_comment_not_a_rate_limit(post_comment, site_limits):
    first = post_comment(comment=TEXT)
    again = post_comment(comment=TEXT)

    assert first.status_code == 303
    assert again.status_code == 303
    assert Comment.objects.count() == 1


@time_machine.travel(NOON, tick=False)
def test_network_limit_counts_every_address_from_the_same_slash_24(
    post_comment, site_limits, client
):
    site_limits.DATELINE_COMMENT_RATE_LIMITS = {"commenter": [], "network": [(2, 3600)]}
    statuses = [
        post_comment(
            comment=f"{TEXT} ({n})",
            email=f"reader{n}@example.org",
            headers={"REMOTE_ADDR": f"198.51.100.{10 + n}"},
        ).status_code
        for n in range(3)
    ]
    other_network = post_comment(
        comment=f"{TEXT} (elsewhere)",
        email="far@example.org",
        headers={"REMOTE_ADDR": "192.0.2.9"},
    )

    assert statuses == [303, 303, 429]
    assert other_network.status_code == 303


@time_machine.travel(NOON, tick=False)
def test_a_post_that_loses_the_last_place_to_a_concurrent_one_stores_nothing(
    post_comment, database_counters, monkeypatch
):
    """Database counters are read before screening and counted in the comment's own write
    transaction. Two posts can both pass the read; the count inside the transaction decides,
    and the loser stores nothing (its count included) and gets the 429."""
    first = post_comment(comment="First thought on the wall.")
    # The second post's read happens "before" the first one was counted.
    monkeypatch.setattr("dateline.comments.guards.peek", lambda counters: None)
    second = post_comment(comment=TEXT)

    assert first.status_code == 303
    assert second.status_code == 429
    assert second["Retry-After"] == "8"
    assert textarea_text(second) == TEXT
    assert Comment.objects.count() == 1
    # One counted attempt per limit (commenter 15 s, commenter hour, network hour): the refused
    # post's increments were rolled back with it.
    assert sorted(RateCounter.objects.values_list("count", flat=True)) == [1, 1, 1]


@time_machine.travel(NOON, tick=False)
def test_posts_the_rules_refuse_still_count_against_the_limits(
    post_comment, database_counters, site_settings
):
    database_counters.DATELINE_COMMENT_RATE_LIMITS = {"commenter": [], "network": [(3, 3600)]}
    site_settings(max_length=20)
    statuses = [
        post_comment(comment=f"{TEXT} ({n})", email=f"reader{n}@example.org").status_code
        for n in range(4)
    ]

    assert statuses == [400, 400, 400, 429]
    assert Comment.objects.count() == 0


@time_machine.travel(NOON, tick=False)
def test_staff_are_not_rate_limited(client, post_comment, staff_user, site_limits):
    client.force_login(staff_user)
    for n in range(2):
        response = post_comment(comment=f"{TEXT} ({n})")
        assert response.status_code == 303
    assert Comment.objects.filter(is_staff=True).count() == 2


def test_counters_are_one_row_per_window_and_the_daily_purge_removes_old_ones(
    post_comment, database_counters
):
    with time_machine.travel(NOON, tick=False):
        post_comment(comment=TEXT)
    # Three windows (15 s, 1 h for the commenter; 1 h for the network); no email in a key.
    assert RateCounter.objects.count() == 3
    assert not RateCounter.objects.filter(key__contains="ada").exists()

    with time_machine.travel(NOON + timedelta(minutes=30), tick=False):
        assert counters_purge() == 1  # the 15-second window
    with time_machine.travel(NOON + timedelta(hours=2), tick=False):
        call_command("purge_comment_metadata", verbosity=0)
    assert not RateCounter.objects.exists()


# --- Rate limits in Redis, and Redis down -----------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens once it is closed


@lru_cache(maxsize=4)
def _production_cache(location: str) -> str:
    """``dateline.settings.base``'s own cache settings for ``REDIS_URL=location``, read in a
    fresh process (settings are computed when the module is imported)."""
    code = "import json; from dateline.settings import base; print(json.dumps(base.CACHES))"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["REDIS_URL"] = location
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def redis_cache(location: str) -> dict:
    """The production Redis cache settings, with a key prefix of this test process's own."""
    cache = json.loads(_production_cache(location))["default"]
    return {**cache, "KEY_PREFIX": f"dateline-guards-{os.getpid()}"}


def test_redis_cache_settings_are_the_productions():
    cache = redis_cache("redis://127.0.0.1:1/0")
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert cache["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 1


@pytest.fixture
def redis_down(settings):
    settings.DATELINE_COMMENT_RATE_LIMITS = SITE_LIMITS
    settings.CACHES = {
        **settings.CACHES,
        "default": redis_cache(f"redis://127.0.0.1:{closed_port()}/0"),
    }
    yield


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "script"])
def test_redis_down_accepts_the_comment_and_holds_it_never_a_500(
    post_comment, redis_down, comment_factory, article, as_json
):
    comment_factory(article=article, author_email="ada@example.org")  # would be published

    response = post_comment(comment=TEXT, json=as_json)

    assert response.status_code == (201 if as_json else 303)
    comment = Comment.objects.get(body=TEXT)
    assert comment.status == Comment.Status.PENDING
    assert "rate_limiter" in codes(comment)
    assert "rate limiter unavailable" in comment.moderation_reasons[0]["reason"]


def test_redis_down_is_logged_once_in_a_while_not_with_a_traceback_per_comment(
    post_comment, redis_down, comment_factory, article, caplog
):
    # Each comment held while Redis was down logged a 50-line traceback (the comment itself
    # says why it was held: its moderation reasons).
    with caplog.at_level("WARNING", logger="dateline.comments.guards"):
        for n in range(3):
            assert (
                post_comment(comment=f"{TEXT} ({n})", email=f"r{n}@example.org").status_code == 303
            )

    records = [r for r in caplog.records if r.name == "dateline.comments.guards"]
    assert len(records) <= 1
    assert all(r.exc_info is None for r in records)
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 3


def test_redis_down_through_the_api_holds_too(client, article, redis_down):
    response = api_post(client, article)

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert "rate_limiter" in codes(Comment.objects.get())


def _redis_url() -> str:
    base = os.environ.get("DATELINE_TEST_REDIS_URL") or "redis://127.0.0.1:6379"
    db = int(os.environ.get("DATELINE_TEST_REDIS_DB", "15"))
    return f"{base.rstrip('/')}/{db}"


@pytest.fixture
def real_redis(settings):
    url = _redis_url()
    host, port = url.split("//")[1].split("/")[0].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=0.5).close()
    except OSError:
        pytest.skip(f"needs a Redis server at {url} (DATELINE_TEST_REDIS_URL)")
    settings.DATELINE_COMMENT_RATE_LIMITS = SITE_LIMITS
    settings.CACHES = {**settings.CACHES, "default": redis_cache(url)}
    yield
    caches["default"].delete_pattern("*")


@time_machine.travel(NOON, tick=False)
def test_redis_counts_the_limits_with_expiring_keys(post_comment, real_redis):
    from django_redis import get_redis_connection

    first = post_comment(comment="First thought on the wall.")
    second = post_comment(comment=TEXT)

    assert (first.status_code, second.status_code) == (303, 429)
    assert second["Retry-After"] == "8"
    assert not RateCounter.objects.exists()  # counted in Redis, not the database
    client = get_redis_connection("default")
    keys = client.keys(f"dateline-guards-{os.getpid()}:*rl:*")
    assert len(keys) == 3
    assert all(client.ttl(k) > 0 for k in keys)
