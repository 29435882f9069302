"""Fixtures for the reader conversation: an article, comments built straight into the tree,
submissions for the services, and an HTTP poster that behaves like a browser on our site."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import factory
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from dateline.comments.guards import form_stamp
from dateline.comments.models import Comment, CommentSettings
from dateline.comments.screening import Submission
from dateline.comments.services import comment_counts_refresh, email_key_for
from dateline.comments.text import body_fingerprint
from dateline.news.models import ArticlePage

ORIGIN = "http://testserver"
POST_URL = "/comments/post/"

_suffix = itertools.count()


def tree_segment(moment: datetime) -> str:
    """A path segment as the service makes it (time-sortable), with a counter instead of the
    random tail, so comments made in the same microsecond still sort in creation order."""
    micros = int(moment.timestamp() * 1_000_000)
    return f"{micros:013x}{next(_suffix) % 4096:03x}"


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment placed in the tree directly (path, thread, depth from ``parent``), approved
    unless told otherwise. Bypasses the rules: for building threads, not for testing posting."""

    class Meta:
        model = Comment

    article = None
    parent = None
    status = Comment.Status.APPROVED
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.Sequence(lambda n: f"reader{n}@example.org")
    body = factory.Sequence(lambda n: f"A considered remark, number {n}.")
    created_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Comment:
        parent: Comment | None = kwargs.get("parent")
        if kwargs.get("article") is None:
            assert parent is not None, "give an article or a parent"
            kwargs["article"] = parent.article
        segment = tree_segment(kwargs["created_at"])
        kwargs.setdefault("path", f"{parent.path}/{segment}" if parent else segment)
        kwargs.setdefault("thread", parent.thread if parent else segment)
        kwargs.setdefault("depth", parent.depth + 1 if parent else 0)
        kwargs.setdefault("email_key", email_key_for(email=kwargs["author_email"], user_id=None))
        kwargs.setdefault("body_hash", body_fingerprint(kwargs["body"]))
        comment = super()._create(model_class, *args, **kwargs)
        comment_counts_refresh(article_id=comment.article_id)
        return comment


@pytest.fixture
def comment_factory(db: None) -> type[CommentFactory]:
    return CommentFactory


@pytest.fixture
def article(section: Any, article_factory: Any) -> ArticlePage:
    return article_factory(
        parent=section,
        title="Harbour council votes to rebuild the sea wall",
        slug="harbour-sea-wall",
        tags=["Harbour"],
    )


@pytest.fixture
def other_article(section: Any, article_factory: Any) -> ArticlePage:
    return article_factory(parent=section, title="Ferry timetable changes", slug="ferry-timetable")


@pytest.fixture
def site_settings(db: None) -> Callable[..., CommentSettings]:
    """Change the default site's comment settings: ``site_settings(max_depth=3)``."""

    def change(**values: Any) -> CommentSettings:
        current = CommentSettings.for_site(Site.objects.get(is_default_site=True))
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
        return current

    return change


_bodies = itertools.count()


@pytest.fixture
def submission_factory(article: ArticlePage) -> Callable[..., Submission]:
    """A validated submission from a new reader on ``article``; override any field."""

    def make(**fields: Any) -> Submission:
        values: dict[str, Any] = {
            "article": article,
            "name": "Ada Reader",
            "email": "ada@example.org",
            "body": f"I was at the meeting, and here is what I saw ({next(_bodies)}).",
            "ip": "203.0.113.77",
            "user_agent": "TestBrowser/1.0",
        }
        values.update(fields)
        return Submission(**values)

    return make


def shown_stamp(seconds_ago: float = 60) -> str:
    """The form's signed timestamp, as if the form was shown ``seconds_ago``."""
    return form_stamp(now=time.time() - seconds_ago)


def form_data(article: ArticlePage, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "comment_stamp": shown_stamp(),
        "comment": f"The sea wall plan leaves the north beach out ({next(_bodies)}).",
        "author": "Ada Reader",
        "email": "ada@example.org",
        "url": "",
        "comment_post_ID": article.pk,
        "comment_parent": 0,
    }
    data.update(fields)
    return data


@pytest.fixture
def post_comment(client: Client, article: ArticlePage) -> Callable[..., Any]:
    """POST the "Leave a Reply" form as a browser on this site does (same Origin).

    ``post_comment(comment="...", json=True, client=other_client, article=other, origin=None)``
    """

    def post(
        *,
        json: bool = False,
        origin: str | None = ORIGIN,
        client: Client = client,
        article: ArticlePage = article,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> Any:
        extra: dict[str, str] = dict(headers or {})
        if origin is not None:
            extra["HTTP_ORIGIN"] = origin
        if json:
            extra["HTTP_ACCEPT"] = "application/json"
        return client.post(POST_URL, form_data(article, **fields), **extra)

    return post


@pytest.fixture
def staff_user(db: None) -> Any:
    return get_user_model().objects.create_user(
        username="desk",
        password="not-a-real-password",
        email="desk@dateline.example",
        first_name="Dana",
        last_name="Desk",
        is_staff=True,
    )


@pytest.fixture
def comment_permissions(db: None) -> None:
    """The newsroom groups' comment permissions, as the first ``migrate`` grants them."""


def _member(group: str, username: str) -> Any:
    user = get_user_model().objects.create_user(
        username=username, password="not-a-real-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def moderator(comment_permissions: None) -> Any:
    return _member("Moderator", "moderator")


@pytest.fixture
def editor(comment_permissions: None) -> Any:
    return _member("Editor", "editor")


@pytest.fixture
def reporter(comment_permissions: None) -> Any:
    return _member("Reporter", "reporter")


# --- Reading responses ---------------------------------------------------------------------------


def soup(response: Any) -> Any:
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser")


def field_error(response: Any, field_id: str) -> str:
    """The error text the field points at with aria-describedby ("" when it points at none)."""
    page = soup(response)
    field = page.find(id=field_id)
    assert field is not None, f"no #{field_id} in the page"
    texts = []
    for ref in (field.get("aria-describedby") or "").split():
        described = page.find(id=ref)
        if described is not None and "field-error" in (described.get("class") or []):
            texts.append(described.get_text(" ", strip=True))
    return " ".join(texts)


def error_summary(response: Any) -> str:
    """The text of the summary at the top of the form (role=alert)."""
    alert = soup(response).find(attrs={"role": "alert"})
    return alert.get_text(" ", strip=True) if alert is not None else ""


def textarea_text(response: Any) -> str:
    return soup(response).find("textarea", id="comment").get_text()


def input_value(response: Any, field_id: str) -> str:
    return soup(response).find("input", id=field_id).get("value", "")


def own_token_from(location: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(location).query)["own"][0]


def comment_ids_on(response: Any) -> list[int]:
    """The ids of the comments shown in the thread, in page order."""
    return [int(li["data-comment"]) for li in soup(response).select("li.comment[data-comment]")]
