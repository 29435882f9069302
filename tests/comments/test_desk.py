"""The moderators' desk: queues, filters, cards, counts, actions, bans, per-section desks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dateline.comments.models import Comment, CommentEvent, CommentReport, CommentRevision
from dateline.comments.services import comment_post, comment_report
from dateline.moderation.classifier import comment_decisions
from dateline.moderation.desk import desk_ban, desk_bulk
from dateline.moderation.desk_selectors import desk_counts
from dateline.moderation.models import CommentBan, DeskAssignment

from .conftest import comment_ids_on, soup

HELD = [{"code": "first_comment", "reason": "Held: first comment from this address."}]


def desk(queue: str = "pending") -> str:
    return reverse("comments_desk", args=[queue])


def card_ids(response: Any) -> list[int]:
    return [int(li["id"].split("-")[1]) for li in soup(response).select("li.desk-card")]


def act(client: Client, comment: Comment, action: str, **extra: Any) -> Any:
    return client.post(reverse("comments_desk_act", args=[comment.pk]), {"action": action, **extra})


@pytest.fixture
def pending(article: Any, comment_factory: Any) -> Any:
    """Three held comments, posted an hour apart, the oldest first."""
    now = timezone.now()
    return [
        comment_factory(
            article=article,
            status=Comment.Status.PENDING,
            created_at=now - timedelta(hours=3 - n),
            moderation_reasons=HELD,
            body=f"Held remark {n}.",
        )
        for n in range(3)
    ]


# --- Queues, filters, cards ----------------------------------------------------------------------


def test_pending_queue_shows_held_comments_oldest_first(
    client, moderator, pending, comment_factory
):
    comment_factory(article=pending[0].article, body="Published already.")
    client.force_login(moderator)

    response = client.get(desk("pending"))

    assert response.status_code == 200
    assert card_ids(response) == [c.pk for c in pending]
    newest = client.get(desk("pending") + "?ordering=-created_at")
    assert card_ids(newest) == [c.pk for c in reversed(pending)]


@pytest.mark.parametrize("queue", ["spam", "trash", "approved", "all", "reported"])
def test_each_queue_lists_its_comments(client, moderator, article, comment_factory, queue):
    statuses = {
        "spam": Comment.Status.SPAM,
        "trash": Comment.Status.TRASH,
        "approved": Comment.Status.APPROVED,
        "all": Comment.Status.SPAM,
        "reported": Comment.Status.APPROVED,
    }
    wanted = comment_factory(
        article=article,
        status=statuses[queue],
        reported_at=timezone.now() if queue == "reported" else None,
    )
    other = comment_factory(article=article, status=Comment.Status.PENDING)
    client.force_login(moderator)

    ids = card_ids(client.get(desk(queue)))

    assert wanted.pk in ids
    assert (other.pk in ids) == (queue == "all")


def test_every_posted_comment_keeps_its_scores_and_the_card_shows_them(
    client, moderator, abuse_model, submission_factory
):
    """A comment no filter objected to still has its score on the card (issue 4: "a score
    per comment ... shown on the card"), held here as a first comment."""
    result = comment_post(
        submission=submission_factory(body="I disagree with the council: the wall is too low.")
    )
    held = Comment.objects.get(pk=result.comment.pk)
    client.force_login(moderator)

    text = " ".join(soup(client.get(desk("pending"))).get_text(" ", strip=True).split())

    assert set(held.scores) == {"abuse"}
    assert 0 <= held.scores["abuse"] < 0.5
    assert [r["code"] for r in held.moderation_reasons] == ["first_comment"]
    assert f"abuse {held.scores['abuse']:.2f}" in text


def test_card_shows_article_parent_reasons_scores_reports_history_and_log(
    client, moderator, article, comment_factory
):
    parent = comment_factory(article=article, body="The council never published the costs.")
    comment_factory(article=article, author_email="ada@example.org", status=Comment.Status.SPAM)
    comment_factory(article=article, author_email="ada@example.org", status=Comment.Status.APPROVED)
    held = comment_factory(
        article=article,
        parent=parent,
        author_email="ada@example.org",
        status=Comment.Status.PENDING,
        moderation_reasons=[
            {
                "code": "spam_score",
                "reason": "Held: spam score 0.41 (limit 0.23).",
                "status": "pending",
            }
        ],
    )
    CommentReport.objects.create(comment=held, reason="abuse", reporter="r1")
    CommentEvent.objects.create(
        comment=held,
        rule="spam_score",
        action="posted",
        to_status="pending",
        reason="Held: spam score 0.41 (limit 0.23).",
        created_at=timezone.now(),
    )
    client.force_login(moderator)

    card = soup(client.get(desk())).find(id=f"card-{held.pk}")
    text = " ".join(card.get_text(" ", strip=True).split())

    assert card.find("a", string=article.title)["href"] == article.url
    assert "In reply to" in text and "never published the costs" in text
    assert "Held: spam score 0.41 (limit 0.23)." in text
    assert "spam 0.41" in text
    assert "1: Abuse or harassment (1)" in text
    assert "1 approved, 1 rejected" in text
    assert "rule spam_score: posted (new → pending)" in text


def test_in_reply_to_quote_is_rendered_like_a_comment_and_cut_before_rendering(
    client, moderator, article, comment_factory
):
    """Issue 18: the quote showed the parent's raw Markdown."""
    body = "The **council** never published [the costs](https://council.example.org/costs).\n\n"
    body += "> quoted <script>alert(1)</script>\n\n" + "Long tail. " * 40
    parent = comment_factory(article=article, body=body)
    held = comment_factory(
        article=article, parent=parent, status="pending", moderation_reasons=HELD
    )
    client.force_login(moderator)

    quote = soup(client.get(desk())).find(id=f"card-{held.pk}").select_one(".desk-card__parent")

    assert quote.find("strong").get_text() == "council"
    link = quote.find("a", string="the costs")
    assert link["href"] == "https://council.example.org/costs"
    assert "**" not in quote.get_text() and "](" not in quote.get_text()
    assert quote.find("script") is None
    assert quote.get_text().rstrip().endswith("…")
    assert len(quote.get_text()) < 300


def test_filters_narrow_the_queue(client, moderator, article, other_article, comment_factory):
    links = [{"code": "links", "reason": "Held: 3 links; comments with 2 or more are held."}]
    a = comment_factory(
        article=article, status="pending", author_name="Olu Links", moderation_reasons=links
    )
    b = comment_factory(
        article=other_article,
        status="pending",
        author_email="bo@example.org",
        moderation_reasons=HELD,
    )
    old = comment_factory(
        article=article,
        status="pending",
        created_at=timezone.now() - timedelta(days=10),
        moderation_reasons=HELD,
    )
    client.force_login(moderator)

    assert card_ids(client.get(desk(), {"reason": "links"})) == [a.pk]
    assert card_ids(client.get(desk(), {"article": other_article.pk})) == [b.pk]
    assert card_ids(client.get(desk(), {"commenter": "BO@example.org"})) == [b.pk]
    assert card_ids(client.get(desk(), {"commenter": "olu"})) == [a.pk]
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert old.pk not in card_ids(client.get(desk(), {"created_from": since}))
    assert card_ids(client.get(desk(), {"section": article.section_id})) == [old.pk, a.pk, b.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"created_from": "not-a-date"},
        {"article": "abc"},
        {"section": "99999"},
        {"reason": "<script>"},
        {"p": "-4"},
        {"ordering": "body"},
        {"article": "99999999999999999999"},
    ],
)
def test_bad_filter_values_give_a_message_not_an_error(client, moderator, pending, query):
    client.force_login(moderator)

    response = client.get(desk(), query)

    assert response.status_code == 200
    assert card_ids(response) == [c.pk for c in pending]
    if set(query) & {"created_from", "article", "section", "reason"}:
        assert "This filter is ignored." in response.content.decode()


def test_unknown_queue_and_bad_ids_are_not_found(client, moderator):
    client.force_login(moderator)

    assert client.get(desk("elsewhere")).status_code == 404
    assert (
        client.post(reverse("comments_desk_act", args=[987654]), {"action": "approve"}).status_code
        == 404
    )


def test_desk_page_query_count_does_not_grow_with_the_comments(
    client, moderator, article, comment_factory, django_assert_max_num_queries
):
    """The same number of queries for 2 cards as for 20 (the page size)."""

    def fill(n: int) -> None:
        for i in range(n):
            parent = comment_factory(article=article)
            c = comment_factory(
                article=article, parent=parent, status="pending", moderation_reasons=HELD
            )
            CommentReport.objects.create(comment=c, reason="spam", reporter=f"x{i}")
            CommentEvent.objects.create(
                comment=c, action="posted", to_status="pending", created_at=timezone.now()
            )

    client.force_login(moderator)
    fill(2)
    client.get(desk())  # warm the site root paths and the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert len(card_ids(client.get(desk()))) == 2
    fill(25)
    with CaptureQueriesContext(connection) as large:
        assert len(card_ids(client.get(desk()))) == 20
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(small.captured_queries) <= 25


def test_counts_on_the_dashboard_and_in_the_menu(client, moderator, pending, comment_factory):
    client.force_login(moderator)

    home = client.get(reverse("wagtailadmin_home")).content.decode()

    panel = soup(client.get(reverse("wagtailadmin_home"))).find(id="comment-desk-section")
    assert panel is not None
    assert "Pending" in panel.get_text() and "3" in panel.get_text()
    assert "Comment desk (3)" in home
    assert "Pending (3)" in home


def test_counts_are_cached_briefly_and_refreshed_by_a_desk_action(moderator, pending):
    assert desk_counts(user=moderator)["pending"] == 3
    Comment.objects.filter(pk=pending[0].pk).update(status="approved")
    assert desk_counts(user=moderator)["pending"] == 3  # cached
    desk_bulk(comment_ids=[pending[1].pk], action="spam", actor=moderator)
    assert desk_counts(user=moderator)["pending"] == 1


# --- Reported --------------------------------------------------------------------------------------


def test_three_reports_move_an_approved_comment_to_reported_and_a_decision_clears_it(
    client, moderator, article, comment_factory, site_settings
):
    comment = comment_factory(article=article)
    for n in range(2):
        comment_report(comment=comment, reporter=f"reader-{n}", reason="abuse")
    comment.refresh_from_db()
    assert comment.reported_at is None
    comment_report(comment=comment, reporter="reader-2", reason="spam")
    comment.refresh_from_db()
    assert comment.reported_at is not None
    assert comment.status == Comment.Status.APPROVED
    client.force_login(moderator)
    assert card_ids(client.get(desk("reported"))) == [comment.pk]

    act(client, comment, "approve")

    comment.refresh_from_db()
    assert comment.reported_at is None
    assert comment.status == Comment.Status.APPROVED
    assert card_ids(client.get(desk("reported"))) == []
    assert CommentEvent.objects.filter(comment=comment, action="approve", actor=moderator).exists()
    # The old reports do not bring it back; new ones count from the decision.
    comment_report(comment=comment, reporter="reader-3", reason="spam")
    comment.refresh_from_db()
    assert comment.reported_at is None


def test_the_reported_queues_bulk_action_says_keep_as_its_cards_do(
    client, moderator, article, comment_factory
):
    comment_factory(article=article, status="approved", reported_at=timezone.now())
    comment_factory(article=article, status="pending")
    client.force_login(moderator)

    page = soup(client.get(desk("reported")))

    options = [o.get_text() for o in page.select("#desk-bulk-action option")]
    card_buttons = [b.get_text(" ", strip=True) for b in page.select(".desk-card button")]
    assert options[0] == "Keep" and "Approve" not in options
    assert any(b.startswith("Keep") for b in card_buttons)
    pending = soup(client.get(desk("pending")))
    assert pending.select("#desk-bulk-action option")[0].get_text() == "Approve"


def test_reported_card_says_it_is_here_for_reports_not_for_its_old_hold_reasons(
    client, moderator, article, comment_factory
):
    """Issue 18: a reported comment's card still said "Why held" with the rules' reasons from
    when it was posted, although a moderator had approved it since."""
    links = [{"code": "links", "reason": "Held: 2 links; comments with 2 or more are held."}]
    comment = comment_factory(article=article, status="pending", moderation_reasons=links)
    client.force_login(moderator)
    act(client, comment, "approve")
    for n in range(3):
        comment_report(comment=comment, reporter=f"reader-{n}", reason="abuse")

    card = soup(client.get(desk("reported"))).find(id=f"card-{comment.pk}")
    facts = {
        dt.get_text(" ", strip=True): " ".join(dt.find_next_sibling("dd").get_text(" ").split())
        for dt in card.select(".desk-card__facts dt")
    }

    assert "Why held" not in facts
    assert facts["Why here"] == "Reported: 3 reader reports since a moderator approved it."
    assert facts["Rules when posted"] == "Held: 2 links; comments with 2 or more are held."


def test_held_card_still_says_why_it_is_held(client, moderator, pending):
    client.force_login(moderator)

    card = soup(client.get(desk("pending"))).find(id=f"card-{pending[0].pk}")

    labels = [dt.get_text(strip=True) for dt in card.select(".desk-card__facts dt")]
    assert labels[0] == "Why held"
    assert "Held: first comment from this address." in card.select_one("dd").get_text()


def test_reports_threshold_is_a_site_setting(article, comment_factory, site_settings):
    site_settings(reports_to_review=1)
    comment = comment_factory(article=article)

    comment_report(comment=comment, reporter="one", reason="off-topic")

    comment.refresh_from_db()
    assert comment.reported_at is not None


# --- Actions -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("hold", "pending"), ("spam", "spam"), ("trash", "trash")],
)
def test_card_actions_decide_log_and_return_to_the_next_card(
    client, moderator, pending, action, status, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    first, second = pending[0], pending[1]
    if action == "hold":
        Comment.objects.filter(pk=first.pk).update(status="approved")
    page = soup(client.get(desk("all" if action == "hold" else "pending")))
    next_value = page.find(id=f"card-{first.pk}").find("input", attrs={"name": "next"})["value"]

    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, first, action, next=next_value)

    assert response.status_code == 302
    assert response["Location"].endswith(f"#card-{second.pk}")
    first.refresh_from_db()
    assert first.status == status
    event = CommentEvent.objects.filter(comment=first).latest("pk")
    assert (event.actor, event.to_status) == (moderator, status)


def test_unknown_card_action_changes_nothing(client, moderator, pending):
    client.force_login(moderator)

    response = act(client, pending[0], "delete")

    assert response.status_code == 302
    pending[0].refresh_from_db()
    assert pending[0].status == Comment.Status.PENDING


def test_restore_puts_a_comment_back_where_it_was(client, moderator, article, comment_factory):
    approved = comment_factory(article=article)
    held = comment_factory(article=article, status="pending")
    client.force_login(moderator)
    act(client, approved, "trash")
    act(client, held, "spam")

    act(client, approved, "restore")
    act(client, held, "restore")

    approved.refresh_from_db()
    held.refresh_from_db()
    assert approved.status == Comment.Status.APPROVED
    assert held.status == Comment.Status.PENDING
    article.refresh_from_db()
    assert article.comment_count == 1


def test_desk_decisions_feed_the_learning_spam_filter(client, moderator, pending):
    client.force_login(moderator)
    act(client, pending[0], "approve")
    act(client, pending[1], "spam")
    desk_bulk(comment_ids=[pending[2].pk], action="spam", actor=moderator)

    texts, labels = comment_decisions("spam")

    decided = dict(zip(texts, labels, strict=True))
    assert decided[pending[0].body] == 0
    assert decided[pending[1].body] == 1
    assert decided[pending[2].body] == 1


def test_staff_edit_keeps_the_original_and_the_page_says_edited(
    client, moderator, article, comment_factory, django_capture_on_commit_callbacks
):
    comment = comment_factory(article=article, body="Teh council voted.")
    client.force_login(moderator)
    url = reverse("comments_desk_edit", args=[comment.pk])
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "The council voted.", "reason": "typo"})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "The council voted."
    assert CommentRevision.objects.get(comment=comment).body == "Teh council voted."
    assert CommentEvent.objects.filter(
        comment=comment, action="edited by staff", actor=moderator
    ).exists()
    page = soup(Client().get(article.url))
    assert page.select_one(f"#comment-{comment.pk} .comment-edited").get_text() == "Edited"
    # The snippet's edit view sends moderators to this form.
    snippet_edit = client.get(reverse("wagtailsnippets_comments_comment:edit", args=[comment.pk]))
    assert snippet_edit["Location"] == url


def test_empty_edit_is_refused_with_the_form_again(client, moderator, article, comment_factory):
    comment = comment_factory(article=article, body="Keep me.")
    client.force_login(moderator)

    response = client.post(reverse("comments_desk_edit", args=[comment.pk]), {"body": "   "})

    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.body == "Keep me."


def test_staff_reply_goes_through_comment_post_and_approves_the_held_parent(
    client, moderator, pending, django_capture_on_commit_callbacks
):
    moderator.first_name, moderator.last_name, moderator.email = (
        "Mo",
        "Derator",
        "mo@dateline.example",
    )
    moderator.save()
    client.force_login(moderator)
    parent = pending[0]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comments_desk_reply", args=[parent.pk]),
            {"body": "Thanks, we have corrected it."},
        )

    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert (reply.is_staff, reply.user, reply.status) == (True, moderator, "approved")
    assert reply.author_name == "Mo Derator"
    assert CommentEvent.objects.get(comment=reply, action="posted").rule == "staff"
    parent.refresh_from_db()
    assert parent.status == Comment.Status.APPROVED
    assert comment_ids_on(Client().get(parent.article.url)) == [parent.pk, reply.pk]


def test_empty_staff_reply_is_refused(client, moderator, pending):
    client.force_login(moderator)

    client.post(reverse("comments_desk_reply", args=[pending[0].pk]), {"body": " "})

    assert not Comment.objects.filter(parent=pending[0]).exists()
    pending[0].refresh_from_db()
    assert pending[0].status == Comment.Status.PENDING


def test_feature_from_the_card(client, moderator, article, comment_factory):
    comment = comment_factory(article=article)
    client.force_login(moderator)

    act(client, comment, "feature")

    comment.refresh_from_db()
    assert comment.featured_at is not None


# --- Bans --------------------------------------------------------------------------------------------


def test_banned_commenter_goes_to_spam_with_the_ban_in_the_reason(
    client, moderator, article, comment_factory, submission_factory
):
    offender = comment_factory(
        article=article, author_email="troll@example.org", ip_prefix="198.51.100.0/24"
    )
    client.force_login(moderator)

    response = client.post(
        reverse("comments_desk_ban", args=[offender.pk]),
        {"by_email": "on", "days": "7", "reason": "Repeated abuse"},
    )

    assert response.status_code == 302
    ban = CommentBan.objects.get()
    assert ban.email_key == "troll@example.org" and ban.ip_prefix == ""
    banned = comment_post(submission=submission_factory(email="Troll@example.org")).comment
    assert banned.status == Comment.Status.SPAM
    reason = banned.moderation_reasons[0]
    assert reason["code"] == "banned"
    assert reason["reason"].startswith(f"Banned until {ban.expires_at:%Y-%m-%d %H:%M} UTC:")
    assert "Repeated abuse" in reason["reason"]
    others = comment_post(submission=submission_factory(email="someone@example.org")).comment
    assert others.status != Comment.Status.SPAM


def test_network_ban_expires_and_can_be_lifted(moderator, article, submission_factory):
    ban = desk_ban(actor=moderator, reason="Flood", ip_prefix="203.0.113.0/24", days=1)
    assert comment_post(submission=submission_factory(ip="203.0.113.9")).comment.status == "spam"

    CommentBan.objects.filter(pk=ban.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert comment_post(submission=submission_factory(ip="203.0.113.9")).comment.status != "spam"


def test_staff_are_never_caught_by_a_ban(moderator, submission_factory):
    desk_ban(actor=moderator, reason="Test", ip_prefix="203.0.113.0/24")

    comment = comment_post(submission=submission_factory(is_staff=True, ip="203.0.113.9")).comment

    assert comment.status == Comment.Status.APPROVED


def test_the_ban_page_says_who_is_banned_and_until_when(
    client, moderator, article, comment_factory
):
    offender = comment_factory(
        article=article, author_email="troll@example.org", ip_prefix="198.51.100.0/24"
    )
    client.force_login(moderator)

    response = client.post(
        reverse("comments_desk_ban", args=[offender.pk]),
        {"by_email": "on", "by_network": "on", "days": "0", "reason": "Flood"},
        follow=True,
    )

    said = [str(m) for m in response.context["messages"]]
    assert said == [
        "Banned the address troll@example.org and the network 198.51.100.0/24, until lifted."
    ]


def test_no_network_ban_is_offered_when_no_network_was_kept(
    client, moderator, article, comment_factory
):
    offender = comment_factory(article=article, ip_prefix="")
    client.force_login(moderator)
    url = reverse("comments_desk_ban", args=[offender.pk])

    page = soup(client.get(url))
    labels = [label.get_text(" ", strip=True) for label in page.select("form label")]
    assert "Ban this email address" in labels
    assert "Ban this network" not in labels
    # A network ticked anyway (an old form) bans the address only; nothing is refused.
    assert (
        client.post(
            url, {"by_email": "on", "by_network": "on", "days": "7", "reason": "x"}
        ).status_code
        == 302
    )
    ban = CommentBan.objects.get()
    assert ban.ip_prefix == "" and ban.email_key == offender.email_key


def test_ban_needs_a_reason_and_a_target(client, moderator, article, comment_factory):
    offender = comment_factory(article=article)
    client.force_login(moderator)
    url = reverse("comments_desk_ban", args=[offender.pk])

    assert client.post(url, {"by_email": "on", "days": "7", "reason": ""}).status_code == 400
    assert client.post(url, {"days": "7", "reason": "x"}).status_code == 400
    assert client.post(url, {"by_email": "on", "days": "banana", "reason": "x"}).status_code == 400
    assert not CommentBan.objects.exists()


# --- Per-section desks ---------------------------------------------------------------------------


@pytest.fixture
def politics(home: Any) -> Any:
    from tests.factories import SectionPageFactory

    return SectionPageFactory(parent=home, title="Politics", slug="politics")


@pytest.fixture
def limited(moderator: Any, section: Any) -> Any:
    """A moderator who works only on the International section."""
    DeskAssignment.objects.create(user=moderator, section=section)
    return moderator


def test_limited_moderator_sees_and_acts_only_on_their_sections(
    client, limited, article, politics, article_factory, comment_factory
):
    mine = comment_factory(article=article, status="pending")
    elsewhere = comment_factory(
        article=article_factory(parent=politics, title="Budget", slug="budget"), status="pending"
    )
    client.force_login(limited)

    assert card_ids(client.get(desk())) == [mine.pk]
    assert desk_counts(user=limited)["pending"] == 1
    allowed = act(client, mine, "approve")
    denied = act(client, elsewhere, "approve")
    for name in ("comments_desk_edit", "comments_desk_ban"):
        assert client.get(reverse(name, args=[elsewhere.pk])).status_code == 404
    assert (
        client.post(reverse("comments_desk_reply", args=[elsewhere.pk]), {"body": "hi"}).status_code
        == 404
    )
    bulk = client.post(
        reverse("comments_desk_bulk"),
        {"action": "spam", "scope": "selected", "ids": [elsewhere.pk], "queue": "pending"},
    )
    client.post(
        reverse("comments_desk_bulk"),
        {"action": "spam", "scope": "all", "filters": "", "queue": "all"},
    )

    assert allowed.status_code == 302
    assert denied.status_code == 404
    assert bulk.status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.status == Comment.Status.PENDING
    mine.refresh_from_db()
    assert mine.status == Comment.Status.SPAM


def test_limited_moderator_through_a_group(
    client, moderator, section, politics, article_factory, comment_factory
):
    group = Group.objects.create(name="Politics desk")
    DeskAssignment.objects.create(group=group, section=politics)
    moderator.groups.add(group)
    budget = article_factory(parent=politics, title="Budget", slug="budget")
    theirs = comment_factory(article=budget, status="pending")
    comment_factory(article=article_factory(parent=section, title="X", slug="x"), status="pending")
    client.force_login(moderator)

    assert card_ids(client.get(desk())) == [theirs.pk]


def test_limited_moderator_in_the_api(
    client, limited, article, politics, article_factory, comment_factory
):
    mine = comment_factory(article=article, status="pending")
    elsewhere = comment_factory(
        article=article_factory(parent=politics, title="Budget", slug="budget"), status="pending"
    )
    client.force_login(limited)

    queue = client.get("/api/v1/moderation/comments/?status=pending")
    denied = client.post(f"/api/v1/moderation/comments/{elsewhere.pk}/approve/")
    allowed = client.post(f"/api/v1/moderation/comments/{mine.pk}/approve/")

    assert [c["id"] for c in queue.json()["results"]] == [mine.pk]
    assert denied.status_code == 404
    assert allowed.status_code == 200
    elsewhere.refresh_from_db()
    assert elsewhere.status == Comment.Status.PENDING


def test_only_administrators_manage_desk_assignments(client, moderator, section):
    admin = get_user_model().objects.create_user(username="chief", is_staff=True)
    admin.groups.add(Group.objects.get(name="Administrator"))
    url = reverse("wagtailsnippets_moderation_deskassignment:list")

    client.force_login(moderator)
    refused = client.get(url)
    client.force_login(admin)
    allowed = client.get(url)

    assert refused.status_code in (302, 403)
    assert allowed.status_code == 200


def test_reporter_cannot_use_the_desk(client, reporter, pending):
    client.force_login(reporter)

    response = client.get(desk())
    posted = act(client, pending[0], "approve")

    assert response.status_code in (302, 403)
    assert posted.status_code in (302, 403)
    pending[0].refresh_from_db()
    assert pending[0].status == Comment.Status.PENDING


# --- Workload ------------------------------------------------------------------------------------


def test_workload_shows_time_to_decision_per_moderator_and_overdue(
    client, moderator, article, comment_factory
):
    now = timezone.now()
    late = comment_factory(article=article, status="pending", created_at=now - timedelta(hours=30))
    quick = comment_factory(article=article, status="pending", created_at=now - timedelta(hours=2))
    for c in (late, quick):
        CommentEvent.objects.create(
            comment=c, action="posted", to_status="pending", created_at=c.created_at
        )
    client.force_login(moderator)
    act(client, quick, "approve")

    response = client.get(reverse("comments_desk_workload"))
    text = " ".join(soup(response).get_text(" ", strip=True).split())

    assert response.status_code == 200
    assert "Waiting longer than 24 hours: 1" in text
    assert "2.0 h" in text  # median time to decision
    assert f"{moderator.username} 1 1" in text  # today's column, then the total
    bad = client.get(reverse("comments_desk_workload"), {"days": "lots"})
    assert bad.status_code == 200


def test_workload_takes_its_target_from_the_site_settings(
    client, moderator, article, comment_factory
):
    from wagtail.models import Site

    from dateline.comments.models import CommentSettings

    comment_factory(
        article=article, status="pending", created_at=timezone.now() - timedelta(hours=16)
    )
    client.force_login(moderator)
    before = " ".join(soup(client.get(reverse("comments_desk_workload"))).get_text(" ").split())
    settings = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    settings.decision_target_hours = 12
    settings.save()
    after = " ".join(soup(client.get(reverse("comments_desk_workload"))).get_text(" ").split())

    assert "Waiting longer than 24 hours: 0" in before
    assert "Waiting longer than 12 hours: 1" in after


def test_workload_figures_replayed_from_the_log(moderator, article, comment_factory):
    """Three days of a desk with exact answers: queue size at the end of each day, time to
    decision, decisions per moderator per day (edits and bans are not decisions), overdue."""
    from datetime import datetime

    from dateline.moderation.desk_selectors import desk_workload

    def at(day: int, hour: int) -> datetime:
        return timezone.make_aware(datetime(2026, 11, day, hour))

    alice = get_user_model().objects.create_user("alice", "alice@newsroom.example", "pw")
    bob = get_user_model().objects.create_user("bob", "bob@newsroom.example", "pw")

    def comment(posted: datetime, *changes: tuple[datetime, Any, str, str]) -> None:
        status = changes[-1][3] if changes else "pending"
        c = comment_factory(
            article=article,
            status=status,
            created_at=posted,
            moderated_at=changes[-1][0] if changes else None,
        )
        CommentEvent.objects.create(
            comment=c, action="posted", to_status="pending", created_at=posted
        )
        state = "pending"
        for when, who, action, to_status in changes:
            CommentEvent.objects.create(
                comment=c,
                actor=who,
                action=action,
                from_status=state,
                to_status=to_status,
                created_at=when,
            )
            state = to_status

    comment(at(18, 9), (at(18, 10), alice, "approve", "approved"))  # 1 h
    comment(at(18, 10), (at(19, 10), bob, "trash", "trash"))  # 24 h
    comment(
        at(19, 8),
        (at(19, 11), alice, "approve", "approved"),  # 3 h
        (at(19, 12), alice, "edited by staff", "approved"),
        (at(19, 13), alice, "ban", "approved"),
    )
    comment(at(19, 20))  # waits 16 h at noon on the 20th
    comment(at(20, 11))  # waits 1 h

    def workload(target: int) -> Any:
        return desk_workload(user=moderator, target_hours=target, days=3, now=at(20, 12))

    w = workload(24)
    assert [d.day for d in w.days] == [18, 19, 20]
    assert [n for _, n in w.queue_sizes] == [1, 1, 2]
    assert w.decided == 3
    assert w.median_hours == pytest.approx(3.0)
    assert w.p95_hours == pytest.approx(24.0)
    assert w.decisions == [("alice", [1, 1, 0], 2), ("bob", [0, 1, 0], 1)]
    assert w.overdue_count == 0
    assert workload(12).overdue_count == 1
    assert workload(12).target_hours == 12


def test_a_held_comment_offers_no_hold_button_in_any_queue(client, moderator, pending):
    """A "Hold" on a comment that is held already changed nothing and said "Hold: comment by …"
    as if it had: the Pending queue (its cards and its bulk actions) and a held card in All
    offer it no more; an approved card in All still does."""
    client.force_login(moderator)
    approved = pending[1]
    Comment.objects.filter(pk=approved.pk).update(status="approved")

    def buttons(page: Any, comment: Comment) -> list[str]:
        card = page.find(id=f"card-{comment.pk}")
        return [b["value"] for b in card.select("button[name=action]")]

    queue = soup(client.get(desk("pending")))
    assert "hold" not in buttons(queue, pending[0])
    bulk = [o["value"] for o in queue.select("#desk-bulk-action option")]
    assert bulk == ["approve", "spam", "trash"]
    everything = soup(client.get(desk("all")))
    assert "hold" not in buttons(everything, pending[0])
    assert "hold" in buttons(everything, approved)


def test_a_right_to_left_comment_reads_in_its_own_direction_on_the_card(
    client, moderator, article, comment_factory
):
    """An Arabic comment on the (left-to-right) desk: its text, the name and the text it
    answers take their direction from themselves, so the full stop ends the sentence on the
    left instead of starting it on the right (".أتفق معك")."""
    client.force_login(moderator)
    parent = comment_factory(article=article, author_name="ريم ع.", body="موضوع مهم جداً.")
    comment = comment_factory(
        article=article,
        parent=parent,
        author_name="خالد م.",
        status=Comment.Status.PENDING,
        body="أتفق معك.",
    )

    card = soup(client.get(desk("pending"))).find(id=f"card-{comment.pk}")

    assert card.select_one(".desk-card__body")["dir"] == "auto"
    assert card.select_one(".desk-card__title bdi").get_text() == "خالد م."
    assert card.select_one(".desk-card__parent [dir=auto]").get_text(strip=True)
    assert card.select_one(".desk-card__parent .desk-label bdi").get_text() == "ريم ع."


def test_a_name_ending_in_a_full_stop_gets_no_second_one_in_the_message(client, moderator, pending):
    client.force_login(moderator)
    Comment.objects.filter(pk=pending[0].pk).update(author_name="Graham T.")

    response = act(client, pending[0], "approve", next=desk("pending"))

    # The message's text, less the Undo button that follows it.
    said = [
        BeautifulSoup(str(m), "html.parser").get_text(" ", strip=True)
        for m in get_messages(response.wsgi_request)
    ]
    assert said == ["Approve: comment by Graham T. Undo z"]


@pytest.mark.parametrize("earlier", ["spam", "trash"])
def test_a_ban_can_take_the_commenters_earlier_comments_down_with_it(
    client, moderator, article, comment_factory, earlier
):
    """Banning a spammer left their twenty comments up and in the queue, each to be found and
    marked by hand; the ban form now offers to mark them as spam or trash them."""
    held = comment_factory(
        article=article, author_email="flood@example.org", status=Comment.Status.PENDING
    )
    up = comment_factory(
        article=article, author_email="flood@example.org", status=Comment.Status.APPROVED
    )
    other = comment_factory(article=article, author_email="reader@example.org")
    client.force_login(moderator)
    url = reverse("comments_desk_ban", args=[held.pk])

    page = soup(client.get(url))
    assert "1 held, 1 published" in page.find(id="ban-earlier-help").get_text()
    response = client.post(
        url, {"by_email": "on", "days": "7", "reason": "Link farm", "earlier": earlier}, follow=True
    )

    said = [str(m) for m in response.context["messages"]]
    done = "marked as spam" if earlier == "spam" else "moved to the trash"
    assert said[0].endswith(f"2 of their comments {done}.")
    for comment in (held, up, other):
        comment.refresh_from_db()
    assert held.status == up.status == earlier
    assert other.status == Comment.Status.APPROVED
    event = held.events.order_by("-pk").first()
    assert (event.actor, event.reason) == (moderator, "Commenter banned: Link farm")


def test_a_ban_leaves_the_earlier_comments_alone_unless_asked(
    client, moderator, article, comment_factory
):
    held = comment_factory(
        article=article, author_email="flood@example.org", status=Comment.Status.PENDING
    )
    client.force_login(moderator)

    client.post(
        reverse("comments_desk_ban", args=[held.pk]),
        {"by_email": "on", "days": "7", "reason": "Link farm", "earlier": ""},
    )

    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING
    assert CommentBan.objects.count() == 1
