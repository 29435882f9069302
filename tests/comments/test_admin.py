"""Moderating in the Wagtail admin: the Comments listing, approve / spam / trash, editors'
picks, closing comments on an article. Each goes through the same services as the site."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from dateline.comments.models import Comment, CommentEvent
from dateline.news.models import ArticlePage

from .conftest import comment_ids_on, soup

LISTING = "wagtailsnippets_comments_comment:list"


@pytest.fixture
def held(article, comment_factory) -> Comment:
    return comment_factory(
        article=article,
        status=Comment.Status.PENDING,
        author_name="Held Reader",
        moderation_reasons=[
            {"code": "first_comment", "reason": "Held: first comment from this address."}
        ],
    )


def test_fresh_database_lets_the_newsroom_groups_moderate_comments(client, held):
    user = get_user_model().objects.create_user(username="fresh-moderator", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderator"))
    client.force_login(user)

    listing = client.get(reverse(LISTING))

    assert user.has_perm("comments.change_comment")
    assert (
        Group.objects.get(name="Administrator")
        .permissions.filter(content_type__app_label="comments", codename="delete_comment")
        .exists()
    )
    assert listing.status_code == 200


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def count(article: ArticlePage) -> int:
    article.refresh_from_db()
    return article.comment_count


def test_moderator_sees_the_comments_listing_with_why_each_was_held(client, moderator, held):
    client.force_login(moderator)

    response = client.get(reverse(LISTING))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Held Reader" in text
    assert "Held: first comment from this address." in text
    assert reverse("comments_moderate", args=[held.pk, "approve"]) in text


def test_reader_without_the_permission_cannot_see_the_listing(client, reporter, held):
    client.force_login(reporter)

    response = client.get(reverse(LISTING))

    assert refused(response)
    assert "Held Reader" not in response.content.decode()


@pytest.mark.parametrize(
    ("action", "status", "counted"),
    [
        ("approve", "approved", 1),
        ("spam", "spam", 0),
        ("trash", "trash", 0),
        ("hold", "pending", 0),
    ],
)
def test_moderator_moderates_from_the_admin_and_the_count_follows(
    client, moderator, held, article, action, status, counted, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    if action == "hold":
        Comment.objects.filter(pk=held.pk).update(status="approved")

    confirm = client.get(reverse("comments_moderate", args=[held.pk, action]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("comments_moderate", args=[held.pk, action]))

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse(LISTING)
    held.refresh_from_db()
    assert held.status == status
    assert count(article) == counted
    event = CommentEvent.objects.get(comment=held, action=action)
    assert event.actor == moderator


def test_approved_then_trashed_in_the_admin_shows_then_leaves_the_page(
    client, moderator, held, article, django_capture_on_commit_callbacks
):
    reader = Client()
    client.force_login(moderator)
    assert comment_ids_on(reader.get(article.url)) == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments_moderate", args=[held.pk, "approve"]))
    shown = reader.get(article.url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments_moderate", args=[held.pk, "trash"]))
    gone = reader.get(article.url)

    assert comment_ids_on(shown) == [held.pk]
    assert comment_ids_on(gone) == []


@pytest.mark.parametrize("who", ["reporter", "anonymous"])
def test_moderation_without_the_permission_is_refused(client, reporter, held, article, who):
    if who == "reporter":
        client.force_login(reporter)

    response = client.post(reverse("comments_moderate", args=[held.pk, "approve"]))

    if who == "anonymous":
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert refused(response)
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING
    assert count(article) == 0


def test_unknown_action_is_refused(client, moderator, held):
    client.force_login(moderator)

    response = client.post(reverse("comments_moderate", args=[held.pk, "delete"]))

    assert refused(response)
    assert Comment.objects.filter(pk=held.pk).exists()


def test_featured_comment_shows_under_editors_picks(
    client, moderator, article, comment_factory, django_capture_on_commit_callbacks
):
    pick = comment_factory(article=article, body="The clearest account of the vote so far.")
    other = comment_factory(article=article, body="An ordinary remark.")
    reader = Client()
    assert soup(reader.get(article.url)).select_one(".editors-picks") is None
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("comments_moderate", args=[pick.pk, "feature"]))
    page = soup(reader.get(article.url))

    assert response.status_code == 302
    picks = page.select_one(".editors-picks")
    assert picks.find("h3").get_text() == "Editors’ picks"
    assert "The clearest account of the vote so far." in picks.get_text()
    assert other.body not in picks.get_text()
    assert (
        "Editor’s pick"
        in page.find(id=f"comment-{pick.pk}").select_one(".comment-author").get_text()
    )


def test_an_editors_pick_reads_as_its_comment_does_not_as_its_markdown(
    client, moderator, article, comment_factory, django_capture_on_commit_callbacks
):
    pick = comment_factory(
        article=article,
        body="The **clearest** account so far, see [the minutes](https://example.org/minutes).\n\n"
        + "More detail follows. " * 60,
    )
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments_moderate", args=[pick.pk, "feature"]))

    quote = soup(Client().get(article.url)).select_one(".editors-picks blockquote")

    text = quote.get_text()
    assert "**" not in text and "](" not in text
    assert quote.find("strong").get_text() == "clearest"
    assert quote.find("a").get_text() == "the minutes"
    assert text.count("More detail follows.") < 60  # an excerpt, not the whole comment


# --- Closing comments on an article ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "moderator", "reporter"])
def test_editor_closes_comments_and_the_article_shows_its_thread_as_closed(
    client, article, comment_factory, who, request, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(who)
    existing = comment_factory(article=article)
    reader = Client()
    assert soup(reader.get(article.url)).find(id="commentform") is not None
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("comments_toggle_article", args=[article.pk]))
    article.refresh_from_db()
    page = soup(reader.get(article.url))

    if who != "editor":
        assert refused(response)
        assert article.comment_status == "open"
        assert page.find(id="commentform") is not None
        return
    assert response.status_code == 302
    assert not refused(response)
    assert article.comment_status == "closed"
    assert page.find(id="commentform") is None
    assert page.select_one(".comments-closed").get_text() == "Comments are closed."
    assert page.find(id=f"comment-{existing.pk}") is not None
    assert page.select_one(f"#comment-{existing.pk} .comment-reply-link") is None


def test_reopening_comments_takes_a_second_toggle(client, editor, article):
    client.force_login(editor)
    url = reverse("comments_toggle_article", args=[article.pk])

    client.post(url)
    article.refresh_from_db()
    assert not article.comments_open()
    client.post(url)
    article.refresh_from_db()
    assert article.comments_open()


def test_closing_survives_publishing_the_latest_revision(client, editor, article):
    article.save_revision().publish()
    client.force_login(editor)

    client.post(reverse("comments_toggle_article", args=[article.pk]))
    ArticlePage.objects.get(pk=article.pk).latest_revision.publish()

    article.refresh_from_db()
    assert article.comment_status == "closed"


def test_moderator_limited_to_a_section_cannot_use_the_table_for_other_sections(
    client, moderator, section, home, article_factory, comment_factory
):
    from dateline.moderation.models import DeskAssignment
    from tests.factories import SectionPageFactory

    politics = SectionPageFactory(parent=home, title="Politics", slug="politics")
    DeskAssignment.objects.create(user=moderator, section=section)
    mine = comment_factory(
        article=article_factory(parent=section, title="Mine", slug="mine"), status="pending"
    )
    other = comment_factory(
        article=article_factory(parent=politics, title="Other", slug="other"), status="pending"
    )
    client.force_login(moderator)

    listing = client.get(reverse(LISTING)).content.decode()
    allowed = client.post(reverse("comments_moderate", args=[mine.pk, "approve"]))
    denied = client.post(reverse("comments_moderate", args=[other.pk, "approve"]))

    assert mine.body in listing
    assert other.body not in listing
    assert allowed.status_code == 302
    assert denied.status_code == 404
    other.refresh_from_db()
    assert other.status == Comment.Status.PENDING


@pytest.fixture
def two_desks(moderator, section, home, article_factory, comment_factory):
    """A moderator limited to ``section``: one pending comment there, one in Politics."""
    from dateline.moderation.models import DeskAssignment
    from tests.factories import SectionPageFactory

    politics = SectionPageFactory(parent=home, title="Politics", slug="politics")
    DeskAssignment.objects.create(user=moderator, section=section)
    mine = comment_factory(
        article=article_factory(parent=section, title="Mine", slug="mine"),
        status="pending",
        body="A comment from my own desk.",
    )
    other = comment_factory(
        article=article_factory(parent=politics, title="Other", slug="other"),
        status="pending",
        body="Words from the politics desk nobody else may read.",
        author_name="Politics Writer",
    )
    return mine, other


@pytest.mark.parametrize("view", ["inspect", "history", "usage"])
def test_section_moderator_cannot_open_another_sections_comment_in_the_table(
    client, moderator, two_desks, view
):
    mine, other = two_desks
    client.force_login(moderator)

    own = client.get(reverse(f"wagtailsnippets_comments_comment:{view}", args=[mine.pk]))
    foreign = client.get(reverse(f"wagtailsnippets_comments_comment:{view}", args=[other.pk]))

    assert own.status_code == 200
    assert foreign.status_code == 404
    assert "Politics Writer" not in foreign.content.decode()
    assert other.body not in foreign.content.decode()


def test_section_moderator_cannot_delete_another_sections_comment(client, moderator, two_desks):
    from django.contrib.auth.models import Permission

    _mine, other = two_desks
    moderator.user_permissions.add(
        Permission.objects.get(codename="delete_comment", content_type__app_label="comments")
    )
    client.force_login(moderator)

    url = reverse("wagtailsnippets_comments_comment:delete", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Comment.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("action", ["approve", "spam", "trash"])
def test_section_moderator_bulk_actions_leave_other_sections_alone(
    client, moderator, two_desks, action
):
    mine, other = two_desks
    client.force_login(moderator)
    url = reverse("wagtail_bulk_action", args=["comments", "comment", action])

    only_foreign = client.post(f"{url}?id={other.pk}")
    both = client.post(f"{url}?id={mine.pk}&id={other.pk}")

    assert only_foreign.status_code == 404
    assert both.status_code in (200, 302)
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.status != Comment.Status.PENDING
    assert other.status == Comment.Status.PENDING
    # Logged with the moderator who chose it, like the desk's own decisions.
    event = CommentEvent.objects.filter(comment=mine).order_by("-created_at", "-pk").first()
    assert event is not None and event.actor_id == moderator.pk
    assert not CommentEvent.objects.filter(comment=other).exclude(actor=None).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_table_bulk_action_commits_its_chunks_outside_wagtails_transaction(
    client, moderator, article, comment_factory, monkeypatch
):
    from django.db import connection

    from dateline.moderation import desk

    comments = [comment_factory(article=article, status="pending") for _ in range(5)]
    depth: list[bool] = []
    real_chunk = desk.desk_bulk_chunk

    def spy(**kwargs):
        depth.append(connection.in_atomic_block)
        return real_chunk(**kwargs)

    monkeypatch.setattr(desk, "desk_bulk_chunk", spy)
    client.force_login(moderator)
    url = reverse("wagtail_bulk_action", args=["comments", "comment", "approve"])
    ids = "&".join(f"id={c.pk}" for c in comments)

    response = client.post(f"{url}?{ids}")

    assert response.status_code == 302
    assert depth and not any(depth), "each chunk must be its own transaction"
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == 5
