"""The moderation policy through services.comment_post (and the form and the API where it
matters): WordPress's defaults, word lists, links and addresses, who may comment, Coral's
pre-moderation, trust and history, and moderators' hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from dateline.comments.models import Comment, CommentEvent
from dateline.comments.services import (
    CommentRefused,
    CommentsClosed,
    comment_moderate,
    comment_post,
)
from dateline.core.wordlists import compiled, parse
from dateline.moderation.models import ArticlePolicy, SectionPolicy


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


def test_link_reason_says_how_many_links_hold_a_comment(submission_factory, section):
    """Issue 18: "Held: 2 links (the limit is 2)" read as if 2 were allowed."""
    comment_moderate(comment=post(submission_factory()), action="approve")

    two = post(submission_factory(body="See harbour.com and seawall.org"))
    SectionPolicy.objects.create(section=section, hold_links=3)
    three = post(submission_factory(body="Compare harbour.com, seawall.org and tides.net"))

    assert "Held: 2 links; comments with 2 or more are held." in reasons(two)
    section_says = "Held: 3 links; comments with 3 or more are held (section “International”)."
    assert section_says in reasons(three)


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


# --- Word lists ---------------------------------------------------------------------------------


def reasons(comment: Comment) -> str:
    return " ".join(r["reason"] for r in comment.moderation_reasons)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Try the CASINO tonight", "casino"),
        ("Cäsïno nights", "casino"),
        ("ｃａｓｉｎｏ", "casino"),
        ("casinos and more", "casin*"),
        ("get FREE -- money!", "free money"),
        ("c4s1no deals", "/c[a4]s[i1]no/"),
        ("I blog with WordPress", None),
        ("press release", "press"),
        ("cash is fine", None),
    ],
)
def test_word_lists_match_whole_words_and_phrases_folded(text, entry):
    words = compiled("casino\ncasin*\nfree money\n/c[a4]s[i1]no/\npress\n# a comment line")

    assert words.first_match(text) == entry


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("/[unclosed/", "not a valid regular expression"),
        ("/(a+)+/", "repeats a group"),
        ("/x*/", "matches an empty text"),
        ("ca*sino", "may only end a word"),
    ],
)
def test_bad_word_list_entries_are_refused_with_a_message(entry, message):
    with pytest.raises(ValidationError, match=message):
        parse(f"casino\n{entry}")


def test_word_list_compiles_once_per_version():
    assert compiled("casino") is compiled("casino")
    assert compiled("casino") is not compiled("casino\npoker")


def test_disallowed_word_marks_spam_and_names_the_entry(submission_factory, site_settings):
    site_settings(disallowed_words="casino\nfree money")

    comment = post(submission_factory(body="Best Casino odds here"))

    assert comment.status == Comment.Status.SPAM
    assert "disallowed_words" in codes(comment)
    assert "word “casino” on the disallowed list" in reasons(comment)


def test_moderation_word_holds_even_a_known_commenter(submission_factory, site_settings):
    comment_moderate(comment=post(submission_factory()), action="approve")
    site_settings(moderation_words="lawsuit")

    held = post(submission_factory(body="There will be a Lawsuit, mark my words."))
    fine = post(submission_factory(body="The lawsuits page is elsewhere."))

    assert held.status == Comment.Status.PENDING
    assert "Held: word “lawsuit” on the suspect list." in reasons(held)
    assert fine.status == Comment.Status.APPROVED


def test_section_words_add_to_the_sites(submission_factory, site_settings, section):
    site_settings(moderation_words="lawsuit")
    SectionPolicy.objects.create(section=section, moderation_words="ferry")
    comment_moderate(comment=post(submission_factory()), action="approve")

    assert post(submission_factory(body="The ferry again")).status == Comment.Status.PENDING
    assert post(submission_factory(body="A lawsuit again")).status == Comment.Status.PENDING


def test_bad_regex_is_refused_in_the_admin_form_with_a_message(admin_client, section):
    response = admin_client.post(
        "/admin/snippets/moderation/sectionpolicy/add/",
        {"section": section.pk, "moderation_words": "casino\n/c[a4/", "timezone": "Europe/London",
         "outside_hours": "pre"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "is not a valid regular expression" in response.content.decode()
    assert not SectionPolicy.objects.exists()


# --- Links and addresses ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "spam"),
    [
        ("Look at https://win.casino.com/now", True),
        ("Look at Casino.com today", True),
        ("Look at https://notcasino.com", False),
    ],
)
def test_blocked_link_domain_and_its_subdomains_mark_spam(
    submission_factory, site_settings, body, spam
):
    site_settings(blocked_link_domains="casino.com\n*.pills.example")

    comment = post(submission_factory(body=body))

    assert (comment.status == Comment.Status.SPAM) is spam
    if spam:
        assert "Spam: links to casino.com, a blocked domain." in reasons(comment)


def test_disposable_address_is_held_with_the_domain(submission_factory):
    comment = post(submission_factory(email="someone@mailinator.com"))

    assert comment.status == Comment.Status.PENDING
    assert "Held: disposable email address (mailinator.com)." in reasons(comment)


# --- Who may comment -------------------------------------------------------------------------------


def test_signed_in_only_refuses_anonymous_readers_through_form_and_api(
    client, post_comment, article, site_settings
):
    site_settings(signed_in_only=True)

    form = post_comment(comment="Let me in.")
    api = client.post(
        f"/api/v1/articles/{article.pk}/comments/",
        {"comment": "Let me in.", "author": "Ada", "email": "ada@example.org"},
        content_type="application/json",
    )

    assert form.status_code == 403
    assert "Let me in." in form.content.decode()  # the text is kept
    assert "Only signed-in readers" in form.content.decode()
    assert api.status_code == 403
    assert not Comment.objects.exists()
    assert "Only signed-in readers" in client.get(article.url).content.decode()


def test_name_and_email_can_be_made_optional(post_comment, site_settings):
    site_settings(require_name_email=False)

    response = post_comment(comment="No name today.", author="", email="")

    assert response.status_code == 303
    assert Comment.objects.get().author_name == "Anonymous"


def test_comment_over_the_sites_length_comes_back_with_the_error_at_the_field(
    post_comment, site_settings
):
    site_settings(max_length=20)

    response = post_comment(comment="This is rather longer than twenty characters.")

    assert response.status_code == 400
    assert "the limit here is 20" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_close_on_articles_older_than_n_days(submission_factory, site_settings, article):
    site_settings(close_after_days=14)
    article.first_published_at = timezone.now() - timedelta(days=15)
    article.save()

    with pytest.raises(CommentsClosed, match="14 days"):
        comment_post(submission=submission_factory())


def test_articles_younger_than_n_days_still_take_comments(
    submission_factory, site_settings, article
):
    site_settings(close_after_days=14)
    article.first_published_at = timezone.now() - timedelta(days=13)
    article.save()

    comment = post(submission_factory())

    assert comment.pk is not None
    assert comment.status == Comment.Status.PENDING  # first comment: held, but taken
    assert codes(comment) == ["first_comment"]


def test_signed_in_reader_may_comment_when_signed_in_only(client, post_comment, site_settings):
    from django.contrib.auth import get_user_model

    site_settings(signed_in_only=True)
    reader = get_user_model().objects.create_user("ada", "ada@example.org", "not-a-password")
    client.force_login(reader)

    response = post_comment(comment="Signed in, and here is my view.", client=client)

    assert response.status_code == 303
    assert Comment.objects.get().body == "Signed in, and here is my view."


@pytest.mark.parametrize(
    "body", ["A clean remark about the harbour.", "I build our site with WordPress."]
)
def test_text_without_a_listed_word_passes_the_word_lists(submission_factory, site_settings, body):
    comment_moderate(comment=post(submission_factory()), action="approve")  # a known commenter
    site_settings(disallowed_words="casino\npress", moderation_words="free money\nharbor*")

    comment = post(submission_factory(body=body))

    assert comment.status == Comment.Status.APPROVED
    assert not {"disallowed_words", "moderation_words"} & set(codes(comment))


# --- Coral: pre-moderation, trust, history, repeats --------------------------------------------------


def test_section_pre_moderation_holds_a_known_commenter_and_an_article_can_lift_it(
    submission_factory, section, article
):
    comment_moderate(comment=post(submission_factory()), action="approve")
    SectionPolicy.objects.create(section=section, moderation="pre")

    held = post(submission_factory())
    ArticlePolicy.objects.create(article=article, moderation="post")
    published = post(submission_factory())

    assert held.status == Comment.Status.PENDING
    assert "Held: pre-moderation (section “International”)." in reasons(held)
    assert published.status == Comment.Status.APPROVED


def test_site_pre_moderation_holds_everything(submission_factory, site_settings):
    comment_moderate(comment=post(submission_factory()), action="approve")
    site_settings(premoderate=True)

    assert "premoderation" in codes(post(submission_factory()))


def test_coral_trust_after_two_approved_comments(submission_factory, site_settings):
    site_settings(trust_after_approved=2)
    comment_moderate(comment=post(submission_factory()), action="approve")

    second = post(submission_factory())
    assert second.status == Comment.Status.PENDING
    assert "1 of 2 comments approved" in reasons(second)

    comment_moderate(comment=second, action="approve")
    third = post(submission_factory())

    assert third.status == Comment.Status.APPROVED


def test_commenter_with_mostly_rejected_recent_comments_goes_back_to_pre_moderation(
    submission_factory,
):
    first = post(submission_factory())
    comment_moderate(comment=first, action="approve")
    for _ in range(2):
        comment_moderate(comment=post(submission_factory()), action="spam")

    comment = post(submission_factory())

    assert comment.status == Comment.Status.PENDING
    assert "2 of this commenter's 3 comments in the last 7 days were rejected" in reasons(comment)


def test_old_rejections_are_forgiven(submission_factory):
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        comment_moderate(comment=post(submission_factory()), action="approve")
        for _ in range(2):
            comment_moderate(comment=post(submission_factory()), action="spam")

    assert post(submission_factory()).status == Comment.Status.APPROVED


def test_same_text_on_another_article_is_held(submission_factory, other_article):
    comment_moderate(comment=post(submission_factory()), action="approve")
    text = "Buy my book about harbours, link in bio."
    post(submission_factory(body=text))

    repeat = post(submission_factory(body=text, article=other_article))

    assert repeat.status == Comment.Status.PENDING
    assert "the same text was posted on another article" in reasons(repeat)


def test_same_text_again_outside_the_window_or_with_the_rule_off_is_not_a_repeat(
    submission_factory, other_article, site_settings
):
    text = "The council should publish the harbour survey in full."
    with time_machine.travel(timezone.now() - timedelta(hours=25)):
        comment_moderate(comment=post(submission_factory()), action="approve")
        post(submission_factory(body=text))

    outside_window = post(submission_factory(body=text, article=other_article))
    site_settings(repeat_window_hours=0)
    rule_off = post(submission_factory(body=f"{text} Really."))
    post(submission_factory(body=f"{text} Really.", article=other_article))
    rule_off_again = Comment.objects.filter(body=f"{text} Really.", article=other_article).get()

    assert "repeat_post" not in codes(outside_window)
    assert outside_window.status == Comment.Status.APPROVED
    assert rule_off.status == Comment.Status.APPROVED
    assert "repeat_post" not in codes(rule_off_again)
    assert rule_off_again.status == Comment.Status.APPROVED


# --- Moderation hours --------------------------------------------------------------------------------

MONDAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 12:00 in London
MONDAY_NIGHT = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
SATURDAY = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def staffed_section(section):
    return SectionPolicy.objects.create(
        section=section,
        staffed_days="mon-fri",
        staffed_from=time(7, 0),
        staffed_until=time(22, 0),
        timezone="Europe/London",
        outside_hours="pre",
    )


def test_outside_staffed_hours_comments_are_held_with_the_reason(
    submission_factory, staffed_section
):
    comment_moderate(comment=post(submission_factory()), action="approve")

    with time_machine.travel(MONDAY_NOON, tick=False):
        day = post(submission_factory())
    with time_machine.travel(MONDAY_NIGHT, tick=False):
        night = post(submission_factory())
    with time_machine.travel(SATURDAY, tick=False):
        weekend = post(submission_factory())

    assert day.status == Comment.Status.APPROVED
    assert night.status == weekend.status == Comment.Status.PENDING
    assert "outside the desk's hours" in reasons(night)


def test_closed_outside_hours_refuses_with_when_it_reopens(post_comment, staffed_section, article):
    staffed_section.outside_hours = "close"
    staffed_section.save()

    with time_machine.travel(MONDAY_NIGHT, tick=False):
        response = post_comment(comment="Late thoughts.")

    assert response.status_code == 403
    assert "closed until Tuesday 07:00 London time" in response.content.decode()
    assert "Late thoughts." in response.content.decode()
    assert not Comment.objects.exists()


def test_readers_see_the_staffed_hours_near_the_form(client, staffed_section, article):
    page = client.get(article.url).content.decode()

    assert (
        "Comments are moderated from 07:00 to 22:00 London time, Monday to Friday; "
        "outside those hours yours will appear after review."
    ) in page


def test_article_can_ignore_its_sections_hours(submission_factory, staffed_section, article):
    comment_moderate(comment=post(submission_factory()), action="approve")
    ArticlePolicy.objects.create(article=article, ignore_hours=True)

    with time_machine.travel(MONDAY_NIGHT, tick=False):
        assert post(submission_factory()).status == Comment.Status.APPROVED


def test_refused_comment_is_not_stored(submission_factory, site_settings):
    site_settings(max_length=5)

    with pytest.raises(CommentRefused):
        comment_post(submission=submission_factory(body="Too long for this site."))
    assert not Comment.objects.exists()


def test_the_api_and_the_form_share_the_rules(client, post_comment, article, site_settings):
    site_settings(disallowed_words="casino")

    form = post_comment(comment="Casino night!", email="form@example.org")
    api = client.post(
        f"/api/v1/articles/{article.pk}/comments/",
        {"comment": "CASINO night!", "author": "Ada", "email": "api@example.org"},
        content_type="application/json",
    )

    assert form.status_code == 303
    assert api.status_code == 201
    assert api.json()["status"] == "pending"  # spam is "pending" to its author
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.SPAM}


def test_bad_regex_in_the_sites_settings_is_refused_at_the_field(site_settings):
    settings_row = site_settings()
    settings_row.disallowed_words = "/(unclosed/"

    with pytest.raises(ValidationError) as caught:
        settings_row.full_clean()

    assert "disallowed_words" in caught.value.message_dict
