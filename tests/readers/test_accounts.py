"""A signed-in reader: commenting without name or email, the "signed-in readers only" setting,
trust earned by approved comments, the reader's own page, export and deletion, and no way into
the newsroom."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from dateline.comments.models import Comment
from dateline.comments.services import comment_moderate
from dateline.moderation.models import ArticlePolicy, SectionPolicy
from dateline.readers.models import Reader, ReaderSession
from dateline.readers.tokens import COOKIE
from tests.commenters.test_rights import _everywhere

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db


def test_a_signed_in_reader_comments_without_name_or_email(reader_client, post_comment):
    client, reader = reader_client

    response = post_comment(
        client=client, comment="The wall plan is late again.", author="", email=""
    )

    comment = Comment.objects.get()
    assert response.status_code == 303
    assert comment.user_id == reader.user_id
    assert comment.author_name == "Ada Lovelock"
    assert comment.author_email == "ada.reader@example.org"  # kept for the rights flow only
    assert comment.email_key == f"user:{reader.user_id}"


def test_what_a_signed_in_reader_types_as_name_and_email_is_ignored(reader_client, post_comment):
    client, _reader = reader_client

    post_comment(client=client, author="Someone Else", email="else@example.org")

    comment = Comment.objects.get()
    assert (comment.author_name, comment.author_email) == ("Ada Lovelock", "ada.reader@example.org")


def test_a_post_from_another_site_with_the_reader_cookie_is_refused(reader_client, post_comment):
    client, _reader = reader_client

    response = post_comment(client=client, origin="https://evil.example")

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_signed_in_only_on_the_site(reader_client, post_comment, site_settings):
    client, reader = reader_client
    site_settings(signed_in_only=True)

    anonymous = post_comment(comment="Let me in.")
    signed_in = post_comment(client=client, comment="I am signed in.", author="", email="")

    assert anonymous.status_code == 403
    assert signed_in.status_code == 303
    assert list(Comment.objects.values_list("user_id", flat=True)) == [reader.user_id]


@pytest.mark.parametrize("level", ["section", "article"])
def test_signed_in_only_for_a_section_or_an_article(
    reader_client, post_comment, article, other_article, section, level
):
    client, _reader = reader_client
    if level == "section":
        SectionPolicy.objects.create(section=section, signed_in_only="yes")
    else:
        ArticlePolicy.objects.create(article=article, signed_in_only="yes")

    anonymous = post_comment(comment="Anonymous here.")
    signed_in = post_comment(client=client, comment="Signed in here.", author="", email="")
    page = Client().get(article.url).content.decode()

    assert anonymous.status_code == 403
    assert signed_in.status_code == 303
    assert "Only signed-in readers can comment" in page
    assert f'href="/readers/respond/{article.pk}/"' in page
    if level == "article":  # the other article in the section keeps the site's rule
        assert post_comment(article=other_article, comment="Elsewhere.").status_code == 303


def test_a_reader_whose_comment_was_approved_is_trusted_next_time(
    reader_client, post_comment, site_settings
):
    client, _reader = reader_client
    site_settings(hold_first_comment=True)

    post_comment(client=client, comment="My first remark on the wall.", author="", email="")
    first = Comment.objects.get()
    comment_moderate(comment=first, action="approve")
    post_comment(client=client, comment="And a second one, later.", author="", email="")
    second = Comment.objects.exclude(pk=first.pk).get()

    assert [r["code"] for r in first.moderation_reasons] == ["first_comment"]
    assert second.status == Comment.Status.APPROVED
    assert "known_commenter" in [r["code"] for r in second.moderation_reasons]


def test_held_comments_show_on_the_readers_page_for_them_only(
    reader_client, post_comment, site_settings, article
):
    client, _reader = reader_client
    site_settings(hold_first_comment=True)
    post_comment(client=client, comment="Held until a moderator looks.", author="", email="")

    own = client.get("/readers/me/").content.decode()
    public = Client().get(article.url).content.decode()

    assert "Held until a moderator looks." in own
    assert "Awaiting moderation" in own
    assert "Held until a moderator looks." not in public


def test_the_readers_page_costs_the_same_queries_for_3_and_for_30_comments(
    reader_client, comment_factory, article, django_assert_num_queries
):
    client, reader = reader_client

    def add(n: int) -> None:
        for _ in range(n):
            comment_factory(
                article=article,
                user=reader.user,
                author_email=reader.user.email,
                email_key=f"user:{reader.user_id}",
            )

    add(3)
    client.get("/readers/me/")  # the site's root and such, remembered
    # The session with its reader, the count, the rows, and Wagtail's user bar asking for the
    # user's permissions (twice: the user's own and its groups'; a reader has none).
    with django_assert_num_queries(5) as few:
        client.get("/readers/me/")
    add(27)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/readers/me/")
    assert page.content.decode().count('class="reader-comment ') == 20  # one page of them


def test_the_profile_is_saved_and_bad_input_comes_back_by_its_field(reader_client):
    client, reader = reader_client

    saved = client.post(
        "/readers/me/",
        {
            "display_name": "Ada L.",
            "website": "ada.example.org",
            "bio": "Harbour watcher.\nSailor.",
        },
        HTTP_ORIGIN=ORIGIN,
    )
    refused = client.post(
        "/readers/me/",
        {
            "display_name": "Ada\r\nBcc: x@example.net",
            "website": "javascript:alert(1)",
            "bio": "Kept text",
        },
        HTTP_ORIGIN=ORIGIN,
    )

    reader.refresh_from_db()
    assert saved.status_code == 303
    assert (reader.display_name, reader.website, reader.notify_replies) == (
        "Ada L.",
        "https://ada.example.org",
        False,
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'id="display-name-error"' in body and 'id="website-error"' in body
    assert "Kept text" in body


def test_export_holds_the_account_and_its_comments(reader_client, post_comment):
    client, _reader = reader_client
    post_comment(client=client, comment="Exported remark.", author="", email="")

    response = client.post("/readers/me/export/", HTTP_ORIGIN=ORIGIN)

    data = json.loads(response.content)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert data["account"]["display_name"] == "Ada Lovelock"
    assert data["account"]["email"] == "ada.reader@example.org"
    assert [c["text"] if "text" in c else c.get("body") for c in data["comments"]] == [
        "Exported remark."
    ]


def test_deleting_the_account_leaves_the_address_nowhere(reader_client, post_comment):
    client, _reader = reader_client
    post_comment(client=client, comment="Soon to be anonymous.", author="", email="")

    unconfirmed = client.post("/readers/me/delete/", {}, HTTP_ORIGIN=ORIGIN)
    deleted = client.post("/readers/me/delete/", {"confirm": "yes"}, HTTP_ORIGIN=ORIGIN)

    assert unconfirmed.status_code == 400
    assert deleted.status_code == 200
    assert client.cookies[COOKIE].value == ""
    assert not Reader.objects.exists() and not ReaderSession.objects.exists()
    comment = Comment.objects.get()
    assert comment.user_id is None and comment.author_email == ""
    assert _everywhere(["ada.reader@example.org"]) == []


def test_readers_never_reach_the_newsroom(reader_client):
    client, reader = reader_client

    by_cookie = client.get("/admin/")
    logged_in = Client()
    logged_in.force_login(reader.user)  # even with a Django session, somehow
    by_session = logged_in.get("/admin/")

    assert by_cookie.status_code == 302 and "/admin/login/" in by_cookie["Location"]
    assert by_session.status_code in (302, 403)
    assert by_session.status_code == 403 or "/admin/login/" in by_session["Location"]
    assert not reader.user.user_permissions.exists() and not reader.user.groups.exists()


def test_the_sign_in_form_of_the_newsroom_refuses_a_reader(reader_client):
    _client, reader = reader_client

    response = Client().post(
        "/admin/login/", {"username": reader.user.username, "password": ""}, HTTP_ORIGIN=ORIGIN
    )

    assert response.status_code == 200  # the form again, not a redirect into the admin


def test_the_no_script_form_for_a_signed_in_only_article(reader_client, article, site_settings):
    client, _reader = reader_client
    site_settings(signed_in_only=True)

    own = client.get(f"/readers/respond/{article.pk}/")
    anonymous = Client().get(f"/readers/respond/{article.pk}/")

    assert own.status_code == 200
    assert "Commenting as <strong>Ada Lovelock</strong>" in own.content.decode()
    assert own["Cache-Control"] == "private, no-store"
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/readers/sign-in/?next=")


def test_newsletter_preferences_are_linked_only_when_the_newsletters_exist(reader_client):
    from django.urls import NoReverseMatch, reverse

    client, _reader = reader_client
    page = client.get("/readers/me/").content.decode()
    try:
        url = reverse("newsletters:manage")
    except NoReverseMatch:
        assert 'id="newsletter-preferences"' not in page
    else:
        assert f'href="{url}" id="newsletter-preferences"' in page


def test_a_signed_in_readers_newsletters_start_at_once_without_a_confirmation_mail(
    reader_client, django_capture_on_commit_callbacks
):
    from datetime import time

    from django.core import mail

    from dateline.newsletters.models import Newsletter, Subscription

    client, _reader = reader_client
    daily = Newsletter.objects.create(
        name="Morning briefing", slug="morning", send_time=time(7, 0), time_zone="UTC"
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletters/manage/", {"newsletters": [daily.pk]}, HTTP_ORIGIN=ORIGIN
        )

    assert response.status_code == 200
    assert "Started: Morning briefing" in response.content.decode()
    assert "ada.reader@example.org" not in response.content.decode()
    subscription = Subscription.objects.get(newsletter=daily)
    assert subscription.status == Subscription.Status.CONFIRMED
    assert subscription.subscriber.email == "ada.reader@example.org"
    assert not mail.outbox  # the sign-in link proved the address

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletters/manage/", {}, HTTP_ORIGIN=ORIGIN)
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED


def test_a_signed_in_reader_gets_reply_notifications_without_a_second_confirmation(
    reader_client, post_comment, django_capture_on_commit_callbacks
):
    from django.core import mail

    from dateline.comments.models import Subscriber

    client, _reader = reader_client
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client=client, comment="Tell me when they answer.", subscribe="yes")

    subscriber = Subscriber.objects.get(email_key="ada.reader@example.org")
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.subscriptions.count() == 1
    assert not mail.outbox  # no "please confirm" mail: the sign-in link proved the address


def test_an_address_that_unsubscribed_stays_unsubscribed_after_signing_in(sign_in):
    from dateline.comments.models import Subscriber

    Subscriber.objects.create(
        email_key="gone@example.org",
        email="gone@example.org",
        status=Subscriber.Status.UNSUBSCRIBED,
    )

    sign_in(Client(), "gone@example.org")

    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def _stop_replies_from_the_mail(client: Client, email_key: str) -> None:
    """The one-click "stop them" of a reply notification, as a mail client POSTs it."""
    from dateline.comments.mailing import UNSUBSCRIBE_SALT, subscriber_token
    from dateline.comments.models import Subscriber

    subscriber = Subscriber.objects.get(email_key=email_key)
    token = subscriber_token(subscriber, purpose=UNSUBSCRIBE_SALT)
    response = client.post(f"/comments/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200


def _replies_asked_then_stopped_from_the_mail(
    reader_client, post_comment, django_capture_on_commit_callbacks
) -> Client:
    """The signed-in reader comments asking for replies, then stops them from a reply mail (in
    another browser); their own browser's client."""
    client, reader = reader_client
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client=client, comment="Tell me when they answer.", subscribe="yes")
    _stop_replies_from_the_mail(Client(), reader.email_key)
    return client


def test_stopping_replies_from_a_mail_unticks_them_on_the_readers_page(
    reader_client, post_comment, django_capture_on_commit_callbacks
):
    client = _replies_asked_then_stopped_from_the_mail(
        reader_client, post_comment, django_capture_on_commit_callbacks
    )
    page = client.get("/readers/me/").content.decode()
    state = client.get("/readers/state/").json()

    assert 'id="id_notify_replies" value="on" checked' not in page
    assert 'id="id_notify_replies" value="on">' in page
    assert state["notify_replies"] is False


def test_ticking_replies_again_on_the_readers_page_starts_them_without_a_confirmation_mail(
    reader_client, post_comment, django_capture_on_commit_callbacks
):
    from django.core import mail

    from dateline.comments.models import Subscriber

    client = _replies_asked_then_stopped_from_the_mail(
        reader_client, post_comment, django_capture_on_commit_callbacks
    )
    reader = reader_client[1]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/readers/me/",
            {"display_name": "Ada Lovelock", "notify_replies": "on"},
            HTTP_ORIGIN=ORIGIN,
        )

    assert response.status_code == 303
    assert Subscriber.objects.get(email_key=reader.email_key).status == (
        Subscriber.Status.CONFIRMED
    )
    assert not mail.outbox


def test_a_new_display_name_shows_on_the_readers_earlier_comments(
    reader_client, post_comment, comment_factory, article, django_capture_on_commit_callbacks
):
    client, _reader = reader_client
    post_comment(client=client, comment="Written under my real name.", author="", email="")
    mine = Comment.objects.get()
    Comment.objects.filter(pk=mine.pk).update(status=Comment.Status.APPROVED)
    namesake = comment_factory(article=article, author_name="Ada Lovelock", body="Not hers.")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/readers/me/", {"display_name": "Harbour Owl"}, HTTP_ORIGIN=ORIGIN)
    public = Client().get(article.url).content.decode()

    assert response.status_code == 303
    mine.refresh_from_db()
    namesake.refresh_from_db()
    assert mine.author_name == "Harbour Owl"
    assert namesake.author_name == "Ada Lovelock"  # someone else's comment, not the account's
    # Each name as often as one comment shows it: the namesake's, never the reader's old one.
    assert public.count("Harbour Owl") == public.count("Ada Lovelock") > 0
