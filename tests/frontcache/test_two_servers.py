"""Two app servers on one machine sharing PostgreSQL and Redis, behind the shipped Varnish: what
one does, the other sees at once (comments, rate limits, sessions, the page cache, bans, a new
model file), and a purge from either reaches the front cache."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client

from dateline.comments.models import Comment
from dateline.comments.services import comment_moderate, email_key_for
from dateline.moderation.desk import desk_ban
from tests.comments.conftest import form_data

from .conftest import VISIBLE_WITHIN, Answer, Stack, until

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

_n = itertools.count()
RUDE = "You clueless idiot, the sea wall was never going to hold."


def reader(n: int | None = None) -> dict[str, str]:
    """A new reader's name and address (each gets its own rate limit)."""
    n = next(_n) if n is None else n
    return {"author": f"Reader {n}", "email": f"reader-{os.getpid()}-{n}@example.org"}


@pytest.fixture
def shared_services() -> None:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip(
            "two app servers share PostgreSQL and Redis: run with DATABASE_URL=postgres://… "
            "and REDIS_URL=redis://… (make unit-postgres does)"
        )


@pytest.fixture
def two(shared_services: None, front: Stack) -> Stack:
    """The stack, once we know its servers share PostgreSQL and Redis (checked first)."""
    return front


def session_of(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def signed_in_post(
    stack: Stack, *, port: int, session: str, page: str, to: str, data: dict[str, Any]
) -> Answer:
    """POST to ``to`` as a signed-in user does from ``page`` on ``port``'s server: with the CSRF
    cookie and token that page gave."""
    shown = stack.get(page, cookies={"sessionid": session}, port=port)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shown.body)
    cookie = re.search(r"csrftoken=([^;]+)", shown.header("Set-Cookie"))
    assert token and cookie, "the signed-in page has no CSRF token"
    return stack.post(
        to,
        {**data, "csrfmiddlewaretoken": token.group(1)},
        cookies={"sessionid": session, "csrftoken": cookie.group(1)},
        port=port,
    )


def staff_comment(stack: Stack, *, port: int, session: str, article: Any, text: str) -> Answer:
    data = form_data(article, comment=text, author="", email="")
    answer = signed_in_post(
        stack, port=port, session=session, page=article.url, to="/comments/post/", data=data
    )
    assert answer.status == 303, answer.body[:500]
    return answer


def test_a_comment_posted_on_one_server_shows_on_the_other_at_once(two, article, staff_user):
    app1, app2 = two.app_ports
    session = session_of(staff_user)
    before = two.get(article.url, port=app2)
    assert two.get(article.url, port=app2).header("X-Page-Cache") == "hit"

    staff_comment(two, port=app1, session=session, article=article, text="Posted on one.")

    after = two.get(article.url, port=app2)
    assert "Posted on one." not in before.body
    assert "Posted on one." in after.body


def test_the_page_cache_is_one_for_both_servers(two, article, comment_factory):
    app1, app2 = two.app_ports
    held = comment_factory(article=article, status=Comment.Status.PENDING, body="Held, then not.")
    two.get(article.url, port=app1)

    assert two.get(article.url, port=app2).header("X-Page-Cache") == "hit"
    comment_moderate(comment=held, action="approve")
    fresh = [two.get(article.url, port=port) for port in (app2, app1)]

    assert [a.header("X-Page-Cache") for a in fresh] == ["miss", "hit"]
    assert all("Held, then not." in a.body for a in fresh)


def test_rate_limits_are_counted_across_servers(two, article):
    app1, app2 = two.app_ports
    who = reader()

    first = two.post("/comments/post/", form_data(article, comment="First.", **who), port=app1)
    again = two.post("/comments/post/", form_data(article, comment="Again.", **who), port=app2)

    assert first.status == 303
    assert again.status == 429


def test_a_session_is_one_for_both_servers(two, article, staff_user):
    app1, app2 = two.app_ports
    staff_user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    session = session_of(staff_user)
    assert all(
        "Commenting as" in two.get(article.url, cookies={"sessionid": session}, port=p).body
        for p in (app1, app2)
    )

    signed_out = signed_in_post(
        two, port=app1, session=session, page=article.url, to="/admin/logout/", data={}
    )
    assert signed_out.status == 302, (signed_out.status, signed_out.body[:300])

    assert (
        "Commenting as" not in two.get(article.url, cookies={"sessionid": session}, port=app2).body
    )


def test_a_ban_made_anywhere_holds_on_every_server(two, article, staff_user):
    banned = {port: reader() for port in two.app_ports}
    for who in banned.values():
        desk_ban(
            actor=staff_user,
            reason="Spam links",
            email_key=email_key_for(email=who["email"], user_id=None),
        )

    for port, who in banned.items():
        posted = two.post("/comments/post/", form_data(article, **who), port=port)
        assert posted.status == 303

    statuses = set(Comment.objects.values_list("status", flat=True))
    assert statuses == {Comment.Status.SPAM}
    assert Comment.objects.count() == len(banned)


def test_a_new_model_file_reaches_every_server(two, article, abuse_model_dir: Path):
    app1, app2 = two.app_ports
    live = two.workdir / "models" / "abuse.joblib"  # the servers' DATELINE_MODEL_DIR
    assert not live.exists()

    def nudged(port: int) -> bool:
        answer = two.post(
            "/comments/post/", form_data(article, comment=RUDE, **reader()), port=port
        )
        return answer.status == 400 and "community guidelines" in answer.body

    assert not nudged(app1) and not nudged(app2)
    live.parent.mkdir(parents=True, exist_ok=True)
    try:
        # As the retraining installs one: written beside, then renamed over the live file.
        shutil.copyfile(abuse_model_dir / "abuse.joblib", live.with_suffix(".tmp"))
        os.replace(live.with_suffix(".tmp"), live)

        assert nudged(app2) and nudged(app1)
    finally:
        live.unlink(missing_ok=True)


def test_a_purge_from_either_server_reaches_varnish(two, article, staff_user):
    session = session_of(staff_user)
    for n, port in enumerate(two.app_ports):
        text = f"Through server {n + 1}."
        assert until(lambda: two.get(article.url).header("X-Cache") == "hit", within=5)

        staff_comment(two, port=port, session=session, article=article, text=text)

        assert until(lambda text=text: text in two.get(article.url).body, within=VISIBLE_WITHIN)
