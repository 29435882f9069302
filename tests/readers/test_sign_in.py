"""Signing in and up by emailed link: one use, a short life, a button on the landing page, the
same answer for every address, limits per address and per network, and no injected headers."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from dateline.readers.models import Reader, ReaderSession, SignInLink
from dateline.readers.tokens import COOKIE, HINT_COOKIE, link_token

from .conftest import ORIGIN, SIGN_IN, ask_for_link, last_link_path

pytestmark = pytest.mark.django_db


def test_sign_up_by_link_creates_the_account_only_when_the_button_is_pressed(client):
    asked = ask_for_link(client, "new.reader@example.org", display_name="Nour Haddad")
    link = last_link_path()

    opened = client.get(link)  # what a mail scanner does

    assert asked.status_code == 200
    assert "Check your inbox" in asked.content.decode()
    assert mail.outbox[0].subject.startswith("Create your")
    assert mail.outbox[0].to == ["new.reader@example.org"]
    assert opened.status_code == 200
    assert "Create my account" in opened.content.decode()
    assert not Reader.objects.exists()
    assert opened["Cache-Control"] == "private, no-store"

    pressed = client.post(link, {}, HTTP_ORIGIN=ORIGIN)

    reader = Reader.objects.select_related("user").get()
    assert pressed.status_code == 303
    assert pressed["Location"] == "/readers/me/"
    assert reader.display_name == "Nour Haddad"
    assert reader.user.email == "new.reader@example.org"
    assert not reader.user.is_staff and not reader.user.is_superuser
    assert not reader.user.has_usable_password()
    assert "new.reader" not in reader.user.username  # never the address
    cookie = pressed.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert pressed.cookies[HINT_COOKIE].value == "1"
    # Only the key's hash is stored.
    assert cookie.value not in str(list(ReaderSession.objects.values_list("key_hash", flat=True)))
    assert SignInLink.objects.get().email == ""  # the used link forgot the address
    page = client.get("/readers/me/")
    assert page.status_code == 200
    assert "Nour Haddad" in page.content.decode()


def test_the_new_accounts_name_field_says_what_an_empty_one_gives(client):
    """The name was an empty box with nothing to say that, left so, the account is
    "Reader 06ed2a" until the reader changes it."""
    ask_for_link(client, "no.name@example.org")
    link = last_link_path()

    opened = client.get(link).content.decode()
    pressed = client.post(link, {"display_name": ""}, HTTP_ORIGIN=ORIGIN)

    assert 'aria-describedby="display-name-help"' in opened
    assert "Left empty, it is “Reader” and a few letters" in opened
    assert pressed.status_code == 303
    assert Reader.objects.get().display_name.startswith("Reader ")


def test_a_known_and_an_unknown_address_get_the_same_answer(client, sign_in):
    sign_in(Client(), "known@example.org", display_name="Known Reader")
    mail.outbox.clear()

    known = ask_for_link(client, "known@example.org")
    unknown = ask_for_link(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    # Each address is mailed: a sign-in link for the account, an invitation for the other.
    assert [m.subject.split()[0] for m in mail.outbox] == ["Sign", "Create"]


def test_a_link_works_once(client):
    ask_for_link(client, "once@example.org")
    link = last_link_path()

    first = client.post(link, {}, HTTP_ORIGIN=ORIGIN)
    again = Client().post(link, {}, HTTP_ORIGIN=ORIGIN)
    opened_again = Client().get(link)

    assert first.status_code == 303
    assert again.status_code == 400
    assert "cannot be used" in again.content.decode()
    assert COOKIE not in again.cookies
    assert opened_again.status_code == 400
    assert ReaderSession.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "1",
        "eyJsIjoxfQ:1vR7Xc:forgedsignatureforgedsignature",
    ],
)
def test_a_forged_link_is_refused(client, token):
    ask_for_link(client, "forged@example.org")

    response = client.post(f"/readers/link/{token}/", {}, HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 400
    assert "cannot be used" in response.content.decode()
    assert not Reader.objects.exists()


def test_a_link_to_another_row_signed_with_another_salt_is_refused(client):
    from django.core import signing

    ask_for_link(client, "salted@example.org")
    link = SignInLink.objects.get()
    token = signing.dumps({"l": link.pk}, salt="dateline.commenters.request")

    response = client.post(f"/readers/link/{token}/", {}, HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 400
    assert link_token(link.pk) != token


def test_an_expired_link_is_refused(client):
    ask_for_link(client, "late@example.org")
    link = last_link_path()

    with time_machine.travel(timezone.now() + timedelta(minutes=21)):
        response = client.post(link, {}, HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 400
    assert not Reader.objects.exists()


def test_an_existing_account_signs_in_and_keeps_its_name(client, sign_in):
    first = sign_in(Client(), "back@example.org", display_name="Back Again")

    again = sign_in(client, "BACK@example.org ", display_name="Someone Else")

    assert again.pk == first.pk
    assert again.display_name == "Back Again"
    assert Reader.objects.count() == 1


def test_sign_in_requests_are_limited_per_address(client, settings):
    settings.DATELINE_READER_SIGNIN_PER_ADDRESS = 2

    answers = [ask_for_link(client, "flood@example.org") for _ in range(3)]
    other = ask_for_link(client, "calm@example.org")

    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[-1]
    assert int(refused["Retry-After"]) > 0
    assert 'value="flood@example.org"' in refused.content.decode()  # the form comes back filled
    assert "Too many sign-in links" in refused.content.decode()
    assert other.status_code == 200
    assert len(mail.outbox) == 3


def test_sign_in_requests_are_limited_per_network(settings):
    settings.DATELINE_READER_SIGNIN_PER_NETWORK = 3
    near = Client(REMOTE_ADDR="198.51.100.7")
    same_network = Client(REMOTE_ADDR="198.51.100.99")
    elsewhere = Client(REMOTE_ADDR="192.0.2.10")

    codes = [ask_for_link(near, f"spray{n}@example.org").status_code for n in range(3)]
    fourth = ask_for_link(same_network, "spray4@example.org")
    other = ask_for_link(elsewhere, "spray5@example.org")

    assert codes == [200, 200, 200]
    assert fourth.status_code == 429
    assert other.status_code == 200


@pytest.mark.parametrize(
    "name",
    ["Ada\r\nBcc: victim@example.net", "Ada\nSubject: hi", "Ada\x00", "Ada\u202eevil"],
)
def test_a_display_name_with_line_breaks_or_control_characters_is_refused(client, name):
    response = ask_for_link(client, "inject@example.org", display_name=name)

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="display-name-error"' in body
    assert 'aria-describedby="display-name-help display-name-error"' in body
    assert 'value="inject@example.org"' in body
    assert not mail.outbox
    assert not SignInLink.objects.exists()


def test_the_mail_names_no_one_in_its_headers(client):
    ask_for_link(client, "plain@example.org", display_name="Header Tester")

    message = mail.outbox[0].message()
    headers = "".join(f"{k}: {v}\n" for k, v in message.items())

    assert message["To"] == "plain@example.org"
    assert "Header Tester" not in headers
    assert message["Auto-Submitted"] == "auto-generated"
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}


def test_an_address_as_display_name_is_refused(client):
    response = ask_for_link(client, "me@example.org", display_name="me@example.org")

    assert response.status_code == 400
    assert not mail.outbox


def test_after_signing_in_the_reader_goes_back_to_the_page_they_came_from(client, article):
    ask_for_link(client, "next@example.org", next=article.url + "#respond")

    response = client.post(last_link_path(), {}, HTTP_ORIGIN=ORIGIN)

    assert response["Location"] == article.url + "#respond"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_a_next_address_off_the_site_is_ignored(client, target):
    ask_for_link(client, "careful@example.org", next=target)

    response = client.post(last_link_path(), {}, HTTP_ORIGIN=ORIGIN)

    assert response["Location"] == "/readers/me/"


def test_signing_out_ends_this_browsers_session(reader_client):
    client, reader = reader_client

    response = client.post("/readers/sign-out/", HTTP_ORIGIN=ORIGIN)
    state = client.get("/readers/state/").json()

    assert response.status_code == 200
    assert not ReaderSession.objects.filter(reader=reader).exists()
    assert client.cookies[COOKIE].value == ""
    assert state["signed_in"] is False


def test_a_sign_in_form_with_a_bad_address_comes_back_with_the_error(client):
    response = client.post(SIGN_IN, {"email": "not an address"}, HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 400
    assert 'id="email-error"' in response.content.decode()
    assert 'value="not an address"' in response.content.decode()


def test_a_second_browser_session_survives_signing_out_in_the_first(sign_in):
    first, second = Client(), Client()
    sign_in(first, "two@example.org")
    sign_in(second, "two@example.org")

    first.post("/readers/sign-out/", HTTP_ORIGIN=ORIGIN)

    assert second.get("/readers/state/").json()["signed_in"] is True


def test_signing_out_everywhere_ends_every_browsers_session(sign_in):
    phone, laptop, someone_else = Client(), Client(), Client()
    sign_in(phone, "lost.phone@example.org")
    sign_in(laptop, "lost.phone@example.org")
    sign_in(someone_else, "other.reader@example.org")

    response = laptop.post("/readers/sign-out/", {"everywhere": "1"}, HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 200
    assert "No browser is signed in" in response.content.decode()
    assert phone.get("/readers/state/").json()["signed_in"] is False
    assert laptop.get("/readers/state/").json()["signed_in"] is False
    assert someone_else.get("/readers/state/").json()["signed_in"] is True


def test_the_readers_page_offers_to_sign_out_everywhere(reader_client):
    client, _reader = reader_client

    page = client.get("/readers/me/").content.decode()

    assert 'id="sign-out-everywhere"' in page
    assert 'name="everywhere" value="1"' in page


def test_a_used_link_opened_again_in_the_browser_it_signed_in_says_so(client):
    ask_for_link(client, "again@example.org", display_name="Twice Tapped")
    link = last_link_path()
    assert client.post(link, {}, HTTP_ORIGIN=ORIGIN).status_code == 303

    tapped_again = client.get(link).content.decode()
    pressed_again = client.post(link, {}, HTTP_ORIGIN=ORIGIN).content.decode()
    elsewhere = Client().get(link).content.decode()

    for page in (tapped_again, pressed_again):
        assert "You are signed in" in page
        assert "Twice Tapped" in page
        assert 'id="link-continue"' in page
        assert "Ask for a new link" not in page
    assert "cannot be used" in elsewhere
    assert ReaderSession.objects.count() == 1
