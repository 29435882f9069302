"""Sending issues over real SMTP (a local aiosmtpd server): headers, both parts, batches,
refusals, header injection, and a send that dies midway and is resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from dateline.newsletters import sending
from dateline.newsletters.models import Newsletter, NewsletterIssue, SendLog, Subscription
from dateline.newsletters.services import (
    issue_prepare,
    issue_resume,
    issue_send,
    issue_send_test,
    newsletters_run_due,
)

pytestmark = pytest.mark.django_db


def prepared(newsletter: Newsletter) -> NewsletterIssue:
    issue = issue_prepare(newsletter=newsletter)
    assert issue.status == NewsletterIssue.Status.DRAFT, "the fixture's article should feed it"
    return issue


def test_an_issue_reaches_every_subscriber_once_in_batches_with_both_parts_and_list_headers(
    smtp, settings, article, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    settings.DATELINE_NEWSLETTER_BATCH_SIZE = 2
    subscribe_confirmed(5)
    issue = prepared(newsletter)

    with django_capture_on_commit_callbacks(execute=True):
        issue_send(issue=issue)

    assert sorted(smtp.recipients()) == [f"reader{n}@mail.example" for n in range(5)]
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    assert issue.recipients == 5
    assert Counter(SendLog.objects.values_list("status", flat=True)) == {"sent": 5}
    one = smtp.received[0].message
    unsubscribe = one["List-Unsubscribe"].strip()  # a long header comes folded
    assert unsubscribe.startswith("<https://news.example/newsletters/unsubscribe/")
    assert one["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "international-daily.newsletters.news.example" in one["List-Id"]
    assert one["From"].startswith(settings.SITE_NAME)
    assert one.get_content_type() == "multipart/alternative"
    text = one.get_body(preferencelist=("plain",)).get_content()
    html = one.get_body(preferencelist=("html",)).get_content()
    assert article.title in text and article.title in html
    assert unsubscribe.strip("<>") in text and unsubscribe.strip("<>") in html.replace("&amp;", "&")
    # No tracking pixel, no rewritten links: the article's own address.
    assert "<img" not in html
    assert f"https://news.example{article.url}" in html
    # Each subscriber has their own unsubscribe link.
    assert len({r.message["List-Unsubscribe"] for r in smtp.received}) == 5


def test_a_long_send_goes_as_several_tasks_one_after_another(
    smtp, settings, article, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    settings.DATELINE_NEWSLETTER_BATCH_SIZE = 2
    settings.DATELINE_NEWSLETTER_RUN_SECONDS = 0  # one batch per task, then the next task
    subscribe_confirmed(5)
    runs = []
    real_run = sending.issue_send_run

    def counted(issue_id, **kwargs):
        result = real_run(issue_id, **kwargs)
        runs.append(result.sent)
        return result

    with (
        mock.patch.object(sending, "issue_send_run", counted),
        django_capture_on_commit_callbacks(execute=True),
    ):
        issue_send(issue=prepared(newsletter))

    assert runs == [2, 2, 1, 0]  # the last task finds the list done and marks the issue sent
    assert sorted(smtp.recipients()) == [f"reader{n}@mail.example" for n in range(5)]


def test_a_refused_recipient_is_recorded_and_the_rest_still_get_it(
    smtp, article, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    subscribe_confirmed(3)
    smtp.refuse.add("reader1@mail.example")

    with django_capture_on_commit_callbacks(execute=True):
        issue_send(issue=prepared(newsletter))

    assert sorted(smtp.recipients()) == ["reader0@mail.example", "reader2@mail.example"]
    failed = SendLog.objects.get(status=SendLog.Status.FAILED)
    assert failed.subscriber.email == "reader1@mail.example"
    assert "refused" in failed.error


def test_unsubscribed_and_pending_addresses_get_nothing(
    smtp, article, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    _, b, c = subscribe_confirmed(3)
    Subscription.objects.filter(subscriber=b).update(status=Subscription.Status.UNSUBSCRIBED)
    Subscription.objects.filter(subscriber=c).update(status=Subscription.Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        issue_send(issue=prepared(newsletter))

    assert smtp.recipients() == ["reader0@mail.example"]


def test_line_breaks_in_subject_or_sender_name_add_no_header(
    smtp, article, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    subscribe_confirmed(1)
    # Past the model's validation, as a direct database write would be.
    Newsletter.objects.filter(pk=newsletter.pk).update(
        sender_name='Desk\r\nBcc: victim@mail.example\r\nX-Evil: "yes"'
    )
    issue = prepared(Newsletter.objects.get(pk=newsletter.pk))
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        subject="Morning news\r\nBcc: victim2@mail.example\nX-Injected: 1"
    )

    with django_capture_on_commit_callbacks(execute=True):
        issue_send(issue=NewsletterIssue.objects.get(pk=issue.pk))

    (received,) = smtp.received
    assert received.rcpt_tos == ["reader0@mail.example"]
    message = received.message
    assert message["Bcc"] is None and message["X-Evil"] is None and message["X-Injected"] is None
    assert "\n" not in message["Subject"] and message["Subject"].startswith("Morning news")
    assert "victim" not in " ".join(message.keys())


def test_a_test_copy_goes_to_the_editor_only_and_is_marked(
    smtp, article, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    subscribe_confirmed(2)
    issue = prepared(newsletter)

    with django_capture_on_commit_callbacks(execute=True):
        issue_send_test(issue=issue, email="desk@newsroom.example")

    (received,) = smtp.received
    assert received.rcpt_tos == ["desk@newsroom.example"]
    assert received.message["Subject"].startswith("[Test] ")
    assert received.message["List-Unsubscribe"]
    assert not SendLog.objects.exists()
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT


def test_a_send_that_dies_midway_resumes_and_nobody_gets_two(
    smtp, settings, article, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    settings.DATELINE_NEWSLETTER_BATCH_SIZE = 3
    subscribe_confirmed(8)
    issue = prepared(newsletter)
    real_deliver = sending.deliver
    calls = {"n": 0}

    def dies_on_the_fifth(message):
        calls["n"] += 1
        if calls["n"] == 5:
            raise SystemExit("the worker was killed")  # not an error the send handles
        real_deliver(message)

    # The task queue records the task as failed; the process would be gone.
    with (
        mock.patch.object(sending, "deliver", dies_on_the_fifth),
        django_capture_on_commit_callbacks(execute=True),
    ):
        issue_send(issue=issue)

    # First batch sent and recorded; the second died after one mail: its three rows in doubt.
    assert len(smtp.received) == 4
    assert Counter(SendLog.objects.values_list("status", flat=True)) == {"sent": 3, "claimed": 3}

    with django_capture_on_commit_callbacks(execute=True):
        doubtful = issue_resume(issue=issue)

    assert doubtful == 3
    counts = Counter(smtp.recipients())
    assert max(counts.values()) == 1, counts  # nobody got two
    statuses = Counter(SendLog.objects.values_list("status", flat=True))
    assert statuses == {"sent": 5, "interrupted": 3}
    assert len(counts) == 5 + 1  # the one mail that left before the crash is not sent again
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT


def test_the_scheduler_resumes_a_send_without_a_heartbeat(
    smtp, settings, article, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    subscribe_confirmed(2)
    issue = prepared(newsletter)
    with (
        mock.patch("dateline.newsletters.services.send_issue"),  # the worker never ran
        django_capture_on_commit_callbacks(execute=True),
    ):
        issue_send(issue=issue)
    assert smtp.received == []

    later = timezone.now() + timedelta(seconds=settings.DATELINE_NEWSLETTER_STALE_SECONDS + 5)
    with django_capture_on_commit_callbacks(execute=True):
        run = newsletters_run_due(now=later)

    assert run.resumed == [issue.pk]
    assert sorted(smtp.recipients()) == ["reader0@mail.example", "reader1@mail.example"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_sending_process_resumed_sends_nobody_two(smtp, settings, section, tmp_path):
    """A real crash: the sending process is killed (SIGKILL) in the middle of a batch, then the
    send is resumed in this process."""
    from tests.factories import ArticlePageFactory

    ArticlePageFactory(
        parent=section,
        title="A ferry story",
        first_published_at=timezone.now() - timedelta(hours=1),
    )
    newsletter = Newsletter.objects.create(name="International daily", slug="intl")
    newsletter.sections.add(section)
    from dateline.newsletters.models import Subscriber

    for n in range(40):
        s = Subscriber.objects.create(email=f"r{n}@mail.example", email_key=f"r{n}@mail.example")
        Subscription.objects.create(subscriber=s, newsletter=newsletter, status="confirmed")
    issue = issue_prepare(newsletter=newsletter)
    with mock.patch("dateline.newsletters.services.send_issue"):
        issue_send(issue=issue)
    slow = asyncio_slow_handler(smtp, seconds=0.05)
    db = connection.settings_dict
    database_url = (
        f"sqlite:///{db['NAME']}"
        if connection.vendor == "sqlite"
        else f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    script = (
        "import django, os; django.setup()\n"
        "from django.conf import settings as s\n"
        f"s.EMAIL_BACKEND='django.core.mail.backends.smtp.EmailBackend'; s.EMAIL_HOST='127.0.0.1'; s.EMAIL_PORT={settings.EMAIL_PORT}\n"
        "s.DATELINE_NEWSLETTER_BATCH_SIZE = 7\n"
        "from dateline.newsletters.sending import issue_send_run\n"
        f"issue_send_run({issue.pk})\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dateline.settings.test",
        "DATABASE_URL": database_url,
        "DATELINE_BASE_URL": "https://news.example",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", script], env=env, cwd=Path(__file__).resolve().parents[2]
    )
    deadline = time.monotonic() + 60
    while len(smtp.received) < 17 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    slow["seconds"] = 0
    before = len(smtp.received)
    assert 0 < before < 40

    issue_resume(issue=NewsletterIssue.objects.get(pk=issue.pk))

    counts = Counter(smtp.recipients())
    assert max(counts.values()) == 1, counts
    statuses = Counter(SendLog.objects.filter(issue_id=issue.pk).values_list("status", flat=True))
    assert statuses["sent"] + statuses["interrupted"] == 40
    assert statuses["interrupted"] <= 7  # at most one batch in doubt
    assert len(counts) >= 40 - statuses["interrupted"]


def asyncio_slow_handler(mailbox, *, seconds: float) -> dict:
    """Make the SMTP server take ``seconds`` per message (so a kill lands mid-batch)."""
    import asyncio

    state = {"seconds": seconds}
    original = mailbox.handle_DATA

    async def slow(server, session, envelope):
        if state["seconds"]:
            await asyncio.sleep(state["seconds"])
        return await original(server, session, envelope)

    mailbox.handle_DATA = slow
    return state
