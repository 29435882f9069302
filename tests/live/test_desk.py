"""Moderators see that a thread belongs to a live page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from dateline.comments.models import Comment
from dateline.live.models import LivePage
from tests.comments.conftest import CommentFactory

pytestmark = pytest.mark.django_db


def test_a_comment_under_live_coverage_is_tagged_on_the_desk(
    client: Client, live_page: LivePage, article_factory: Any
) -> None:
    article = article_factory(parent=live_page.get_parent(), title="A plain story")
    CommentFactory(article=live_page, status=Comment.Status.PENDING, body="On the live page.")
    CommentFactory(article=article, status=Comment.Status.PENDING, body="On the article.")
    chief = get_user_model().objects.create_superuser("chief", "chief@example.org", "pass-phrase-1")
    client.force_login(chief)
    html = client.get(reverse("comments_desk", args=["pending"])).content.decode()
    cards = html.split('class="desk-card ')[1:]
    live_card = next(c for c in cards if "On the live page." in c)
    plain_card = next(c for c in cards if "On the article." in c)
    assert '<span class="desk-tag">live coverage</span>' in live_card
    assert "live coverage" not in plain_card
