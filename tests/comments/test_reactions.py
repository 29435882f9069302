"""Likes and reports: one per reader, from this site only, and limited per network."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from dateline.comments.models import Comment, CommentReport
from dateline.comments.services import comment_like, comment_unlike

from .conftest import ORIGIN, soup


@pytest.fixture
def liked(article, comment_factory) -> Comment:
    return comment_factory(article=article)


def like(client, comment: Comment, voter: str = "", **headers):
    headers = {"HTTP_ORIGIN": ORIGIN, **headers}
    data = {"voter": voter} if voter else {}
    return client.post(
        f"/comments/{comment.pk}/like/", data, HTTP_ACCEPT="application/json", **headers
    )


def likes(comment: Comment) -> int:
    comment.refresh_from_db()
    return comment.likes_count


def test_a_reader_likes_a_comment_once(client, liked):
    first = like(client, liked, voter="browser-a")
    again = like(client, liked, voter="browser-a")
    other = like(client, liked, voter="browser-b")

    assert [r.json()["likes"] for r in (first, again, other)] == [1, 1, 2]
    assert likes(liked) == 2
    assert liked.likes.count() == 2


def test_without_a_voter_token_the_network_and_browser_count_as_one_reader(client, liked):
    like(client, liked, HTTP_USER_AGENT="Firefox")
    like(client, liked, HTTP_USER_AGENT="Firefox")
    like(client, liked, HTTP_USER_AGENT="Chromium")

    assert likes(liked) == 2


def test_a_token_shaped_like_a_network_key_cannot_take_another_networks_like(client, liked):
    """A no-JS like is keyed by the network and browser; a client elsewhere that sends that
    pair as its "token" is its own network's reader, not theirs."""
    like(client, liked, HTTP_USER_AGENT="Firefox", REMOTE_ADDR="203.0.113.7")
    forged = "203.0.113.0/24|Firefox"
    response = client.post(
        f"/comments/{liked.pk}/like/",
        {"voter": forged, "undo": "1"},
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCEPT="application/json",
        HTTP_USER_AGENT="Firefox",
        REMOTE_ADDR="198.51.100.9",
    )

    assert response.status_code == 200
    assert likes(liked) == 1


def test_like_without_javascript_says_so_and_can_be_taken_back(client, liked, article):
    response = client.post(f"/comments/{liked.pk}/like/", HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = soup(response)
    assert page.h1.get_text() == "You liked this comment"
    assert page.find("a", string="Back to the conversation")["href"] == (
        f"{article.url}#comment-{liked.pk}"
    )
    form = page.select_one("form.comment-like")
    assert form.find("input", attrs={"name": "undo"})["value"] == "1"
    assert likes(liked) == 1

    # The page's own button, as a browser without JavaScript sends it.
    undone = client.post(form["action"], {"undo": "1"}, HTTP_ORIGIN=ORIGIN)

    assert soup(undone).h1.get_text() == "Your like was taken back"
    assert likes(liked) == 0
    again = soup(undone).select_one("form.comment-like")
    assert again.find("input", attrs={"name": "undo"}) is None
    assert again.find("button").get_text() == "Like it again"


@pytest.mark.parametrize(
    ("origin", "expected"), [(ORIGIN, 200), ("https://evil.example", 403), (None, 403)]
)
def test_like_must_come_from_this_site(client, liked, origin, expected):
    headers = {"HTTP_ORIGIN": origin} if origin else {}

    response = client.post(
        f"/comments/{liked.pk}/like/", {"voter": "v"}, HTTP_ACCEPT="application/json", **headers
    )

    assert response.status_code == expected
    assert likes(liked) == (1 if expected == 200 else 0)


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.TRASH])
def test_only_published_comments_can_be_liked(client, article, comment_factory, status):
    hidden = comment_factory(article=article, status=status)

    assert like(client, hidden, voter="v").status_code == 404
    assert likes(hidden) == 0


@time_machine.travel(datetime(2026, 3, 4, 10, 20, tzinfo=UTC), tick=False)
def test_fourth_like_in_an_hour_from_one_network_is_refused(client, liked, settings):
    settings.DATELINE_REACTIONS_PER_HOUR = 3

    allowed = [like(client, liked, voter=f"v{n}", REMOTE_ADDR=f"198.51.100.{n}") for n in range(3)]
    refused = like(client, liked, voter="v3", REMOTE_ADDR="198.51.100.200")
    elsewhere = like(client, liked, voter="v4", REMOTE_ADDR="192.0.2.1")

    assert [r.status_code for r in allowed] == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert elsewhere.status_code == 200
    assert likes(liked) == 4


def test_like_budget_comes_back_the_next_hour(client, liked, settings):
    settings.DATELINE_REACTIONS_PER_HOUR = 1
    with time_machine.travel(datetime(2026, 3, 4, 10, 59, tzinfo=UTC), tick=False):
        assert like(client, liked, voter="a").status_code == 200
        assert like(client, liked, voter="b").status_code == 429
    with time_machine.travel(datetime(2026, 3, 4, 11, 1, tzinfo=UTC), tick=False):
        assert like(client, liked, voter="b").status_code == 200


# --- Unlike ---------------------------------------------------------------------------------------


def unlike(client, comment: Comment, voter: str = "", **headers):
    headers = {"HTTP_ORIGIN": ORIGIN, **headers}
    data = {"undo": "1", **({"voter": voter} if voter else {})}
    return client.post(
        f"/comments/{comment.pk}/like/", data, HTTP_ACCEPT="application/json", **headers
    )


def test_a_reader_takes_back_their_own_like(liked):
    comment_like(comment=liked, voter="reader-a")
    comment_like(comment=liked, voter="reader-b")

    assert comment_unlike(comment=liked, voter="reader-a") == 1
    assert list(liked.likes.values_list("voter", flat=True)) == ["reader-b"]


def test_unlike_by_another_reader_changes_nothing(liked):
    comment_like(comment=liked, voter="reader-a")

    assert comment_unlike(comment=liked, voter="reader-b") == 1
    assert list(liked.likes.values_list("voter", flat=True)) == ["reader-a"]


def test_a_second_unlike_is_harmless_and_the_count_never_goes_below_zero(liked):
    comment_like(comment=liked, voter="reader-a")

    counts = [comment_unlike(comment=liked, voter="reader-a") for _ in range(2)]
    never_liked = comment_unlike(comment=liked, voter="reader-c")

    assert counts == [0, 0]
    assert never_liked == 0
    assert likes(liked) == 0
    assert not liked.likes.exists()


def test_unlike_leaves_a_drifted_count_at_zero(liked):
    comment_like(comment=liked, voter="reader-a")
    Comment.objects.filter(pk=liked.pk).update(likes_count=0)

    assert comment_unlike(comment=liked, voter="reader-a") == 0
    assert not liked.likes.exists()


def test_a_reader_can_like_again_after_unliking(liked):
    comment_like(comment=liked, voter="reader-a")
    comment_unlike(comment=liked, voter="reader-a")

    assert comment_like(comment=liked, voter="reader-a") == 1


def test_unlike_over_http_answers_the_count_and_the_state(client, liked):
    liked_response = like(client, liked, voter="browser-a")
    other = unlike(client, liked, voter="browser-b")
    own = unlike(client, liked, voter="browser-a")

    # "account": False: the browser's like, which its own list remembers (a signed-in
    # reader's is the account's: tests/readers/test_likes.py).
    assert liked_response.json() == {"ok": True, "likes": 1, "liked": True, "account": False}
    assert other.json() == {"ok": True, "likes": 1, "liked": False, "account": False}
    assert own.json() == {"ok": True, "likes": 0, "liked": False, "account": False}
    assert likes(liked) == 0


def test_without_a_voter_token_the_same_browser_takes_its_like_back(client, liked):
    like(client, liked, HTTP_USER_AGENT="Firefox")
    unlike(client, liked, HTTP_USER_AGENT="Chromium")
    assert likes(liked) == 1

    unlike(client, liked, HTTP_USER_AGENT="Firefox")
    assert likes(liked) == 0


def test_unlike_must_come_from_this_site(client, liked):
    like(client, liked, voter="v")

    response = unlike(client, liked, voter="v", HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    assert likes(liked) == 1


@time_machine.travel(datetime(2026, 3, 4, 10, 20, tzinfo=UTC), tick=False)
def test_likes_and_unlikes_share_the_hourly_budget(client, liked, settings):
    settings.DATELINE_REACTIONS_PER_HOUR = 2

    first = like(client, liked, voter="v", REMOTE_ADDR="198.51.100.1")
    undone = unlike(client, liked, voter="v", REMOTE_ADDR="198.51.100.1")
    refused = like(client, liked, voter="v", REMOTE_ADDR="198.51.100.1")

    assert [r.status_code for r in (first, undone, refused)] == [200, 200, 429]
    assert likes(liked) == 0


# --- Reports --------------------------------------------------------------------------------------


def report(client, comment: Comment, reason: str, voter: str = "r1", origin: str = ORIGIN):
    return client.post(
        f"/comments/{comment.pk}/report/",
        {"reason": reason, "note": "Please look.", "voter": voter},
        HTTP_ORIGIN=origin,
    )


def test_report_page_shows_the_reasons(client, liked):
    page = soup(client.get(f"/comments/{liked.pk}/report/"))

    values = [radio["value"] for radio in page.select('input[name="reason"]')]
    assert values == ["spam", "abuse", "off-topic", "other"]


@pytest.mark.parametrize("reason", ["spam", "abuse", "off-topic", "other"])
def test_report_stores_its_reason(client, liked, reason):
    response = report(client, liked, reason)

    assert response.status_code == 200
    assert "A moderator will look at this comment." in response.content.decode()
    stored = CommentReport.objects.get()
    assert (stored.comment, stored.reason, stored.note) == (liked, reason, "Please look.")
    liked.refresh_from_db()
    assert liked.reports_count == 1


@pytest.mark.parametrize("reason", ["", "because", "SPAM"])
def test_report_with_an_invalid_reason_is_a_400(client, liked, reason):
    response = report(client, liked, reason)

    assert response.status_code == 400
    assert "Choose a" in response.content.decode() or "valid choice" in response.content.decode()
    assert not CommentReport.objects.exists()


def test_a_reader_reports_a_comment_once(client, liked):
    report(client, liked, "spam", voter="r1")
    report(client, liked, "abuse", voter="r1")
    report(client, liked, "abuse", voter="r2")

    liked.refresh_from_db()
    assert liked.reports_count == 2
    assert sorted(liked.reports.values_list("reason", flat=True)) == ["abuse", "spam"]


def test_cross_site_report_is_refused(client, liked):
    response = report(client, liked, "spam", origin="https://evil.example")

    assert response.status_code == 403
    assert not CommentReport.objects.exists()


def test_a_report_note_over_the_limit_is_kept_whole_with_its_message_beside_it(client, liked):
    """The page said "Please correct the marked fields." and marked nothing: the note's message
    was not shown (its aria-describedby named an element that was not there), and the
    textarea's maxlength let a browser cut a pasted note at 500 characters without a word."""
    note = ("The same link was posted under three other articles today. " * 12).strip()
    response = client.post(
        f"/comments/{liked.pk}/report/", {"reason": "spam", "note": note}, HTTP_ORIGIN=ORIGIN
    )

    assert response.status_code == 400
    page = soup(response)
    textarea = page.select_one('textarea[name="note"]')
    assert textarea.get_text().strip() == note
    assert textarea.get("maxlength") is None
    assert textarea["aria-invalid"] == "true"
    message = page.select_one(f"#{textarea['aria-describedby']}")
    assert message is not None
    assert message.get_text() == f"Your note is {len(note)} characters long; the limit is 500."
    assert not CommentReport.objects.exists()


def test_report_page_shows_the_start_of_a_long_comment_above_the_form(client, liked):
    """A 10,000-character comment was shown whole above the form: a dozen screens on a phone."""
    long = Comment.objects.get(pk=liked.pk)
    long.body = "The ferry was late again this morning. " * 250 + "Those were my last words."
    long.save(update_fields=["body"])

    page = soup(client.get(f"/comments/{long.pk}/report/"))

    quoted = page.select_one("blockquote.reported-comment").get_text()
    assert "The ferry was late again this morning." in quoted
    assert "Those were my last words." not in quoted
    assert len(quoted) < 1_000
    assert page.select_one(".reported-comment__more a")["href"] == f"/comments/{long.pk}/"
    assert page.select('input[name="reason"]')


def test_report_page_shows_a_short_comment_whole(client, liked):
    page = soup(client.get(f"/comments/{liked.pk}/report/"))

    assert liked.body in page.select_one("blockquote.reported-comment").get_text()
    assert page.select_one(".reported-comment__more") is None
