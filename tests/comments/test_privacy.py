"""No commenter's email address is ever published: not in a page, not in JSON, not in a header,
not as a hash (Gravatar-style MD5, SHA-1, SHA-256)."""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import quote

import pytest
from django.test import Client

from dateline.comments.models import Comment

from .conftest import comment_ids_on, own_token_from


def canary() -> str:
    return f"Canary-{uuid.uuid4().hex[:12]}@Example.NET"


def needles(email: str) -> set[str]:
    """The address and everything that would give it away."""
    found = set()
    for value in {email, email.lower(), email.strip().lower()}:
        found |= {value.lower(), quote(value).lower()}
        for algorithm in ("md5", "sha1", "sha256"):
            found.add(hashlib.new(algorithm, value.encode()).hexdigest())
    return found


def leaks(response, secrets: set[str]) -> list[str]:
    text = response.content.decode(errors="replace").lower()
    text += "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items()).lower()
    text += "\n" + response.cookies.output().lower()
    return sorted(s for s in secrets if s in text)


@pytest.fixture
def planted(article, comment_factory, site_settings, staff_user, post_comment):
    """Canary addresses in approved, pending, spam and removed comments and replies, over two
    pages of the thread; some planted through the form, some straight into the database."""
    site_settings(page_size=5)
    emails = {name: canary() for name in ("top", "reply", "deep", "pending", "spam", "removed")}
    tops = [comment_factory(article=article, author_email=emails["top"]) for _ in range(7)]
    reply = comment_factory(
        parent=tops[0], author_email=emails["reply"], author_url="https://r.example.org"
    )
    comment_factory(parent=reply, author_email=emails["deep"])
    comment_factory(parent=tops[6], author_email=emails["pending"], status="pending")
    comment_factory(article=article, author_email=emails["spam"], status="spam")
    removed = comment_factory(article=article, author_email=emails["removed"], status="trash")
    comment_factory(parent=removed, author_email=emails["reply"])
    staff_user.email = emails["staff"] = canary()
    staff_user.save()
    comment_factory(article=article, author_email=staff_user.email, user=staff_user, is_staff=True)

    emails["posted"] = canary()
    posted = post_comment(
        comment="Posted through the form with a canary address.",
        email=emails["posted"],
        comment_parent=tops[1].pk,
        json=True,
    )
    emails["posted-html"] = canary()
    redirect = post_comment(
        comment="Posted without JavaScript.", email=emails["posted-html"], author="Canary Reader"
    )
    return {
        "emails": emails,
        "top": tops[0],
        "reply": reply,
        "json_post": posted,
        "html_post": redirect,
        "own": [posted.json()["token"], own_token_from(redirect["Location"])],
    }


def test_no_public_response_contains_an_email_address_or_its_hash(
    planted, article, client, settings
):
    secrets = set().union(*(needles(e) for e in planted["emails"].values()))
    reader = Client()
    top, reply = planted["top"], planted["reply"]
    own = "&".join(f"own={quote(t)}" for t in planted["own"])
    urls = [
        "/",
        article.get_parent().url,
        article.url,
        article.url + "?cpage=2",
        article.url + "?corder=newest",
        article.url + "?corder=liked&cpage=2",
        article.url + f"?replytocom={reply.pk}",
        article.url + "?" + own,
        planted["html_post"]["Location"].split("#")[0],  # the author's own view of it
        f"/comments/mine/?{own}",
        f"/comments/{top.pk}/report/",
        f"/comments/{planted['json_post'].json()['id']}/edit/?own={quote(planted['own'][0])}",
        "/authors/" + article.byline.first().author.slug + "/",
        "/tags/harbour/",
        "/search/?q=Harbour",
        "/search/?q=canary",
    ]
    responses = {
        "json post": planted["json_post"],
        "html post": planted["html_post"],
        f"/comments/{reply.pk}/": reader.get(f"/comments/{reply.pk}/", follow=True),
    }
    for url in urls:
        responses[url] = reader.get(url)
        responses[url + " (cached)"] = reader.get(url)

    assert {k: r.status_code for k, r in responses.items() if r.status_code >= 400} == {}
    # The planted comments are really there to be found.
    own_view = responses[planted["html_post"]["Location"].split("#")[0]]
    assert "Canary Reader" in own_view.content.decode()
    assert len(comment_ids_on(responses[article.url])) >= 5
    assert planted["json_post"].json()["html"]
    assert responses["/search/?q=Harbour"].content.decode().count("Harbour council") >= 1
    assert {name: leaks(r, secrets) for name, r in responses.items() if leaks(r, secrets)} == {}


def test_the_canary_check_would_catch_a_published_address(article, comment_factory, client):
    email = canary()
    comment = comment_factory(article=article, author_email=email, body="Mail me, " + email)

    page = client.get(article.url)

    assert comment.pk
    assert leaks(page, needles(email))
    assert Comment.objects.filter(author_email=email).exists()
