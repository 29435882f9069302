"""Issues: what feeds them, the scheduler's daily and weekly moments, alerts on publish, the
bounce webhook and command, and the admin's preview, test copy, send and report."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dateline.newsletters.models import (
    Newsletter,
    NewsletterIssue,
    SendLog,
    Subscription,
    Suppression,
)
from dateline.newsletters.schedule import next_slot
from dateline.newsletters.services import issue_prepare, newsletters_run_due
from tests.factories import ArticlePageFactory, SectionPageFactory

pytestmark = pytest.mark.django_db


def test_daily_slot_is_at_the_newsletter_time_in_its_time_zone(newsletter):
    newsletter.time_zone = "America/New_York"
    # 06:00 in New York on 6 July (summer: UTC-4) is 10:00 UTC; the 07:00 slot is 11:00 UTC.
    assert next_slot(newsletter, after=datetime(2026, 7, 6, 10, 0, tzinfo=UTC)) == datetime(
        2026, 7, 6, 11, 0, tzinfo=UTC
    )
    # In winter (UTC-5) the same local time is 12:00 UTC.
    assert next_slot(newsletter, after=datetime(2026, 12, 7, 13, 0, tzinfo=UTC)) == datetime(
        2026, 12, 8, 12, 0, tzinfo=UTC
    )


def test_weekly_slot_falls_on_its_weekday(newsletter):
    newsletter.schedule = Newsletter.Schedule.WEEKLY
    newsletter.weekday = Newsletter.Weekday.SATURDAY
    newsletter.send_time = time(9, 30)
    slot = next_slot(newsletter, after=datetime(2026, 12, 7, 0, 0, tzinfo=UTC))  # a Monday

    assert slot == datetime(2026, 12, 12, 9, 30, tzinfo=UTC)  # London is on UTC in December


def test_an_issue_takes_the_newest_articles_of_its_sections_since_the_last_one(
    newsletter, section, home
):
    now = timezone.now()
    old = ArticlePageFactory(parent=section, first_published_at=now - timedelta(days=3))
    fresh = [
        ArticlePageFactory(parent=section, first_published_at=now - timedelta(hours=h))
        for h in (5, 3, 1)
    ]
    elsewhere = ArticlePageFactory(
        parent=SectionPageFactory(parent=home, title="Sport"),
        first_published_at=now - timedelta(hours=2),
    )

    first = issue_prepare(newsletter=newsletter, now=now)
    newer = ArticlePageFactory(parent=section, first_published_at=now + timedelta(minutes=5))
    second = issue_prepare(newsletter=newsletter, now=now + timedelta(minutes=10))
    third = issue_prepare(newsletter=newsletter, now=now + timedelta(minutes=20))

    titles = [row.article.title for row in first.items.select_related("article")]
    # The first issue starts with the newest stories; later ones take what came since.
    assert titles == [*(a.title for a in reversed(fresh)), old.title]
    assert elsewhere.title not in titles
    assert [row.article_id for row in second.items.all()] == [newer.pk]
    assert third.status == NewsletterIssue.Status.SKIPPED


def test_the_scheduler_prepares_before_the_time_and_sends_at_it(
    smtp, newsletter, section, subscribe_confirmed, django_capture_on_commit_callbacks
):
    subscribe_confirmed(2)
    with time_machine.travel(datetime(2026, 12, 7, 6, 30, tzinfo=UTC), tick=False):
        ArticlePageFactory(parent=section, first_published_at=timezone.now() - timedelta(hours=2))
        with django_capture_on_commit_callbacks(execute=True):
            early = newsletters_run_due()
    (issue_id,) = early.prepared
    issue = NewsletterIssue.objects.get(pk=issue_id)
    assert issue.status == NewsletterIssue.Status.SCHEDULED
    assert issue.send_at == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
    assert smtp.received == []

    with (
        time_machine.travel(datetime(2026, 12, 7, 7, 0, 30, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        due = newsletters_run_due()
        again = newsletters_run_due()

    assert due.started == [issue_id] and again.started == []
    assert sorted(smtp.recipients()) == ["reader0@mail.example", "reader1@mail.example"]
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT


def test_an_alert_goes_once_when_an_article_is_first_published(
    smtp, section, subscribe_confirmed, django_capture_on_commit_callbacks
):
    alerts = Newsletter.objects.create(
        name="Breaking alerts",
        slug="alerts",
        schedule=Newsletter.Schedule.ON_PUBLISH,
        template=Newsletter.Template.ALERT,
    )
    subscribe_confirmed(2, to=alerts)
    article = ArticlePageFactory(parent=section, live=False, first_published_at=None)
    article.title = "Bridge reopens after repairs"

    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()  # an update: no second alert

    assert sorted(smtp.recipients()) == ["reader0@mail.example", "reader1@mail.example"]
    message = smtp.received[0].message
    assert message["Subject"] == "Bridge reopens after repairs"
    assert "Bridge reopens" in message.get_body(preferencelist=("plain",)).get_content()
    assert NewsletterIssue.objects.get().alert_article_id == article.pk


def test_a_breaking_news_flag_sends_the_breaking_alert_once(
    smtp, article, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    from dateline.live.signals import breaking_news

    breaking = Newsletter.objects.create(
        name="Breaking news alerts", slug="breaking", schedule=Newsletter.Schedule.BREAKING
    )
    subscribe_confirmed(1, to=breaking)
    subscribe_confirmed(1, start=1)  # the daily's reader gets no alert

    with django_capture_on_commit_callbacks(execute=True):
        breaking_news.send(sender=Newsletter, page=article)
        breaking_news.send(sender=Newsletter, page=article)  # flagged again: no second mail

    assert smtp.recipients() == ["reader0@mail.example"]
    assert smtp.received[0].message["Subject"] == f"Breaking: {article.title}"


def test_bounce_webhook_needs_its_token_and_stops_the_address(
    client, newsletter, subscribe_confirmed
):
    subscribe_confirmed(2)
    url = "/newsletters/webhooks/bounces/"
    body = json.dumps({"events": [{"email": "Reader0@mail.example", "type": "bounce"}]})

    assert client.post(url, body, content_type="application/json").status_code == 401
    assert (
        client.post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer wrong"
        ).status_code
        == 401
    )
    bad = client.post(
        url,
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer hook-secret-for-tests",
    )
    assert bad.status_code == 400
    invalid = client.post(
        url,
        json.dumps({"email": "x", "type": "explode"}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer hook-secret-for-tests",
    )
    assert invalid.status_code == 400 and "errors" in invalid.json()

    ok = client.post(
        url,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer hook-secret-for-tests",
    )

    assert ok.status_code == 200 and ok.json() == {"ok": True, "events": 1, "stopped": 1}
    statuses = dict(Subscription.objects.values_list("subscriber__email", "status"))
    assert statuses == {"reader0@mail.example": "bounced", "reader1@mail.example": "confirmed"}
    assert Suppression.objects.get().kind == "bounce"


def test_bounce_webhook_is_off_without_a_token(client, settings):
    settings.DATELINE_NEWSLETTER_WEBHOOK_TOKEN = ""
    response = client.post(
        "/newsletters/webhooks/bounces/",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer ",
    )
    assert response.status_code == 404


def test_complaint_command_stops_the_address(newsletter, subscribe_confirmed):
    subscribe_confirmed(1)
    out = StringIO()

    call_command("newsletter_bounce", "reader0@mail.example", "--complaint", stdout=out)

    assert Subscription.objects.get().status == Subscription.Status.COMPLAINED
    assert "1 subscription(s) stopped" in out.getvalue()


# --- The admin -------------------------------------------------------------------------------


def test_editor_previews_sends_a_test_and_sends_and_sees_the_counts(
    client,
    smtp,
    editor,
    article,
    newsletter,
    subscribe_confirmed,
    django_capture_on_commit_callbacks,
):
    subscribe_confirmed(3)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        prepared = client.post(f"/admin/newsletters/{newsletter.pk}/prepare/")
    issue = NewsletterIssue.objects.get()
    assert prepared.status_code == 302

    page = client.get(f"/admin/newsletter-issues/{issue.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "3 confirmed subscribers" in html
    assert article.title in html  # the plain-text part, shown
    preview = client.get(f"/admin/newsletter-issues/{issue.pk}/preview/")
    assert preview.status_code == 200 and article.title in preview.content.decode()
    assert preview["X-Frame-Options"] == "SAMEORIGIN"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/newsletter-issues/{issue.pk}/test/")
    assert smtp.recipients() == ["desk@newsroom.example"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/newsletter-issues/{issue.pk}/send/")
    assert len(smtp.recipients()) == 4
    after = client.get(f"/admin/newsletter-issues/{issue.pk}/").content.decode()
    assert "<dt>Sent</dt><dd>3</dd>" in after
    assert "reader0@mail.example" not in after  # staff see counts, not the list


def test_a_reporter_may_not_send_issues(client, article, newsletter, django_user_model):
    from django.contrib.auth.models import Group

    reporter = django_user_model.objects.create_user(
        username="rep", email="rep@newsroom.example", password="x-not-real", is_staff=True
    )
    reporter.groups.add(Group.objects.get(name="Reporter"))
    issue = issue_prepare(newsletter=newsletter)
    client.force_login(reporter)

    # Wagtail answers a refused admin page with a redirect to the dashboard and a message.
    sent = client.post(f"/admin/newsletter-issues/{issue.pk}/send/")
    seen = client.get(f"/admin/newsletter-issues/{issue.pk}/")

    assert (sent.status_code, sent.get("Location")) == (302, "/admin/")
    assert (seen.status_code, seen.get("Location")) == (302, "/admin/")
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT
    assert not SendLog.objects.exists()
    assert not mail.outbox


def test_an_article_in_arabic_keeps_its_language_and_direction_in_the_issue(newsletter, section):
    """An issue is written left to right in the site's language; an Arabic headline and
    standfirst in it were laid out left to right too, with the full stop on the wrong side."""
    from dateline.newsletters.mail import render_issue

    now = timezone.now()
    ArticlePageFactory(
        parent=section,
        title="مؤتمر في نوران عن شح المياه",
        standfirst="خبراء يبحثون تحلية المياه.",
        language="ar",
        first_published_at=now - timedelta(hours=1),
    )
    ArticlePageFactory(
        parent=section,
        title="Ferry crews agree a new timetable",
        first_published_at=now - timedelta(hours=2),
    )
    issue = issue_prepare(newsletter=newsletter, now=now)

    html_body, _text = render_issue(issue)

    page = BeautifulSoup(html_body, "html.parser")
    headline = page.find("a", string="مؤتمر في نوران عن شح المياه").find_parent(lang=True)
    standfirst = page.find(string="خبراء يبحثون تحلية المياه.").find_parent(lang=True)
    for arabic in (headline, standfirst):
        assert (arabic["lang"], arabic.get("dir")) == ("ar", "rtl")
    english = page.find("a", string="Ferry crews agree a new timetable").find_parent(lang=True)
    assert (english["lang"], english.get("dir")) in {("en", "ltr"), ("en", None)}
