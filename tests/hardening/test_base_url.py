"""Links in mail and exports start with the one configured address (DATELINE_BASE_URL), never
with a default port or the host a Wagtail Site row names (issue 15, item 10)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from dateline.commenters.selectors import commenter_export
from dateline.comments.models import Comment
from dateline.comments.services import comment_moderate, comment_post
from dateline.portability.services import wxr_export
from tests.comments.conftest import (  # noqa: F401 - fixtures
    article,
    comment_factory,
    post_comment,
    submission_factory,
)
from tests.test_settings import run_python

BASE = "https://news.example:8443"
WRONG = ("127.0.0.1", "localhost", "testserver")


@pytest.fixture(autouse=True)
def _base(settings: Any) -> None:
    settings.DATELINE_BASE_URL = BASE


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"]+", text)


def assert_all_on_base(text: str) -> None:
    found = links(text)
    assert found, text
    assert all(link.startswith(BASE + "/") or link == BASE for link in found), found
    assert not any(wrong in text for wrong in WRONG), text


def test_reply_notification_links_start_with_the_configured_base(
    post_comment: Any,  # noqa: F811
    submission_factory: Any,  # noqa: F811
    client: Client,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(comment="Tell me when someone answers.", subscribe="yes")
    asked = Comment.objects.get(author_email="ada@example.org")
    comment_moderate(comment=asked, action="approve")
    confirmation = mailoutbox.pop()
    assert_all_on_base(confirmation.body)
    confirm = next(link for link in links(confirmation.body) if "/comments/confirm/" in link)
    client.post(confirm.removeprefix(BASE))

    with django_capture_on_commit_callbacks(execute=True):
        answer = comment_post(
            submission=submission_factory(
                parent_id=asked.pk, email="bea@example.org", name="Bea", ip="198.51.100.4"
            )
        ).comment
        comment_moderate(comment=answer, action="approve")

    (mail,) = mailoutbox
    assert f"{BASE}/comments/{answer.pk}/" in mail.body
    assert_all_on_base(mail.body)
    assert mail.extra_headers["List-Unsubscribe"].startswith(f"<{BASE}/comments/unsubscribe/")


def test_privacy_link_mail_and_the_data_export_use_the_configured_base(
    comment_factory: Any,  # noqa: F811
    article: Any,  # noqa: F811
    client: Client,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    comment_factory(article=article, author_email="canary@example.net")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/privacy/", {"email": "canary@example.net", "kind": "export"})

    (mail,) = mailoutbox
    assert_all_on_base(mail.body)
    assert f"{BASE}/privacy/confirm/" in mail.body
    data = commenter_export(email="canary@example.net")
    assert data["site"] == BASE
    assert data["comments"][0]["article"]["url"] == f"{BASE}/international/harbour-sea-wall/"


def test_wxr_export_links_use_the_configured_base(
    section: Any, article_factory: Any, tmp_path: Path
) -> None:
    article_factory(parent=section, title="Sea wall", slug="sea-wall")
    export = tmp_path / "export.xml"

    wxr_export(path=export)

    channel = etree.parse(str(export)).getroot().find("channel")
    assert channel is not None
    wp = "{http://wordpress.org/export/1.2/}"
    assert channel.findtext("link") == BASE
    assert channel.findtext(f"{wp}base_site_url") == BASE
    (item,) = channel.findall("item")
    assert item.findtext("link") == f"{BASE}/international/sea-wall/"
    assert item.findtext("guid") == f"{BASE}/international/sea-wall/"


def test_the_base_url_comes_from_the_environment_and_serves_the_admin_too() -> None:
    shown = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'dateline.settings.base'; "
        "from django.conf import settings; "
        "print(settings.DATELINE_BASE_URL, settings.WAGTAILADMIN_BASE_URL)",
        DATELINE_BASE_URL="http://127.0.0.1:8123/",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["http://127.0.0.1:8123", "http://127.0.0.1:8123"]
