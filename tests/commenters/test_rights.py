"""Commenters' rights: an export of their data and erasure, asked for by email and confirmed by
a signed link, or done by staff from the admin. After erasure the address is nowhere."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from dateline.commenters.models import CommenterSettings, PrivacyRequest
from dateline.commenters.services import (
    ERASED_BODY,
    ERASED_NAME,
    commenter_erase,
    privacy_requests_expire,
)
from dateline.comments.models import Comment, SentMail, Subscriber
from dateline.comments.services import comment_post

pytestmark = pytest.mark.django_db(transaction=False)

CANARY = "Canary.Person@Example.net"


def _link(message: Any) -> str:
    found = re.search(r"http://\S+/privacy/confirm/\S+/", message.body)
    assert found, message.body
    return found.group(0).replace("http://127.0.0.1:8000", "").replace("http://testserver", "")


@pytest.fixture(autouse=True)
def _commit_callbacks(django_capture_on_commit_callbacks: Any) -> None:
    global _capture
    _capture = django_capture_on_commit_callbacks


_capture: Any = None


def _ask(client: Client, email: str, kind: str) -> Any:
    """Ask as a reader does; the mail goes out as it would after the request's commit."""
    with _capture(execute=True):
        return client.post("/privacy/", {"email": email, "kind": kind})


def _everywhere(needles: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a needle occurs, in every table of the database."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            for column in columns:
                qt, qc = connection.ops.quote_name(table), connection.ops.quote_name(column)
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {qt} WHERE LOWER(CAST({qc} AS TEXT)) LIKE %s",  # noqa: S608
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        hits.append((table, column, needle))
    return hits


def _needles(email: str) -> list[str]:
    lowered = email.strip().lower()
    return [lowered] + [
        getattr(hashlib, name)(value.encode()).hexdigest()
        for name in ("md5", "sha1", "sha256")
        for value in (lowered, email)
    ]


@pytest.fixture
def canary_thread(article: Any, other_article: Any, comment_factory: Any) -> dict[str, Any]:
    """The canary commented on two articles, was answered, asked for reply mail and got some."""
    first = comment_factory(
        article=article,
        author_name="Canary Person",
        author_email=CANARY,
        author_url="https://canary.example.net/",
        body="The sea wall plan ignores the tide tables.",
        ip_prefix="198.51.100.0/24",
        user_agent="CanaryBrowser/2.0",
    )
    reply = comment_factory(parent=first, body="The tide tables were in annex B.")
    second = comment_factory(
        article=other_article,
        author_name="Canary Person",
        author_email=CANARY.lower(),
        body="The new timetable suits early workers.",
        status=Comment.Status.PENDING,
    )
    subscriber = Subscriber.objects.create(
        email_key=CANARY.lower(), email=CANARY, status=Subscriber.Status.CONFIRMED
    )
    subscriber.subscriptions.create(comment=first)
    SentMail.objects.create(email_key=CANARY.lower(), kind="reply", sent_at=timezone.now())
    return {"first": first, "reply": reply, "second": second}


def test_export_by_emailed_link(client: Client, canary_thread: dict[str, Any]) -> None:
    response = _ask(client, "  canary.person@example.NET ", "export")
    assert response.status_code == 200
    assert "Check your email" in response.text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["canary.person@example.NET"]
    link = _link(mail.outbox[0])

    # The link shows a button; opening it changes nothing.
    page = client.get(link)
    assert page.status_code == 200
    assert "Download (JSON)" in page.text
    assert PrivacyRequest.objects.get().status == PrivacyRequest.Status.PENDING

    download = client.post(link)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/json")
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]
    data = json.loads(download.content)
    bodies = sorted(c["body"] for c in data["comments"])
    assert bodies == [
        "The new timetable suits early workers.",
        "The sea wall plan ignores the tide tables.",
    ]
    first = next(c for c in data["comments"] if c["id"] == canary_thread["first"].pk)
    assert first["website"] == "https://canary.example.net/"
    assert first["network"] == "198.51.100.0/24"
    assert first["browser"] == "CanaryBrowser/2.0"
    assert first["article"]["title"] == "Harbour council votes to rebuild the sea wall"
    assert data["reply_notifications"]["status"] == "confirmed"
    assert data["reply_notifications"]["comments"] == [canary_thread["first"].pk]
    assert [m["kind"] for m in data["mail_sent"]] == ["reply"]
    # Someone else's reply to the canary is not theirs to download.
    assert canary_thread["reply"].pk not in {c["id"] for c in data["comments"]}

    # Done: the request forgets the address and the link does not work twice.
    done = PrivacyRequest.objects.get()
    assert (done.status, done.email) == (PrivacyRequest.Status.DONE, "")
    assert client.post(link).status_code == 400


def test_erasure_leaves_the_address_nowhere(client: Client, canary_thread: dict[str, Any]) -> None:
    _ask(client, CANARY, "erase")
    link = _link(mail.outbox[0])
    assert "Erase my data" in client.get(link).text
    response = client.post(link)
    assert response.status_code == 200
    assert "2 comments no longer carry your name" in response.text

    assert _everywhere(_needles(CANARY)) == []
    first = Comment.objects.get(pk=canary_thread["first"].pk)
    assert (first.author_name, first.author_email, first.author_url) == (ERASED_NAME, "", "")
    assert (first.ip_prefix, first.user_agent) == ("", "")
    assert first.body == ERASED_BODY
    assert first.status == Comment.Status.APPROVED
    # The conversation keeps its shape: the reply still answers the erased comment.
    reply = Comment.objects.get(pk=canary_thread["reply"].pk)
    assert reply.parent_id == first.pk and reply.body == "The tide tables were in annex B."
    # The two erased comments cannot be tied to each other any more.
    second = Comment.objects.get(pk=canary_thread["second"].pk)
    assert first.email_key != second.email_key
    assert not Subscriber.objects.exists()
    assert first.events.filter(action="erased").exists()

    # The public page shows neither the name nor the text.
    page = client.get(canary_thread["first"].article.url)
    assert "Canary Person" not in page.text
    assert "tide tables." not in page.text.replace("annex B", "")
    assert ERASED_NAME in page.text


def test_erasure_can_keep_the_text(canary_thread: dict[str, Any]) -> None:
    settings_ = CommenterSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.erasure_keeps_text = True
    settings_.save()
    erasure = commenter_erase(email=CANARY)
    assert (erasure.comments, erasure.articles, erasure.text_kept) == (2, 2, True)
    first = Comment.objects.get(pk=canary_thread["first"].pk)
    assert first.body == "The sea wall plan ignores the tide tables."
    assert first.author_name == ERASED_NAME
    assert _everywhere(_needles(CANARY)) == []


def test_the_answer_never_tells_whether_an_address_commented(
    client: Client, canary_thread: dict[str, Any]
) -> None:
    known = _ask(client, CANARY, "export")
    unknown = _ask(client, "nobody@example.org", "export")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text


def test_requests_per_address_are_limited(client: Client, settings: Any) -> None:
    settings.DATELINE_PRIVACY_REQUESTS_PER_DAY = 2
    for _ in range(4):
        assert _ask(client, "busy@example.org", "export").status_code == 200
    assert len(mail.outbox) == 2
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        _ask(client, "busy@example.org", "export")
    assert len(mail.outbox) == 3


def test_expired_requests_forget_the_address(client: Client) -> None:
    _ask(client, "late@example.org", "erase")
    link = _link(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert privacy_requests_expire() == 1
        assert client.post(link).status_code == 400
    assert PrivacyRequest.objects.get().email == ""
    assert _everywhere(["late@example.org"]) == []


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-address", "kind": "export"},
        {"email": "a@example.org", "kind": "everything"},
        {"email": "a\x00b@example.org", "kind": "export"},
        {"email": "x" * 300 + "@example.org", "kind": "erase"},
    ],
)
def test_bad_requests_come_back_with_the_input(client: Client, data: dict[str, str]) -> None:
    response = client.post("/privacy/", data)
    assert response.status_code == 400
    assert 'class="field-error"' in response.text
    assert 'role="alert"' in response.text
    assert not PrivacyRequest.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("token", ["nonsense", "a" * 500, "..:..", "%00"])
def test_bad_links_are_refused(client: Client, token: str) -> None:
    assert client.get(f"/privacy/confirm/{token}/").status_code == 400
    assert client.post(f"/privacy/confirm/{token}/").status_code == 400


def test_a_link_for_export_cannot_erase(client: Client, canary_thread: dict[str, Any]) -> None:
    _ask(client, CANARY, "export")
    link = _link(mail.outbox[0])
    PrivacyRequest.objects.update(kind=PrivacyRequest.Kind.ERASE)
    assert client.post(link).status_code == 400
    assert Comment.objects.filter(author_name="Canary Person").count() == 2


def _staff(group: str) -> Any:
    user = get_user_model().objects.create_user(
        f"{group.lower()}-user", f"{group.lower()}@newsroom.example", "pw"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def test_staff_export_and_erase_from_the_admin(
    client: Client, canary_thread: dict[str, Any]
) -> None:
    client.force_login(_staff("Moderator"))
    page = client.get("/admin/commenter-data/")
    assert page.status_code == 200
    export = client.post(
        "/admin/commenter-data/", {"email": CANARY, "action": "export", "confirm": "on"}
    )
    assert export.status_code == 200
    assert len(json.loads(export.content)["comments"]) == 2

    unconfirmed = client.post("/admin/commenter-data/", {"email": CANARY, "action": "erase"})
    assert unconfirmed.status_code == 400
    assert Comment.objects.filter(author_name="Canary Person").count() == 2

    erased = client.post(
        "/admin/commenter-data/", {"email": CANARY, "action": "erase", "confirm": "on"}
    )
    assert erased.status_code == 302
    assert _everywhere(_needles(CANARY)) == []
    logged = PrivacyRequest.objects.filter(actor__isnull=False)
    assert sorted(logged.values_list("kind", flat=True)) == ["erase", "export"]


def test_reporters_cannot_act_for_commenters(client: Client, canary_thread: Any) -> None:
    client.force_login(_staff("Reporter"))
    assert client.get("/admin/commenter-data/").status_code in (302, 403)
    response = client.post(
        "/admin/commenter-data/", {"email": CANARY, "action": "erase", "confirm": "on"}
    )
    assert response.status_code in (302, 403)
    assert Comment.objects.filter(author_name="Canary Person").count() == 2


def test_a_new_comment_after_erasure_starts_afresh(
    canary_thread: dict[str, Any], submission_factory: Any
) -> None:
    commenter_erase(email=CANARY)
    result = comment_post(
        submission=submission_factory(
            email=CANARY, name="Canary Again", body="Back with a new point."
        )
    )
    # The approved history went with the erasure: a first comment again, so held.
    assert result.comment.status == Comment.Status.PENDING
