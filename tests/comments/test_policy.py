"""The default moderation policy, as WordPress ships it, through services.comment_post."""

from __future__ import annotations

import pytest

from dateline.comments.models import Comment, CommentEvent
from dateline.comments.services import CommentsClosed, comment_moderate, comment_post


def codes(comment: Comment) -> list[str]:
    return [reason["code"] for reason in comment.moderation_reasons]


def post(submission) -> Comment:
    comment = comment_post(submission=submission).comment
    comment.refresh_from_db()
    return comment


def test_first_time_commenter_is_held_with_the_reason_stored(submission_factory):
    comment = post(submission_factory())

    assert comment.status == Comment.Status.PENDING
    assert "first_comment" in codes(comment)
    assert comment.moderated_at is None


def test_commenter_with_an_approved_comment_is_published_at_once(submission_factory):
    first = post(submission_factory())
    held_again = post(submission_factory())
    comment_moderate(comment=first, action="approve")

    second = post(submission_factory())

    assert held_again.status == Comment.Status.PENDING
    assert second.status == Comment.Status.APPROVED
    assert "first_comment" not in codes(second)


def test_known_commenter_is_recognised_by_email_whatever_its_case(submission_factory):
    comment_moderate(comment=post(submission_factory(email="Ada@Example.org")), action="approve")

    comment = post(submission_factory(email="  ada@EXAMPLE.org "))

    assert comment.status == Comment.Status.APPROVED


def test_spam_or_trash_does_not_make_a_known_commenter(submission_factory):
    comment_moderate(comment=post(submission_factory()), action="spam")
    comment_moderate(comment=post(submission_factory()), action="trash")

    comment = post(submission_factory())

    assert comment.status == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("body", "held"),
    [
        ("Details at https://harbour.example.org/plan only.", False),
        ("See https://harbour.example.org/plan and www.council.example.com/minutes", True),
        ("Compare harbour.com, seawall.org and tides.net", True),
    ],
    ids=["one-link", "two-links", "three-bare-domains"],
)
def test_comment_with_two_or_more_links_is_held_even_for_a_known_commenter(
    submission_factory, body, held
):
    comment_moderate(comment=post(submission_factory()), action="approve")

    comment = post(submission_factory(body=body))

    assert comment.status == (Comment.Status.PENDING if held else Comment.Status.APPROVED)
    assert ("links" in codes(comment)) is held


def test_link_limit_follows_the_site_setting(submission_factory, site_settings):
    comment_moderate(comment=post(submission_factory()), action="approve")
    site_settings(hold_links=0)

    comment = post(submission_factory(body="a.com b.com c.com d.com"))

    assert comment.status == Comment.Status.APPROVED


def test_staff_comment_is_approved_at_once(submission_factory, staff_user):
    comment = post(
        submission_factory(
            name="Dana Desk",
            email=staff_user.email,
            user_id=staff_user.pk,
            is_staff=True,
            body="Editor's note: see https://a.example.com and https://b.example.com",
        )
    )

    assert comment.status == Comment.Status.APPROVED
    assert comment.is_staff
    assert codes(comment) == ["staff"]


def test_every_post_writes_a_moderation_event(submission_factory):
    held = post(submission_factory())
    comment_moderate(comment=held, action="approve")
    approved = post(submission_factory())

    events = list(CommentEvent.objects.filter(action="posted").order_by("pk"))

    assert [(e.comment_id, e.to_status) for e in events] == [
        (held.pk, "pending"),
        (approved.pk, "approved"),
    ]
    assert "first_comment" in events[0].rule
    assert events[0].reason
    assert CommentEvent.objects.filter(
        comment=held, action="approve", from_status="pending", to_status="approved"
    ).exists()


def test_approving_and_removing_keep_the_article_count(submission_factory, article):
    comment = post(submission_factory())
    article.refresh_from_db()
    assert article.comment_count == 0

    comment_moderate(comment=comment, action="approve")
    article.refresh_from_db()
    assert article.comment_count == 1

    comment_moderate(comment=comment, action="trash")
    article.refresh_from_db()
    assert article.comment_count == 0


def test_closed_article_takes_no_comment_through_the_service(submission_factory, article):
    article.comment_status = "closed"
    article.save()

    with pytest.raises(CommentsClosed):
        comment_post(submission=submission_factory())
    assert not Comment.objects.exists()
