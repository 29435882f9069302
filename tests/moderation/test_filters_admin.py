"""The learned filters' page in the admin: what is live, its figures, the history, and a rollback
that only administrators can do, logged with their name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from dateline.moderation.classifier import get_scorer
from dateline.moderation.models import FilterEvent, FilterVersion
from dateline.moderation.templatetags.filter_figures import score

from .retraining import install, member

PAGE = "/admin/learned-filters/"
ROLLBACK = "/admin/learned-filters/spam/rollback/"


@pytest.fixture
def two_models(models: Path, base: dict[str, Any]) -> tuple[FilterVersion, FilterVersion]:
    """A model trained on the base corpus, then a weaker one installed over it."""
    first = install(base)
    second = install(base, first=8)
    return first, second


def refused(response: Any) -> bool:
    """Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def signed_in(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_a_moderator_sees_the_live_model_its_figures_and_the_history(
    two_models: tuple[FilterVersion, FilterVersion], moderator: Any
) -> None:
    first, second = two_models

    response = signed_in(moderator).get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<code>{second.version}</code> · Trained on the base corpus" in html
    assert f"AUC <strong>{second.figures['auc']:.4f}</strong>" in html
    assert f"legitimate held: <strong>{100 * second.figures['legitimate_over_low']:.1f} %" in html
    assert f"Previous model: <code>{first.version}</code>" in html
    assert html.count("Installed (trained on the base corpus)") == 2
    assert "manage.py train_filters" in html
    # Abusive language has no model: the filter is off.
    assert "No model: this filter is off" in html
    # Moderators see, administrators roll back.
    assert ROLLBACK not in html
    assert "Administrators can roll back to this model" in html


def test_the_page_costs_the_same_for_a_long_history(
    two_models: tuple[FilterVersion, FilterVersion], moderator: Any
) -> None:
    client = signed_in(moderator)
    client.get(PAGE)  # the session, the site and the model files are read once
    with CaptureQueriesContext(connection) as short:
        assert client.get(PAGE).status_code == 200
    first, second = two_models
    for n in range(40):
        FilterEvent.objects.create(
            kind="spam",
            action=FilterEvent.Action.REJECTED,
            version=second,
            other=first,
            reason=f"Worse than the live model ({n}).",
            figures={"candidate": second.figures, "live": first.figures},
        )
    with CaptureQueriesContext(connection) as long:
        response = client.get(PAGE)
    assert response.content.decode().count("Worse than the live model (") == 40
    assert len(long) == len(short)


def test_an_administrator_rolls_back_with_one_confirmed_post_and_it_is_logged(
    two_models: tuple[FilterVersion, FilterVersion], administrator: Any
) -> None:
    first, second = two_models
    client = signed_in(administrator, csrf=True)
    assert ROLLBACK in client.get(PAGE).content.decode()

    confirm = client.get(ROLLBACK)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert f"The live model <code>{second.version}</code>" in text
    assert f"previous one, <code>{first.version}</code>" in text
    assert client.post(ROLLBACK).status_code == 403  # no CSRF token: nothing happens
    assert get_scorer("spam").metadata["version"] == second.version  # type: ignore[union-attr]

    response = client.post(ROLLBACK, {"csrfmiddlewaretoken": confirm.context["csrf_token"]})

    assert response.status_code == 302 and response["Location"] == PAGE
    assert get_scorer("spam").metadata["version"] == first.version  # type: ignore[union-attr]
    event = FilterEvent.objects.get(action=FilterEvent.Action.ROLLED_BACK)
    assert (event.version, event.other, event.actor) == (first, second, administrator)
    page = client.get(PAGE).content.decode()
    assert f"spam filter rolled back: {first.version} is live again." in page.replace(
        "Spam", "spam"
    )
    assert "<td>Rolled back</td>" in page and "<td>chief</td>" in page


def test_a_moderator_cannot_roll_back(
    two_models: tuple[FilterVersion, FilterVersion], moderator: Any
) -> None:
    _, second = two_models
    client = signed_in(moderator)

    assert refused(client.get(ROLLBACK))
    assert refused(client.post(ROLLBACK))
    assert get_scorer("spam").metadata["version"] == second.version  # type: ignore[union-attr]
    assert not FilterEvent.objects.filter(action=FilterEvent.Action.ROLLED_BACK).exists()


def test_rolling_back_with_nothing_before_says_so(models: Path, base: dict[str, Any]) -> None:
    only = install(base)
    client = signed_in(member("Administrator", "chief"))

    assert "No earlier model to go back to." in client.get(PAGE).content.decode()
    response = client.post(ROLLBACK, follow=True)

    assert "There is no earlier model to go back to." in response.content.decode()
    assert FilterVersion.objects.get(status=FilterVersion.Status.LIVE) == only


def test_reporters_do_not_see_the_filters(models: Path) -> None:
    reporter = member("Reporter", "reporter")
    assert refused(signed_in(reporter).get(PAGE))
    assert signed_in(reporter).get("/admin/").content.decode().count(PAGE) == 0


def test_a_live_model_not_yet_in_the_history_shows_its_thresholds_and_figures(
    models: Path, base: dict[str, Any], moderator: Any
) -> None:
    """A fresh site whose models were trained elsewhere (make demo on a new database: the
    history is empty) showed the editor-in-chief only when and on what the model was trained, the
    time as raw ISO text: not the limits it holds comments at nor how it did on the validation
    set, which the file records."""
    version = install(base)
    FilterEvent.objects.all().delete()
    FilterVersion.objects.all().delete()
    metadata = get_scorer("spam").metadata

    html = signed_in(moderator).get(PAGE).content.decode()

    assert "Not in the history yet" in html
    assert re.search(r"<dt>Trained</dt>\s*<dd>\d{1,2} \w{3} \d{4} \d\d:\d\d on ", html)
    assert f"limit {escape(score(metadata['thresholds']['high']))}" in html
    assert f"AUC <strong>{metadata['holdout']['auc']:.4f}</strong>" in html
    assert f"legitimate held: <strong>{100 * version.figures['legitimate_over_low']:.1f} %" in html
