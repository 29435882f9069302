"""Subscribing: the form on pages, double opt-in, the manage page, unsubscribing (RFC 8058)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from dateline.newsletters.models import Newsletter, Subscriber, Subscription
from dateline.newsletters.tokens import manage_token
from tests.comments.conftest import field_error, soup
from tests.factories import SectionPageFactory

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
pytestmark = pytest.mark.django_db


def link(message: mail.EmailMessage, name: str) -> str:
    """The path of the first link to /newsletters/<name>/ in the mail's text."""
    found = re.search(rf"https://news\.example(/newsletters/{name}/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def subscribe(client: Client, newsletter: Newsletter, email: str = "amal@mail.example", **extra):
    return client.post(
        "/newsletters/subscribe/",
        {"email": email, "newsletters": [newsletter.pk], "website": ""},
        **{**ORIGIN, **extra},
    )


def status_of(email: str, newsletter: Newsletter) -> str:
    return Subscription.objects.get(subscriber__email_key=email, newsletter=newsletter).status


def test_article_page_offers_the_section_newsletter_without_personal_data(
    client, article, newsletter
):
    page = soup(client.get(article.url))
    form = page.select_one(".newsletter-signup form")

    assert form is not None and form["action"] == "/newsletters/subscribe/"
    assert form.select_one(f'input[name="newsletters"][value="{newsletter.pk}"]')
    assert not form.select('input[name="csrfmiddlewaretoken"]')
    assert not form.select_one('input[name="email"]').get("value")


def test_a_newsletter_of_another_section_is_not_offered_on_this_article(
    client, article, newsletter, home
):
    other = Newsletter.objects.create(name="Sport tonight", slug="sport-tonight")
    other.sections.add(SectionPageFactory(parent=home, title="Sport"))

    html = client.get(article.url).content.decode()

    assert "International daily" in html
    assert "Sport tonight" not in html


def test_double_opt_in_confirms_only_on_the_button(
    client, newsletter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, newsletter)

    assert response.status_code == 303
    assert response["Location"] == "/newsletters/check-your-inbox/"
    assert status_of("amal@mail.example", newsletter) == "pending"
    (message,) = mail.outbox
    assert message.to == ["amal@mail.example"]
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    confirm = link(message, "confirm")

    landing = client.get(confirm)  # what a mail scanner does: nothing starts
    assert landing.status_code == 200
    assert "International daily" in landing.content.decode()
    assert status_of("amal@mail.example", newsletter) == "pending"

    done = client.post(confirm, {"n": [newsletter.pk]})
    assert done.status_code == 200
    assert status_of("amal@mail.example", newsletter) == "confirmed"
    assert Subscriber.objects.get().confirmed_at is not None

    again = client.post(confirm, {"n": [newsletter.pk]})  # the link used twice
    assert again.status_code == 200
    assert "Nothing left to confirm" in again.content.decode()


def test_known_and_unknown_addresses_get_the_same_answer(
    client, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    subscribe_confirmed(1)  # reader0@mail.example is subscribed already
    with django_capture_on_commit_callbacks(execute=True):
        known = subscribe(client, newsletter, "reader0@mail.example")
        unknown = subscribe(client, newsletter, "new@mail.example")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known.content == unknown.content
    by_address = {m.to[0]: m for m in mail.outbox}
    # The subscriber learns it in their own mailbox, nobody else does.
    assert "already" in by_address["reader0@mail.example"].subject
    assert "Confirm" in by_address["new@mail.example"].subject


def test_confirmation_mail_is_not_sent_again_within_the_interval(
    client, newsletter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, newsletter)
        subscribe(client, newsletter)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Please enter your email address."),
        ("not-an-address", "like name@example.com"),
        ("a@b.example\r\nBcc: victim@mail.example", "like name@example.com"),
    ],
)
def test_a_bad_address_comes_back_with_the_form_filled_and_the_error_by_the_field(
    client, newsletter, email, message
):
    response = subscribe(client, newsletter, email)

    assert response.status_code == 400
    assert message in field_error(response, "id_email")
    page = soup(response)
    assert page.select_one(f'input[name="newsletters"][value="{newsletter.pk}"]').has_attr(
        "checked"
    )
    assert not Subscriber.objects.exists()
    assert (
        response["Cache-Control"] == "private, no-store" or "no-store" in response["Cache-Control"]
    )


def test_no_newsletter_chosen_is_a_400_by_that_field(client, newsletter):
    response = client.post("/newsletters/subscribe/", {"email": "amal@mail.example"}, **ORIGIN)

    assert response.status_code == 400
    assert "choose at least one" in soup(response).select_one("#newsletters-error").text
    assert soup(response).select_one('input[name="email"]')["value"] == "amal@mail.example"


def test_a_post_from_another_site_is_refused(client, newsletter):
    response = subscribe(client, newsletter, HTTP_ORIGIN="https://elsewhere.example")

    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_a_bot_filling_the_hidden_field_gets_the_usual_answer_and_nothing_is_stored(
    client, newsletter
):
    response = client.post(
        "/newsletters/subscribe/",
        {"email": "bot@mail.example", "newsletters": [newsletter.pk], "website": "http://spam"},
        **ORIGIN,
    )
    assert response.status_code == 303
    assert not Subscriber.objects.exists()


def test_too_many_requests_from_one_network_get_a_429(client, newsletter, settings):
    settings.DATELINE_NEWSLETTER_REQUESTS_PER_HOUR = 2
    codes = [subscribe(client, newsletter, f"r{n}@mail.example").status_code for n in range(3)]

    assert codes == [303, 303, 429]


@pytest.mark.parametrize("token", ["garbage", "eyJzIjoxfQ:1abc:def"])
def test_a_forged_confirmation_link_is_a_clear_400(client, token):
    response = client.get(f"/newsletters/confirm/{token}/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_an_expired_confirmation_link_is_a_400(
    client, newsletter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, newsletter)
    confirm = link(mail.outbox[0], "confirm")

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = client.post(confirm, {"n": [newsletter.pk]})

    assert response.status_code == 400
    assert status_of("amal@mail.example", newsletter) == "pending"


def test_one_click_unsubscribe_needs_no_login_and_no_csrf_token(newsletter, subscribe_confirmed):
    (subscriber,) = subscribe_confirmed(1)
    from dateline.newsletters.mail import unsubscribe_url

    url = unsubscribe_url(
        subscriber_id=subscriber.pk, email_key=subscriber.email_key, newsletter_id=newsletter.pk
    ).removeprefix("https://news.example")
    client = Client(enforce_csrf_checks=True)

    assert client.get(url).status_code == 200  # a link checker: nothing changes
    assert status_of("reader0@mail.example", newsletter) == "confirmed"

    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert status_of("reader0@mail.example", newsletter) == "unsubscribed"


def test_the_unsubscribe_link_opened_again_says_nothing_is_left_to_stop(
    client, newsletter, subscribe_confirmed
):
    """Opened again after unsubscribing, the page still said "Press the button to stop
    International daily." and offered the button, as if the first press had not worked."""
    (subscriber,) = subscribe_confirmed(1)
    from dateline.newsletters.mail import unsubscribe_url

    url = unsubscribe_url(
        subscriber_id=subscriber.pk, email_key=subscriber.email_key, newsletter_id=newsletter.pk
    ).removeprefix("https://news.example")
    before = client.get(url).content.decode()
    assert "Press the button to stop International daily." in before
    client.post(url, {}, HTTP_ORIGIN="https://news.example")
    assert status_of("reader0@mail.example", newsletter) == "unsubscribed"

    again = client.get(url)

    assert again.status_code == 200
    text = again.content.decode()
    assert "This address gets no newsletter from us any more." in text
    assert "Press the button" not in text
    assert "<button" not in text.split('<main id="main"')[1].split("</main>")[0]


def test_manage_link_changes_newsletters_and_a_confirmed_address_starts_at_once(
    client, newsletter, subscribe_confirmed
):
    (subscriber,) = subscribe_confirmed(1)
    subscriber.confirmed_at = timezone.now()
    subscriber.save()
    weekly = Newsletter.objects.create(name="Weekend reads", slug="weekend", schedule="weekly")
    url = f"/newsletters/manage/{manage_token(subscriber)}/"

    page = client.get(url)
    assert page.status_code == 200
    assert "reader0@mail.example" not in page.content.decode()  # masked: r•••@mail.example
    assert "no-store" in page["Cache-Control"]

    client.post(url, {"newsletters": [weekly.pk]})

    assert status_of("reader0@mail.example", newsletter) == "unsubscribed"
    assert status_of("reader0@mail.example", weekly) == "confirmed"


def test_manage_page_for_a_newsroom_user_uses_their_address_and_still_confirms(
    client, newsletter, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user(
        username="reader", email="signed@mail.example", password="x-not-real"
    )
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/newsletters/manage/", {"newsletters": [newsletter.pk]})

    assert response.status_code == 200
    # A newsroom account's address was typed by whoever made it: double opt-in still. (A reader's
    # account proved its own: tests/readers/test_accounts.py.)
    assert status_of("signed@mail.example", newsletter) == "pending"
    assert mail.outbox[0].to == ["signed@mail.example"]


def test_manage_link_request_answers_the_same_for_any_address(
    client, newsletter, subscribe_confirmed, django_capture_on_commit_callbacks
):
    subscribe_confirmed(1)
    client.get("/newsletters/manage/")  # the CSRF cookie, as a browser would have it
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/newsletters/manage/", {"email": "reader0@mail.example"}, **ORIGIN)
        unknown = client.post("/newsletters/manage/", {"email": "nobody@mail.example"}, **ORIGIN)

    assert known.status_code == unknown.status_code == 303
    assert [m.to for m in mail.outbox] == [["reader0@mail.example"]]


def test_forget_my_address_removes_the_subscriber_and_the_link_stops_working(
    client, newsletter, subscribe_confirmed
):
    (subscriber,) = subscribe_confirmed(1)
    url = f"/newsletters/manage/{manage_token(subscriber)}/"
    assert "Forget my address" in client.get(url).content.decode()

    response = client.post(url, {"forget": "1"})

    assert response.status_code == 200
    assert "forgotten" in response.content.decode()
    assert not Subscriber.objects.filter(email_key="reader0@mail.example").exists()
    assert not Subscription.objects.exists()
    assert client.get(url).status_code == 400
