"""The learned filters' page in a real browser: an administrator sees the live spam model, a
retrained model that was accepted and one that was rejected, and rolls back with one confirmed
click. Screenshot: docs/screenshots/learned-filters.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from dateline.comments.models import Comment
from dateline.moderation.classifier import clear_scorer_cache, filter_retrain, get_scorer
from dateline.moderation.classifier.corpora import Examples
from dateline.moderation.classifier.site_guard import set_aside
from dateline.moderation.desk import desk_bulk_chunk
from dateline.moderation.models import FilterVersion
from dateline.news.models import ArticlePage
from tests.comments.conftest import CommentFactory
from tests.moderation.retraining import comments, install, plain_spam_config, write_base

from .test_comments import axe_report

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def decide(examples: Examples, moderator: Any) -> None:
    article = ArticlePage.objects.live().first()
    made = [
        CommentFactory(article=article, body=text, status=Comment.Status.PENDING)
        for text in examples.texts
    ]
    for action, label in (("spam", 1), ("approve", 0)):
        ids = [c.pk for c, lab in zip(made, examples.labels, strict=True) if lab == label]
        desk_bulk_chunk(comment_ids=ids, action=action, actor=moderator)


def test_administrator_sees_the_filters_history_and_rolls_back(
    demo_lead_site: LiveServer,
    browser: Browser,
    settings: Any,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    from django.contrib.auth import get_user_model

    settings.DATELINE_MODEL_DIR = tmp_path / "models"
    settings.DATELINE_RETRAIN_MIN_DECISIONS = 20
    settings.DATELINE_RETRAIN_MIN_PER_CLASS = 5
    settings.DATELINE_RETRAIN_MIN_HOURS = 0
    clear_scorer_cache()
    plain_spam_config(monkeypatch)
    moderator = get_user_model().objects.get(username="moderator")
    base = write_base(tmp_path / "base.csv")
    weak = install(base, first=8)
    first_round = comments(40, seed=2)
    decide(first_round, moderator)
    assert filter_retrain(kind="spam").outcome == "accepted"
    # One approved comment in five is kept out of training, for the site guard.
    trained_on = 40 - sum(
        set_aside(text)
        for text, label in zip(first_round.texts, first_round.labels, strict=True)
        if label == 0
    )
    wrong = comments(200, seed=3)
    decide(Examples(wrong.texts, [1 - n for n in wrong.labels], wrong.groups), moderator)
    assert filter_retrain(kind="spam").outcome == "rejected"
    retrained = FilterVersion.objects.get(status=FilterVersion.Status.LIVE)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        password = (Path(settings.VAR_DIR) / "demo-password.txt").read_text().strip()
        page.goto(demo_lead_site.url + "/admin/login/")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/admin/$"))
        page.get_by_role("link", name="Learned filters").click()

        spam = page.locator("section.filter-card", has=page.get_by_role("heading", name="Spam"))
        expect(spam).to_contain_text(retrained.version)
        expect(spam).to_contain_text("Retrained with moderators' decisions")
        expect(spam).to_contain_text(f"{trained_on}, each counted 3.00 times")
        expect(spam).to_contain_text(f"Previous model: {weak.version}")
        history = page.locator(".filter-history tbody tr")
        expect(history).to_have_count(3)
        expect(history.nth(0)).to_contain_text("Retrained model rejected")
        expect(history.nth(0)).to_contain_text("Worse than the live model")
        expect(history.nth(1)).to_contain_text("Retrained model accepted")
        expect(history.nth(2)).to_contain_text("Installed (trained on the base corpus)")
        # The admin scrolls inside its own pane: a window as tall as the page shows all of it.
        height = page.evaluate("document.querySelector('main').scrollHeight")
        page.set_viewport_size({"width": 1280, "height": max(900, int(height) + 40)})
        page.screenshot(path=str(SCREENSHOTS / "learned-filters.png"))
        assert axe_report(page) == ""

        page.get_by_role("link", name="Roll back the spam filter…").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Roll back the spam filter")
        page.get_by_role("button", name="Yes, roll back").click()
        page.wait_for_url(re.compile(r"/admin/learned-filters/$"))
        expect(page.get_by_text(f"{weak.version} is live again.")).to_be_visible()
        expect(history.nth(0)).to_contain_text("Rolled back")
        expect(history.nth(0)).to_contain_text("Admin")
    finally:
        context.close()
    served = get_scorer("spam")
    assert served is not None and served.metadata["version"] == weak.version
