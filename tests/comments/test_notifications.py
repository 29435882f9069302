"""Reply notifications: double opt-in, mail after commit through the task queue, one-click
unsubscribe (RFC 8058) and a per-recipient limit. No mail to an unconfirmed address."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from dateline.comments.models import Comment, Subscriber
from dateline.comments.services import comment_moderate, comment_post

from .conftest import soup

ADA = "ada@example.org"


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def subscribed(post_comment, comment_factory, article, django_capture_on_commit_callbacks):
    """Ada asked for replies to her comment (now approved); Bea is a known commenter."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(comment="Tell me when someone answers.", subscribe="yes")
    assert response.status_code == 303
    comment = Comment.objects.get(author_email=ADA)
    comment_moderate(comment=comment, action="approve")
    comment_factory(article=article, author_email="bea@example.org")  # Bea was approved before
    return comment


def reply(submission_factory, parent, capture, *, email="bea@example.org", body=None) -> Comment:
    fields = {"body": body} if body else {}
    with capture(execute=True):
        comment = comment_post(
            submission=submission_factory(parent_id=parent.pk, email=email, name="Bea", **fields)
        ).comment
    assert comment.status == Comment.Status.APPROVED
    return comment


def confirm_url(mail) -> str:
    return next(path_of(w) for w in mail.body.split() if "/comments/confirm/" in w)


def unsubscribe_url(mail) -> str:
    return path_of(mail.extra_headers["List-Unsubscribe"].strip("<>"))


def test_asking_for_replies_sends_one_confirmation_mail(subscribed, mailoutbox):
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [ADA]
    assert "/comments/confirm/" in mail.body
    assert mail.extra_headers["List-Unsubscribe"].startswith("<http")
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_no_confirmation_mail_without_the_tick(
    post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(comment="No mail for me, thanks.")

    assert mailoutbox == []
    assert not Subscriber.objects.exists()


LOOK_FOR_THE_LINK = "open the link we have just sent you"


def test_the_reader_is_told_to_open_the_confirmation_link_with_javascript(
    post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = post_comment(comment="Tell me when someone answers.", subscribe="yes", json=True)

    assert answer.status_code == 201
    assert LOOK_FOR_THE_LINK in answer.json()["message"]
    assert len(mailoutbox) == 1


def test_the_reader_is_told_to_open_the_confirmation_link_without_javascript(
    post_comment, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(comment="Tell me when someone answers.", subscribe="yes")

    assert response.status_code == 303
    location = response["Location"]
    assert location.endswith("#comment-notice")
    comment = Comment.objects.get()
    notice = soup(client.get(location)).find(id="comment-notice")
    assert LOOK_FOR_THE_LINK in notice.get_text()
    assert notice.find("a")["href"] == f"#comment-{comment.pk}"
    # The same address opened without the reader's own token says nothing of it.
    shared = location.split("?")[0] + "?notify=confirm"
    assert soup(client.get(shared)).find(id="comment-notice") is None


def test_nothing_to_confirm_nothing_said(
    confirmed, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    """Without the tick, or from an address that confirmed before: no mail, no notice."""
    with django_capture_on_commit_callbacks(execute=True):
        plain = post_comment(comment="No mail for me, thanks.", json=True)
        again = post_comment(
            comment="Another one, replies please.", subscribe="yes", comment_key="k2", json=True
        )

    assert (plain.status_code, again.status_code) == (201, 201)
    assert LOOK_FOR_THE_LINK not in plain.json()["message"]
    assert LOOK_FOR_THE_LINK not in again.json()["message"]
    assert mailoutbox == []


def test_no_reply_notification_before_the_address_is_confirmed(
    subscribed, submission_factory, mailoutbox, django_capture_on_commit_callbacks
):
    reply(submission_factory, subscribed, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1  # the confirmation only


def test_confirm_link_shows_a_button_and_only_a_post_confirms(subscribed, client, mailoutbox):
    url = confirm_url(mailoutbox[0])

    page = client.get(url)
    assert page.status_code == 200
    assert b'<form method="post"' in page.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    done = client.post(url)
    assert done.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_forged_confirm_link_is_refused(subscribed, client, mailoutbox):
    url = confirm_url(mailoutbox[0])
    forged = url.rstrip("/")[:-3] + "xyz/"

    assert client.get(forged).status_code == 400
    assert client.post(forged).status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.fixture
def confirmed(subscribed, client, mailoutbox):
    client.post(confirm_url(mailoutbox[0]))
    mailoutbox.clear()
    return subscribed


def test_approved_reply_by_someone_else_sends_one_notification(
    confirmed, submission_factory, mailoutbox, django_capture_on_commit_callbacks
):
    answer = reply(submission_factory, confirmed, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [ADA]
    assert "Bea replied" in mail.body
    assert f"/comments/{answer.pk}/" in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "bea@example.org" not in mail.body + str(mail.extra_headers)


def test_held_reply_sends_nothing_until_it_is_approved(
    confirmed, submission_factory, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held = comment_post(
            submission=submission_factory(
                parent_id=confirmed.pk, email="new@example.org", name="Cy"
            )
        ).comment
    assert held.status == Comment.Status.PENDING
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=held, action="approve")

    assert len(mailoutbox) == 1


def test_a_reply_approved_after_the_article_was_unpublished_sends_nothing(
    confirmed, article, submission_factory, mailoutbox, django_capture_on_commit_callbacks
):
    """A story pulled from the site (unpublished) keeps its queue on the desk; approving a reply
    there mailed its headline and a link readers can no longer open."""
    with django_capture_on_commit_callbacks(execute=True):
        held = comment_post(
            submission=submission_factory(
                parent_id=confirmed.pk, email="new@example.org", name="Cy"
            )
        ).comment
    article.unpublish()

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=held, action="approve")

    assert mailoutbox == []


def test_own_reply_sends_no_notification(
    confirmed, submission_factory, mailoutbox, django_capture_on_commit_callbacks
):
    reply(submission_factory, confirmed, django_capture_on_commit_callbacks, email=ADA)

    assert mailoutbox == []


def test_one_click_unsubscribe_stops_the_mail(
    confirmed, submission_factory, mailoutbox, django_capture_on_commit_callbacks
):
    reply(submission_factory, confirmed, django_capture_on_commit_callbacks)
    url = unsubscribe_url(mailoutbox[0])
    mail_client = Client(enforce_csrf_checks=True)  # no page, no token: RFC 8058

    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    reply(submission_factory, confirmed, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert len(mailoutbox) == 1


def test_unsubscribe_link_opened_in_a_browser_asks_first(
    confirmed, client, submission_factory, mailoutbox, django_capture_on_commit_callbacks
):
    reply(submission_factory, confirmed, django_capture_on_commit_callbacks)

    page = client.get(unsubscribe_url(mailoutbox[0]))

    assert page.status_code == 200
    assert b"Unsubscribe</button>" in page.content
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_unsubscribe_page_says_what_the_button_stops_and_not_again_once_stopped(
    confirmed, client, submission_factory, mailoutbox, django_capture_on_commit_callbacks
):
    """The page was a heading and a button, and the same again after unsubscribing, as if
    the first press had not worked."""
    reply(submission_factory, confirmed, django_capture_on_commit_callbacks)
    url = unsubscribe_url(mailoutbox[0])

    first = client.get(url).content.decode()
    client.post(url, {}, HTTP_ORIGIN="https://testserver")
    again = client.get(url)

    assert "Press the button to stop the emails about replies to your comments." in first
    assert again.status_code == 200
    text = again.content.decode()
    assert "We no longer email this address about replies." in text
    assert "Unsubscribe</button>" not in text


def test_reply_mail_is_limited_per_recipient_per_hour(
    confirmed, submission_factory, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.DATELINE_REPLY_MAIL_PER_HOUR = 2

    for n in range(3):
        reply(
            submission_factory,
            confirmed,
            django_capture_on_commit_callbacks,
            body=f"Answer number {n} to Ada.",
        )

    assert len(mailoutbox) == 2
    assert Comment.objects.filter(parent=confirmed).count() == 3


def test_reader_answered_at_the_deepest_level_is_notified(
    article,
    comment_factory,
    site_settings,
    client,
    post_comment,
    submission_factory,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    site_settings(max_depth=2)
    top = comment_factory(article=article)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(
            comment="My view, at the deepest level.", subscribe="yes", comment_parent=top.pk
        )
    deep = Comment.objects.get(author_email=ADA)
    comment_moderate(comment=deep, action="approve")
    client.post(confirm_url(mailoutbox[0]))
    mailoutbox.clear()
    comment_factory(article=article, author_email="bea@example.org")

    answer = reply(submission_factory, deep, django_capture_on_commit_callbacks)

    assert answer.parent_id == top.pk  # attached one level up, as the depth limit says
    assert [m.to for m in mailoutbox] == [[ADA]]


def test_confirmation_mail_is_limited_per_address_per_day(
    post_comment, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.DATELINE_CONFIRM_MAIL_PER_DAY = 2

    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            post_comment(comment=f"Subscribe me, attempt {n}.", subscribe="yes")

    assert Comment.objects.count() == 3
    assert len(mailoutbox) == 2
    assert {tuple(m.to) for m in mailoutbox} == {(ADA,)}
