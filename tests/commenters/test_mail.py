"""Mail around moderation: outcome notices to commenters with a confirmed address, and the
daily digest to moderators, each with a one-click way out."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from wagtail.models import Site

from dateline.commenters.models import CommenterSettings, DigestPreference
from dateline.commenters.tasks import send_moderator_digest
from dateline.comments.models import Comment, Subscriber
from dateline.comments.services import comment_moderate

pytestmark = pytest.mark.django_db


def _site_settings(**values: Any) -> None:
    current = CommenterSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(current, name, value)
    current.save()


def _user(name: str, group: str | None, email: str | None = None) -> Any:
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        address = f"{name}@newsroom.example" if email is None else email
        user = get_user_model().objects.create_user(name, address, "pw")
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def held(article: Any, comment_factory: Any) -> Comment:
    comment = comment_factory(
        article=article,
        author_email="held@example.org",
        status=Comment.Status.PENDING,
        body="A remark that waited for a moderator.",
    )
    Subscriber.objects.create(
        email_key="held@example.org", email="held@example.org", status=Subscriber.Status.CONFIRMED
    )
    return comment


def _decide(comment: Comment, action: str, capture: Any, reason: str = "") -> None:
    with capture(execute=True):
        comment_moderate(
            comment=comment, action=action, actor=_user("mod", "Moderator"), reason=reason
        )


def test_outcome_notices_are_off_by_default(
    held: Comment, django_capture_on_commit_callbacks: Any
) -> None:
    _decide(held, "approve", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_approval_notice(held: Comment, django_capture_on_commit_callbacks: Any) -> None:
    _site_settings(outcome_notices=True)
    _decide(held, "approve", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["held@example.org"]
    assert "is published" in message.subject
    assert f"/comments/{held.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_notice_once_the_article_is_unpublished(
    held: Comment, article: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A story pulled from the site: "Your comment … is published" would be untrue, and its
    links lead nowhere."""
    _site_settings(outcome_notices=True)
    article.unpublish()
    _decide(held, "approve", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_rejection_notice_gives_the_reason(
    held: Comment, django_capture_on_commit_callbacks: Any
) -> None:
    _site_settings(outcome_notices=True)
    _decide(
        held, "trash", django_capture_on_commit_callbacks, reason="Personal attack on a reader."
    )
    (message,) = mail.outbox
    assert "was not published" in message.subject
    assert "Personal attack on a reader." in message.body


def test_no_notice_for_spam_or_unconfirmed_addresses(
    held: Comment, article: Any, comment_factory: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _site_settings(outcome_notices=True)
    _decide(held, "spam", django_capture_on_commit_callbacks)
    stranger = comment_factory(
        article=article, author_email="unconfirmed@example.org", status=Comment.Status.PENDING
    )
    Subscriber.objects.create(email_key="unconfirmed@example.org", email="unconfirmed@example.org")
    _decide(stranger, "approve", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_digest_goes_to_moderators_who_want_it(client: Client, held: Comment) -> None:
    moderator = _user("desk", "Moderator")
    _user("quiet", "Moderator")
    _user("writer", "Reporter")
    _user("noaddress", "Moderator", email="")
    DigestPreference.objects.create(
        user=get_user_model().objects.get(username="quiet"), digest=False
    )

    assert send_moderator_digest.call() == 1
    (message,) = mail.outbox
    assert message.to == [moderator.email]
    assert "1 comment" in message.body
    assert message.subject.startswith("1 comment waits for moderation")
    unsubscribe = re.search(r"<(http\S+)>", message.extra_headers["List-Unsubscribe"]).group(1)  # type: ignore[union-attr]
    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    # One click from the mail client, no page, no cookie.
    assert Client(enforce_csrf_checks=True).post(f"/{path}").status_code == 200
    mail.outbox.clear()
    assert send_moderator_digest.call() == 0


def test_no_digest_when_nothing_waits_or_when_off(held: Comment) -> None:
    _user("desk", "Moderator")
    _site_settings(moderator_digest=False)
    assert send_moderator_digest.call() == 0
    _site_settings(moderator_digest=True)
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert send_moderator_digest.call() == 0
    assert mail.outbox == []


def test_a_forged_digest_link_does_nothing(client: Client) -> None:
    assert client.post("/privacy/digest-off/forged/").status_code == 400
    assert not DigestPreference.objects.exists()


def test_bulk_decisions_send_notices_too(
    held: Comment, article: Any, comment_factory: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from dateline.moderation.desk import desk_bulk

    _site_settings(outcome_notices=True)
    already = comment_factory(article=article, author_email="held@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        desk_bulk(
            comment_ids=[held.pk, already.pk],
            action="trash",
            actor=_user("chief", "Administrator"),
            reason="Off-topic thread cleanup.",
        )
    # Only the held one was a decision on a waiting comment.
    (message,) = mail.outbox
    assert f"“{held.article.title}”" in message.subject
    assert "Off-topic thread cleanup." in message.body


def test_a_section_moderator_hears_only_of_their_section(
    held: Comment, article: Any, home: Any, article_factory: Any, comment_factory: Any
) -> None:
    from dateline.moderation.models import DeskAssignment
    from tests.factories import SectionPageFactory

    sport = SectionPageFactory(parent=home, title="Sport", slug="sport")
    match = article_factory(parent=sport, title="Late goal settles the derby", slug="derby")
    comment_factory(article=match, status=Comment.Status.PENDING)
    comment_factory(article=match, status=Comment.Status.PENDING)
    sports_desk = _user("sportsdesk", "Moderator")
    DeskAssignment.objects.create(user=sports_desk, section=sport)
    _user("chief", "Administrator")

    assert send_moderator_digest.call() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["sportsdesk@newsroom.example"].subject.startswith("2 comments wait")
    assert by_address["chief@newsroom.example"].subject.startswith("3 comments wait")


def test_the_daily_command_expires_requests_and_sends_the_digest(held: Comment) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from dateline.commenters.models import PrivacyRequest

    _user("desk", "Moderator")
    old = PrivacyRequest.objects.create(
        kind="export",
        requester_key="k",
        email="old@example.org",
        requested_at=timezone.now() - timedelta(days=3),
    )
    call_command("run_scheduler", "--once", verbosity=0)
    old.refresh_from_db()
    assert (old.status, old.email) == ("expired", "")
    assert [m.to for m in mail.outbox] == [["desk@newsroom.example"]]


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notice_is_queued_as_a_task_after_commit_and_sent_by_the_worker(
    held: Comment, settings: Any
) -> None:
    """With the production task backend: nothing is queued or sent while the decision's
    transaction is open, one task is queued when it commits, the worker sends the mail."""
    from django.core.management import call_command
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    _site_settings(outcome_notices=True)
    moderator = _user("mod", "Moderator")

    with transaction.atomic():
        comment_moderate(comment=held, action="approve", actor=moderator)
        assert DBTaskResult.objects.count() == 0
    queued = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == ["dateline.commenters.tasks.send_outcome_notice"]
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    (message,) = mail.outbox
    assert message.to == ["held@example.org"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_notice_when_the_decision_is_rolled_back(held: Comment, settings: Any) -> None:
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    _site_settings(outcome_notices=True)
    moderator = _user("mod", "Moderator")

    with pytest.raises(RuntimeError), transaction.atomic():
        comment_moderate(comment=held, action="approve", actor=moderator)
        raise RuntimeError("the request failed after the decision")

    assert DBTaskResult.objects.count() == 0
    assert mail.outbox == []
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING
