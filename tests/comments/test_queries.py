"""A page of the thread costs a fixed number of queries, however long the conversation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.comments.selectors import comment_thread_page
from dateline.comments.services import comment_counts_refresh, comment_settings_for, email_key_for
from dateline.comments.text import body_fingerprint

from .conftest import comment_ids_on, soup, tree_segment

# Measured on SQLite: the article page 21 queries for its first page of comments and 20 for a
# later one (no editors' picks there), for 10 and for 300 comments alike; the thread selector 4,
# plus 2 to find the site's comment settings (the site, then its row).
THREAD_QUERIES = 4
SETTINGS_LOOKUP = 2


def grow_thread(article, *, count: int, start: int = 0) -> int:
    """``count`` more approved comments in threads of three (a top-level comment, a reply and a
    reply to that), bulk-created as the demo loader does (path, thread, depth by hand)."""
    base = timezone.now() - timedelta(days=2)
    rows: list[Comment] = []
    for n in range(start, start + (count + 2) // 3):
        parent = None
        for depth in range(min(3, start * 3 + count - n * 3)):
            when = base + timedelta(seconds=n * 3 + depth)
            segment = tree_segment(when)
            email = f"reader{n}-{depth}@example.org"
            body = f"Comment {n}.{depth}: the wall, the beach and the budget."
            comment = Comment(
                article=article,
                parent=parent,
                path=f"{parent.path}/{segment}" if parent else segment,
                thread=parent.thread if parent else segment,
                depth=depth,
                status=Comment.Status.APPROVED,
                author_name=f"Reader {n}.{depth}",
                author_email=email,
                email_key=email_key_for(email=email, user_id=None),
                author_url="https://reader.example.org" if depth == 1 else "",
                body=body,
                body_hash=body_fingerprint(body),
                created_at=when,
                likes_count=n % 7,
            )
            rows.append(comment)
            parent = comment
    # A level at a time, so each reply's parent has its id when the reply is written.
    for depth in range(3):
        Comment.objects.bulk_create([c for c in rows if c.depth == depth])
    comment_counts_refresh(article_id=article.pk)
    return len(rows)


def top_level_on(response) -> list:
    return soup(response).select("ol.comment-list > li.comment")


def queries_for(client, url: str) -> tuple[int, object]:
    assert client.get(url).status_code == 200  # the site root and settings rows exist now
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("query", ["", "?corder=liked", "?corder=newest"])
def test_article_page_costs_the_same_queries_for_10_and_300_comments(
    client, article, settings, query
):
    settings.DATELINE_PAGE_CACHE = False
    grow_thread(article, count=10)  # threads of 3, 3, 3 and 1
    small, small_page = queries_for(client, article.url + query)

    grow_thread(article, count=290, start=4)
    large, large_page = queries_for(client, article.url + query)

    assert Comment.objects.count() == 300
    assert len(comment_ids_on(small_page)) == 10
    assert len(top_level_on(large_page)) == 50  # a page of threads, with their replies
    assert len(comment_ids_on(large_page)) > 140
    assert large == small, f"{small} queries for 10 comments, {large} for 300"


def test_a_later_page_costs_the_same_for_a_short_and_a_long_thread(
    client, article, settings, site_settings
):
    settings.DATELINE_PAGE_CACHE = False
    site_settings(page_size=5)
    grow_thread(article, count=18)  # two pages of threads
    small, _ = queries_for(client, article.url + "?cpage=2")

    grow_thread(article, count=282, start=6)
    large, page = queries_for(client, article.url + "?cpage=2")

    assert "Comments page 2 of 20" in page.content.decode()
    assert large == small, f"{small} queries for 18 comments, {large} for 300"


def test_article_page_with_a_reply_form_costs_no_query_per_comment(client, article, settings):
    settings.DATELINE_PAGE_CACHE = False
    grow_thread(article, count=10)
    target = Comment.objects.filter(depth=1).first()
    small, _ = queries_for(client, f"{article.url}?replytocom={target.pk}")

    grow_thread(article, count=290, start=4)
    large, page = queries_for(client, f"{article.url}?replytocom={target.pk}")

    assert large == small
    assert "Leave a Reply to" in page.content.decode()


def test_thread_selector_reads_a_page_in_four_queries_whatever_the_size(
    article, django_assert_max_num_queries
):
    grow_thread(article, count=10)
    site_settings = comment_settings_for(article)
    with django_assert_max_num_queries(THREAD_QUERIES):
        small = comment_thread_page(article=article, site_settings=site_settings)

    grow_thread(article, count=290, start=4)
    with CaptureQueriesContext(connection) as with_lookup:
        comment_thread_page(article=article)
    with django_assert_max_num_queries(THREAD_QUERIES):
        large = comment_thread_page(article=article, site_settings=site_settings)

    assert len(small.nodes) == 4
    assert len(large.nodes) == 50
    assert len(with_lookup) <= THREAD_QUERIES + SETTINGS_LOOKUP


def test_reading_the_tree_is_one_ordered_query_on_path(article):
    grow_thread(article, count=9)

    with CaptureQueriesContext(connection) as captured:
        page = comment_thread_page(article=article, site_settings=comment_settings_for(article))

    # Three threads, each a comment, a reply and a reply to the reply.
    assert [[len(n.children), len(n.children[0].children)] for n in page.nodes] == [[1, 1]] * 3

    reply_queries = [q["sql"] for q in captured if '"comments_comment"."thread" IN' in q["sql"]]
    assert len(reply_queries) == 1
    assert (
        reply_queries[0]
        .rstrip()
        .endswith('ORDER BY "comments_comment"."thread" ASC, "comments_comment"."path" ASC')
    )


# A held comment through the form, caches warm (measured on SQLite): the article, unless under a
# view restriction (1), the rate counters read before screening (1), the desk's bans (1), the
# commenter's history for every history rule (1), the write (savepoint, the counters' upsert,
# comment, log entry, release: 5) and the redirect's page of the thread (1). With Redis the
# counters are one round trip to Redis instead of the read and the upsert. The site's settings
# and the section and article policies come from the cache. A double submit is found by the
# unique constraints when its insert fails, not by a query before every new comment.
POST_QUERIES = 10


def post_measured(article, post_comment, django_assert_num_queries, settings) -> None:
    """Two held comments through the form, each in exactly POST_QUERIES statements, with a
    section and an article policy, a 30-comment thread and warm caches."""
    from dateline.moderation.models import ArticlePolicy, SectionPolicy

    SectionPolicy.objects.create(section_id=article.section_id, moderation_words="lawsuit")
    ArticlePolicy.objects.create(article=article, hold_links=3)
    post_comment(comment="Warming the caches.")
    grow_thread(article, count=30)

    expected = POST_QUERIES - 2 * ("django_redis" in settings.CACHES["default"]["BACKEND"])
    for n in range(2):
        with django_assert_num_queries(expected):
            response = post_comment(comment=f"Measured remark {n}.", email=f"r{n}@example.org")
        assert response.status_code == 303


def test_posting_a_comment_costs_a_fixed_number_of_queries(
    post_comment, comment_factory, article, django_assert_num_queries, settings
):
    post_measured(article, post_comment, django_assert_num_queries, settings)
