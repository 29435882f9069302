"""Commenters' rights: an export of their data and erasure, asked for by email and confirmed by
a signed link, or done by staff from the admin. After erasure the address is nowhere."""

from __future__ import annotations

import hashlib
import json
import re
import smtplib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry, Site

from dateline.commenters.models import CommenterSettings, PrivacyRequest
from dateline.commenters.selectors import commenter_export
from dateline.commenters.services import (
    ERASED_ADDRESS,
    ERASED_BODY,
    ERASED_NAME,
    commenter_erase,
    privacy_requests_expire,
)
from dateline.comments.bodies import comment_bodies_refresh
from dateline.comments.models import Comment, CommentRevision, SentMail, Subscriber
from dateline.comments.services import comment_post
from dateline.comments.tasks import notify_reply
from dateline.comments.text import body_fingerprint, normalise_email
from dateline.moderation.bans import erased_ban_key
from dateline.moderation.desk import desk_ban, desk_decide, desk_edit
from dateline.moderation.models import CommentBan

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


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _smtp_refuses(*args: Any, **kwargs: Any) -> int:
    raise smtplib.SMTPRecipientsRefused({CANARY: (550, b"5.1.1 mailbox unavailable")})


def _work() -> int:
    """What ``manage.py db_worker --batch`` does with each queued task (the command itself
    closes the test's database connection)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    ran = 0
    while (row := DBTaskResult.objects.ready().first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1
    return ran


@pytest.fixture
def canary_thread(
    article: Any, other_article: Any, comment_factory: Any, settings: Any, monkeypatch: Any
) -> dict[str, Any]:
    """The canary commented on two articles, was answered, asked for reply mail and got some;
    staff edited their address out of a comment (the earlier text keeps it), banned them at the
    desk and through the snippet admin (Wagtail logs both the creation and an edit), and mail to
    them sits in the task table: one that failed (the SMTP error names the address) and one still
    queued (the moderator's reason names it). Another reader quotes the address."""
    commenter_settings = CommenterSettings.for_site(Site.objects.get(is_default_site=True))
    commenter_settings.outcome_notices = True
    commenter_settings.save()
    staff = get_user_model().objects.create_superuser("editor", "editor@newsroom.example", "pw")
    first = comment_factory(
        article=article,
        author_name="Canary Person",
        author_email=CANARY,
        author_url="https://canary.example.net/",
        body=f"The sea wall plan ignores the tide tables. Write to me: {CANARY}",
        ip_prefix="198.51.100.0/24",
        user_agent="CanaryBrowser/2.0",
    )
    reply = comment_factory(parent=first, body="The tide tables were in annex B.")
    mention = comment_factory(parent=first, body=f"Ask {CANARY} for the annex.")
    second = comment_factory(
        article=other_article,
        author_name="Canary Person",
        author_email=CANARY.lower(),
        body="The new timetable suits early workers.",
        status=Comment.Status.PENDING,
    )
    # Read on the site: each body's HTML is stored beside it (comments.bodies).
    comment_bodies_refresh(comments=Comment.objects.all())
    subscriber = Subscriber.objects.create(
        email_key=CANARY.lower(), email=CANARY, status=Subscriber.Status.CONFIRMED
    )
    subscriber.subscriptions.create(comment=first)
    SentMail.objects.create(email_key=CANARY.lower(), kind="reply", sent_at=timezone.now())

    desk_edit(
        comment=first,
        body="The sea wall plan ignores the tide tables.",
        actor=staff,
        reason="Took the commenter's address out of the text.",
    )
    desk_ban(
        actor=staff,
        reason=f"Spam from {CANARY} on several articles",
        email_key=normalise_email(CANARY),
        days=30,
        comment=second,
    )
    # A ban made in the snippet admin, as a moderator does, then edited there: Wagtail logs both.
    admin = Client()
    admin.force_login(staff)
    added = admin.post(
        "/admin/snippets/moderation/commentban/add/",
        {"email_key": f"  {CANARY} ", "ip_prefix": "", "reason": "Ban evasion"},  # as typed
    )
    assert added.status_code == 302, added.content
    ban = CommentBan.objects.get(reason="Ban evasion")
    edited = admin.post(
        f"/admin/snippets/moderation/commentban/edit/{ban.pk}/",
        {"email_key": CANARY.lower(), "ip_prefix": "", "reason": "Ban evasion, second time"},
    )
    assert edited.status_code == 302, edited.content

    # A reply notification that failed: the worker records the SMTP error with the address.
    immediate, settings.TASKS = settings.TASKS, DB_TASKS
    notify_reply.enqueue(reply.pk)
    monkeypatch.setattr(locmem.EmailBackend, "send_messages", _smtp_refuses)
    _work()
    monkeypatch.undo()
    # An outcome notice still queued, carrying the moderator's reason.
    with _capture(execute=True):
        desk_decide(
            comment=second,
            action="trash",
            actor=staff,
            reason=f"Not published: it gives {CANARY} again.",
        )
    settings.TASKS = immediate
    return {"first": first, "reply": reply, "mention": mention, "second": second, "staff": staff}


def test_the_canary_is_planted_everywhere(canary_thread: dict[str, Any]) -> None:
    """Before erasure the address is in every place erasure must reach; otherwise the scans
    below would pass for want of anything to find."""
    found = {(table, column) for table, column, _ in _everywhere([CANARY])}
    assert {
        ("comments_comment", "author_email"),
        ("comments_comment", "email_key"),
        ("comments_comment", "body"),  # another reader quotes it
        ("comments_commentrevision", "body"),  # the text before the staff edit
        ("comments_commentevent", "reason"),  # the ban's and the decision's reasons
        ("moderation_commentban", "email_key"),
        ("moderation_commentban", "reason"),
        ("comments_subscriber", "email"),
        ("comments_sentmail", "email_key"),
        ("wagtailcore_modellogentry", "label"),  # "ban of …", created and edited
        ("django_tasks_database_dbtaskresult", "args_kwargs"),  # the queued notice
        ("django_tasks_database_dbtaskresult", "traceback"),  # the failed one
    } <= found, found


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
    # The text before staff edited it, and the bans naming the address.
    assert [v["body"] for v in first["earlier_versions"]] == [
        f"The sea wall plan ignores the tide tables. Write to me: {CANARY}"
    ]
    assert sorted(b["reason"] for b in data["bans"]) == [
        "Ban evasion, second time",
        f"Spam from {CANARY} on several articles",
    ]
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
    # The earlier text kept by the staff edit went with the text.
    assert not CommentRevision.objects.filter(comment=first).exists()
    # Another reader's quote of the address is cleaned, and the cleaning logged.
    mention = Comment.objects.get(pk=canary_thread["mention"].pk)
    assert mention.body == f"Ask {ERASED_ADDRESS} for the annex."
    assert mention.body_hash == body_fingerprint(mention.body)
    assert mention.events.filter(action="address removed").exists()
    # The bans stay, under a keyed hash of the address; their log entries no longer name it.
    keys = set(CommentBan.objects.values_list("email_key", flat=True))
    assert keys == {erased_ban_key(CANARY)} and CommentBan.objects.count() == 2
    labels = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CommentBan)
    ).values_list("label", flat=True)
    # The desk ban's entry, and the snippet ban's creation and edit.
    assert sorted(labels) == [f"ban of {ERASED_ADDRESS}"] * 3
    # The mail to the address left the task queue: a worker now has nothing to send.
    sent = len(mail.outbox)
    assert _work() == 0
    assert len(mail.outbox) == sent

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
    # The earlier text stays with the text, without the address.
    assert list(CommentRevision.objects.filter(comment=first).values_list("body", flat=True)) == [
        f"The sea wall plan ignores the tide tables. Write to me: {ERASED_ADDRESS}"
    ]
    assert (erasure.revisions, erasure.bans) == (0, 2)
    # Cleaned: the quote, the earlier text, the desk ban's reason, the two moderation reasons
    # (ban, decision), the snippet ban's two log entries, and Wagtail's entries for the desk
    # ban and the decision (their reasons name the address).
    assert erasure.mentions == 9
    assert erasure.tasks == 2


def test_erasure_removes_the_earlier_texts_with_the_text(canary_thread: dict[str, Any]) -> None:
    erasure = commenter_erase(email=CANARY, keep_text=False)
    assert (erasure.comments, erasure.text_kept, erasure.revisions) == (2, False, 1)
    assert not CommentRevision.objects.exists()
    assert _everywhere(_needles(CANARY)) == []
    # The text is gone from the database, not only from the page.
    assert _everywhere(["tide tables. Write to me", "sea wall plan ignores"]) == []


def test_export_lists_earlier_versions_and_bans_in_a_fixed_number_of_queries(
    canary_thread: dict[str, Any], comment_factory: Any, django_assert_max_num_queries: Any
) -> None:
    with CaptureQueriesContext(connection) as few:
        data = commenter_export(email=CANARY)
    bans = {b["reason"]: b for b in data["bans"]}
    assert bans["Ban evasion, second time"]["active"] is True
    assert bans["Ban evasion, second time"]["by"] == "address"
    assert bans[f"Spam from {CANARY} on several articles"]["until"] is not None

    first = canary_thread["first"]
    for n in range(5):
        more = comment_factory(article=first.article, author_email=CANARY, body=f"Point {n}.")
        desk_edit(comment=more, body=f"Point {n}, edited.", actor=canary_thread["staff"])
    with django_assert_max_num_queries(len(few)):
        data = commenter_export(email=CANARY)
    assert len(data["comments"]) == 7
    assert sum(len(c["earlier_versions"]) for c in data["comments"]) == 6

    # After erasure the address's bans are still listed for it, as a keyed hash.
    commenter_erase(email=CANARY)
    after = commenter_export(email=CANARY)
    assert after["comments"] == []
    assert {b["by"] for b in after["bans"]} == {"address, as a keyed hash after erasure"}


def test_erased_ban_key_is_a_keyed_hash_of_the_normalised_address(settings: Any) -> None:
    key = erased_ban_key("  Canary.Person@Example.NET ")
    assert key == erased_ban_key("canary.person@example.net")
    assert key.startswith("hmac:") and "canary" not in key
    settings.SECRET_KEY = "another-" + settings.SECRET_KEY
    assert erased_ban_key("canary.person@example.net") != key


def test_a_ban_keeps_working_after_erasure(
    canary_thread: dict[str, Any], submission_factory: Any
) -> None:
    from dateline.moderation.desk_selectors import desk_cards

    commenter_erase(email=CANARY)
    result = comment_post(submission=submission_factory(email=CANARY, body="Back again."))
    assert result.comment.status == Comment.Status.SPAM
    # The desk's card for the returning commenter shows the bans that caught them.
    (card,) = desk_cards(comments=[result.comment])
    assert len(card.bans) == 2  # the desk's and the admin's
    assert {b.email_key for b in card.bans} == {erased_ban_key(CANARY)}


def test_an_address_typed_in_the_ban_admin_is_stored_normalised_and_catches(
    canary_thread: dict[str, Any], submission_factory: Any
) -> None:
    typed = CommentBan.objects.get(reason="Ban evasion, second time")
    assert typed.email_key == normalise_email(CANARY)
    CommentBan.objects.exclude(pk=typed.pk).delete()
    result = comment_post(submission=submission_factory(email=CANARY, body="Back again."))
    assert result.comment.status == Comment.Status.SPAM
    assert "Ban evasion, second time" in result.comment.moderation_reasons[0]["reason"]


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
    # Bans aside (the canary's are lifted here; see test_a_ban_keeps_working_after_erasure).
    CommentBan.objects.update(lifted_at=timezone.now())
    result = comment_post(
        submission=submission_factory(
            email=CANARY, name="Canary Again", body="Back with a new point."
        )
    )
    # The approved history went with the erasure: a first comment again, so held.
    assert result.comment.status == Comment.Status.PENDING
