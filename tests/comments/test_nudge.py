"""The nudge (issue #4 §3, docs/moderation.md "Nudge"): a comment the abusive-language model
flags comes back unsaved, with the reader's text and a note next to it; sending the same text
again posts it (and the rules may still hold it), a revised text is looked at afresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dateline.comments.forms import NUDGE_MESSAGE
from dateline.comments.models import Comment, CommentSettings
from dateline.moderation.classifier import TextScorer, clear_scorer_cache

from .conftest import (
    ORIGIN,
    POST_URL,
    error_summary,
    field_error,
    form_data,
    input_value,
    soup,
    textarea_text,
)
from .test_queries import post_measured

# Scores under the abuse_model fixture (tests/conftest.py; low threshold ≈ 0.54, high ≈ 0.89).
RUDE = "You clueless idiot, the sea wall was never going to hold."  # ≈ 0.77: nudge only
ABUSIVE = "You absolute moron, nobody cares about your stupid sea wall."  # ≈ 1.0: nudge and hold
CIVIL = "I disagree with the council: the wall is too low."  # ≈ 0.03
REVISED = "I think the sea wall was never going to hold."


@pytest.fixture
def no_model(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.DATELINE_MODEL_DIR = tmp_path / "no-models"
    clear_scorer_cache()
    yield
    clear_scorer_cache()


@pytest.fixture
def abuse_scorings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the abuse model scores from now on."""
    scored: list[str] = []
    original = TextScorer.score

    def spy(self: TextScorer, texts: Any) -> list[float]:
        if self.kind == "abuse":
            scored.extend(texts)
        return original(self, texts)

    monkeypatch.setattr(TextScorer, "score", spy)
    return scored


def nudge_note(response: Any) -> str:
    """The note the comment box points at with aria-describedby."""
    page = soup(response)
    ids = (page.find(id="comment").get("aria-describedby") or "").split()
    return " ".join(page.find(id=i).get_text(" ", strip=True) for i in ids if page.find(id=i))


def test_comment_that_may_break_the_guidelines_comes_back_unsaved_with_the_nudge(
    abuse_model: Path, post_comment: Any
) -> None:
    response = post_comment(
        comment=RUDE, author="Rob Rude", email="rob@example.org", url="https://rob.example.org"
    )

    assert response.status_code == 400
    assert Comment.objects.count() == 0
    assert textarea_text(response) == RUDE
    assert input_value(response, "author") == "Rob Rude"
    assert input_value(response, "email") == "rob@example.org"
    assert input_value(response, "url") == "https://rob.example.org"
    assert nudge_note(response) == NUDGE_MESSAGE
    assert (
        "This comment may break our community guidelines. You can revise it, or post it as it is."
        in NUDGE_MESSAGE
    )
    # Advice, not an error: the field is not marked invalid and there is no error list.
    assert soup(response).find(id="comment").get("aria-invalid") is None
    assert field_error(response, "comment") == NUDGE_MESSAGE  # shown where errors are
    assert "Your comment has not been posted yet." in error_summary(response)
    assert soup(response).find(attrs={"role": "alert"}).find("a")["href"] == "#comment"
    assert soup(response).find("input", attrs={"name": "comment_nudged"})["value"]
    assert response["Cache-Control"] == "private, no-store"


def test_sending_the_nudged_text_again_posts_it_through_the_rules(
    abuse_model: Path, post_comment: Any
) -> None:
    nudged = post_comment(comment=ABUSIVE)
    assert nudged.status_code == 400
    acknowledgement = soup(nudged).find("input", attrs={"name": "comment_nudged"})["value"]
    stamp = soup(nudged).find("input", attrs={"name": "comment_stamp"})["value"]

    posted = post_comment(comment=ABUSIVE, comment_nudged=acknowledgement, comment_stamp=stamp)

    assert posted.status_code == 303
    comment = Comment.objects.get()
    assert comment.body == ABUSIVE
    assert comment.status == Comment.Status.PENDING
    codes = [r["code"] for r in comment.moderation_reasons]
    assert "abusive_language" in codes
    assert "too_fast" not in codes  # the form kept the time it was first shown


def test_the_same_text_spaced_or_cased_differently_counts_as_acknowledged(
    abuse_model: Path, post_comment: Any
) -> None:
    nudged = post_comment(comment=RUDE)
    acknowledgement = soup(nudged).find("input", attrs={"name": "comment_nudged"})["value"]

    posted = post_comment(comment=f"  {RUDE.upper()}\r\n", comment_nudged=acknowledgement)

    assert posted.status_code == 303
    assert Comment.objects.count() == 1


def test_revised_text_that_no_longer_trips_the_nudge_just_posts(
    abuse_model: Path, post_comment: Any
) -> None:
    nudged = post_comment(comment=RUDE)
    acknowledgement = soup(nudged).find("input", attrs={"name": "comment_nudged"})["value"]

    posted = post_comment(comment=REVISED, comment_nudged=acknowledgement)

    assert posted.status_code == 303
    assert Comment.objects.get().body == REVISED


def test_revised_text_that_still_trips_the_nudge_is_looked_at_again(
    abuse_model: Path, post_comment: Any
) -> None:
    nudged = post_comment(comment=RUDE)
    acknowledgement = soup(nudged).find("input", attrs={"name": "comment_nudged"})["value"]

    again = post_comment(comment=ABUSIVE, comment_nudged=acknowledgement)

    assert again.status_code == 400
    assert nudge_note(again) == NUDGE_MESSAGE
    assert Comment.objects.count() == 0


def test_an_acknowledgement_made_up_by_the_sender_does_not_count(
    abuse_model: Path, post_comment: Any
) -> None:
    response = post_comment(comment=RUDE, comment_nudged="yes")
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_civil_comment_posts_directly_and_is_scored_once(
    abuse_model: Path, post_comment: Any, abuse_scorings: list[str]
) -> None:
    response = post_comment(comment=CIVIL)

    assert response.status_code == 303
    assert Comment.objects.get().body == CIVIL
    # The nudge's question and the AbusiveLanguage rule share one scoring of the text.
    assert abuse_scorings == [CIVIL]


def test_no_nudge_when_the_site_turned_it_off(
    abuse_model: Path, post_comment: Any, site_settings: Any
) -> None:
    site_settings(nudge_commenters=False)

    response = post_comment(comment=ABUSIVE)

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert "abusive_language" in [r["code"] for r in comment.moderation_reasons]


def test_no_nudge_without_a_trained_model(no_model: None, post_comment: Any) -> None:
    response = post_comment(comment=ABUSIVE)

    assert response.status_code == 303
    assert Comment.objects.get().body == ABUSIVE


def test_the_nudge_is_on_by_default(db: None) -> None:
    assert CommentSettings().nudge_commenters is True


def test_staff_are_not_nudged(abuse_model: Path, client: Client, staff_user: Any, article) -> None:
    client.force_login(staff_user)

    response = client.post(POST_URL, form_data(article, comment=ABUSIVE), HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_a_robot_caught_by_the_honeypot_gets_no_nudge(abuse_model: Path, post_comment: Any) -> None:
    response = post_comment(comment=ABUSIVE, fax="http://spam.example")

    assert response.status_code == 303  # as for any accepted comment: it learns nothing
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_script_gets_the_nudge_as_json_and_posts_with_the_acknowledgement(
    abuse_model: Path, post_comment: Any
) -> None:
    nudged = post_comment(comment=RUDE, json=True)

    assert nudged.status_code == 400
    data = nudged.json()
    assert data["ok"] is False
    assert data["errors"] == {}
    assert data["message"].startswith("Your comment has not been posted yet.")
    assert data["nudge"]["field"] == "comment"
    assert data["nudge"]["message"] == NUDGE_MESSAGE
    assert data["nudge"]["name"] == "comment_nudged"
    assert data["stamp"]
    assert Comment.objects.count() == 0

    posted = post_comment(
        comment=RUDE, json=True, comment_nudged=data["nudge"]["value"], comment_stamp=data["stamp"]
    )

    assert posted.status_code == 201
    assert Comment.objects.get().body == RUDE


def _api_post(client: Client, article: Any, **fields: Any) -> Any:
    return client.post(
        f"/api/v1/articles/{article.pk}/comments/",
        {"author": "Rob Rude", "email": "rob@example.org", **fields},
        content_type="application/json",
        HTTP_ORIGIN="http://testserver",
    )


def test_the_api_nudges_only_clients_that_ask(abuse_model: Path, client: Client, article) -> None:
    # Existing clients have no acknowledgement to send back: they are not asked twice.
    plain = _api_post(client, article, comment=ABUSIVE)

    assert plain.status_code == 201, plain.content
    assert "abusive_language" in [r["code"] for r in Comment.objects.get().moderation_reasons]


def test_an_api_client_that_asks_is_nudged_then_posts_as_it_is(
    abuse_model: Path, client: Client, article
) -> None:
    asked = _api_post(client, article, comment=RUDE, nudge=True)
    civil = _api_post(client, article, comment=CIVIL, nudge=True, email="civil@example.org")
    again = _api_post(client, article, comment=RUDE)

    assert asked.status_code == 400
    assert asked.json()["nudge"] == NUDGE_MESSAGE
    assert civil.status_code == 201
    assert again.status_code == 201
    assert sorted(Comment.objects.values_list("body", flat=True)) == sorted([CIVIL, RUDE])


def test_the_nudge_adds_no_query_to_a_post(
    abuse_model: Path,
    post_comment: Any,
    article,
    django_assert_num_queries: Any,
    settings: Any,
    abuse_scorings: list[str],
) -> None:
    # As tests/comments/test_queries.py measures a post, with the nudge on and a model.
    post_measured(article, post_comment, django_assert_num_queries, settings)
    assert abuse_scorings[-2:] == ["Measured remark 0.", "Measured remark 1."]

    # A nudged post reads the article and writes nothing; its page costs what any form sent
    # back costs (here: one with an expired timestamp). The article's parts are cached
    # fragments (core.fragments) after the first page sent back, so both pages are measured
    # warm.
    post_comment(comment=CIVIL, email="r9@example.org", comment_stamp="")
    with django_assert_num_queries(1):
        response = post_comment(comment=RUDE, email="r9@example.org", json=True)
    assert response.status_code == 400
    with CaptureQueriesContext(connection) as expired:
        response = post_comment(comment=CIVIL, email="r9@example.org", comment_stamp="")
    assert response.status_code == 400
    with django_assert_num_queries(len(expired)):
        response = post_comment(comment=RUDE, email="r9@example.org")
    assert response.status_code == 400
    assert Comment.objects.filter(email_key="r9@example.org").count() == 0
