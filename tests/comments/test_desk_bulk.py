"""Bulk decisions at the desk: chunks that each commit on their own, a job with progress for
large filters, readers posting while a job runs (issue 4: 10,000 comments while readers post, no
error, no long lock)."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dateline.comments.models import Comment, CommentEvent
from dateline.comments.services import comment_post, decisions
from dateline.moderation import desk
from dateline.moderation.desk import desk_bulk, desk_bulk_job_process
from dateline.moderation.models import DeskBulkJob

from .conftest import ORIGIN, POST_URL, form_data


def make_pending(article: Any, n: int) -> list[int]:
    """``n`` held comments written in one statement (the factory would take too long)."""
    now = timezone.now()
    rows = [
        Comment(
            article=article,
            path=f"{n:06d}{i:010d}",
            thread=f"{n:06d}{i:010d}",
            status=Comment.Status.PENDING,
            author_name=f"Reader {i}",
            author_email=f"r{i}@example.org",
            email_key=f"r{i}@example.org",
            body=f"Held remark {i}.",
            body_hash=f"h{n}-{i}",
            created_at=now,
        )
        for i in range(n)
    ]
    return [c.pk for c in Comment.objects.bulk_create(rows)]


def test_bulk_runs_in_chunks_each_with_a_constant_number_of_queries(moderator, article):
    ids = make_pending(article, 25)
    done: list[int] = []

    with CaptureQueriesContext(connection) as queries:
        result = desk_bulk(
            comment_ids=ids,
            action="approve",
            actor=moderator,
            chunk_size=10,
            after_chunk=lambda total: done.append(total.processed),
        )

    assert (result.changed, result.chunks) == (25, 3)
    assert done == [10, 20, 25]
    assert Comment.objects.filter(pk__in=ids, status="approved").count() == 25
    assert (
        CommentEvent.objects.filter(comment_id__in=ids, action="approve", actor=moderator).count()
        == 25
    )
    article.refresh_from_db()
    assert article.comment_count == 25
    # Statements per chunk do not grow with the chunk (savepoints, select, update, events, recount).
    per_chunk = len(queries.captured_queries) / 3
    assert per_chunk < 15


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_chunk_commits_and_a_reader_posts_between_chunks(
    moderator, article, submission_factory
):
    """Run the job in a thread; between its chunks a reader's comment is written. The reader
    never waits for the whole job, and what each chunk decided is committed before the next."""
    ids = make_pending(article, 30)
    chunk_done = threading.Event()
    reader_done = threading.Event()
    committed_after_first: list[int] = []
    posted: list[Comment] = []

    def after_chunk(total: Any) -> None:
        if total.chunks == 1:
            chunk_done.set()
            reader_done.wait(timeout=20)

    def job() -> None:
        try:
            desk_bulk(
                comment_ids=ids,
                action="spam",
                actor=moderator,
                chunk_size=10,
                after_chunk=after_chunk,
            )
        finally:
            connection.close()

    worker = threading.Thread(target=job)
    worker.start()
    assert chunk_done.wait(timeout=20)
    committed_after_first.append(Comment.objects.filter(pk__in=ids, status="spam").count())
    posted.append(
        comment_post(submission=submission_factory(body="Posted during the bulk job.")).comment
    )
    reader_done.set()
    worker.join(timeout=60)

    assert committed_after_first == [10]
    assert posted[0].pk is not None
    assert Comment.objects.filter(pk__in=ids, status="spam").count() == 30


# --- 10,000 comments while readers post (issue 4) ------------------------------------------------

READER_INTERVAL = 0.05  # a reader's post every 50 ms, as in bench/moderation_bulk_bench.py


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_thousand_comments_are_moderated_while_a_reader_keeps_posting(moderator, article):
    """The production chunk size on 10,000 held comments, while another thread posts a reader's
    comment through the public form every 50 ms. Each chunk commits on its own, so between two
    chunks the reader's post gets in (the job waits, mid-run, until one has); none fails (a
    locked database would answer 503). How long the chunks hold the lock and how many posts a
    run lets through are timings: bench/moderation_bulk_bench.py measures them."""
    ids = make_pending(article, 10_000)
    ready, stop, posted = threading.Event(), threading.Event(), threading.Event()
    chunks_done = [0]
    posts: list[tuple[int, int]] = []  # chunks committed when the post was answered, HTTP status
    errors: list[BaseException] = []

    def reader() -> None:
        browser = Client()
        try:
            for n in itertools.count():
                if stop.is_set():
                    break
                if n == 5:
                    ready.set()  # the first posts warm up the rules, templates and connection
                response = browser.post(
                    POST_URL,
                    form_data(article, email=f"busy{n}@example.org", comment=f"Busy reader {n}."),
                    HTTP_ORIGIN=ORIGIN,
                )
                posts.append((chunks_done[0], response.status_code))
                posted.set()
                time.sleep(READER_INTERVAL)
        except BaseException as exc:  # asserted on below
            errors.append(exc)
        finally:
            ready.set()
            posted.set()
            connection.close()

    total_chunks = 10_000 // desk.CHUNK_SIZE
    halfway = total_chunks // 2

    def after_chunk(total: Any) -> None:
        chunks_done[0] = total.chunks
        if total.chunks == halfway:
            # Mid-run, with half the comments decided and committed: a reader's post goes in.
            posted.clear()
            assert posted.wait(timeout=60)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        assert ready.wait(timeout=60)
        result = desk_bulk(
            comment_ids=ids, action="approve", actor=moderator, after_chunk=after_chunk
        )
    finally:
        stop.set()
        thread.join(timeout=60)

    assert errors == []
    assert {status for _, status in posts} == {303}
    assert any(0 < done < total_chunks for done, _ in posts), posts
    assert (result.changed, result.chunks) == (10_000, total_chunks)
    assert Comment.objects.filter(pk__in=ids).exclude(status="approved").count() == 0
    assert CommentEvent.objects.filter(comment_id__in=ids, action="approve").count() == 10_000


def test_between_chunks_the_job_rests_as_long_as_the_chunk_held_the_lock():
    assert desk.chunk_pause(0.0) == desk.CHUNK_PAUSE_MIN
    assert desk.chunk_pause(0.04) == 0.04
    assert desk.chunk_pause(0.9) == desk.CHUNK_PAUSE_MAX


def test_a_decision_taken_just_before_a_chunk_is_read_is_seen(moderator, article, monkeypatch):
    """A chunk is read inside its write transaction: a comment another moderator trashed after
    the job started is logged as trash → approved, not pending → approved."""
    ids = make_pending(article, 3)
    real = decisions._locked_rows

    def another_moderator_decides_then_read(*args: Any) -> Any:
        Comment.objects.filter(pk=ids[0]).update(status="trash")
        return real(*args)

    monkeypatch.setattr(decisions, "_locked_rows", another_moderator_decides_then_read)

    result = desk_bulk(comment_ids=ids, action="approve", actor=moderator)

    assert result.changed == 3
    event = CommentEvent.objects.get(comment_id=ids[0])
    assert (event.from_status, event.to_status) == ("trash", "approved")
    assert Comment.objects.filter(pk__in=ids, status="approved").count() == 3


def test_all_matching_a_filter_becomes_a_job_with_progress(
    client, moderator, article, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(desk, "INLINE_LIMIT", 5)
    ids = make_pending(article, 12)
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comments_desk_bulk"),
            {
                "action": "trash",
                "scope": "all",
                "queue": "pending",
                "filters": f"article={article.pk}",
            },
        )

    job = DeskBulkJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("comments_desk_job", args=[job.pk])
    # The test settings run tasks at once; the job ran after the request's transaction.
    job.refresh_from_db()
    assert (job.state, job.total, job.done, job.changed) == ("done", 12, 12, 12)
    page = client.get(response["Location"]).content.decode()
    assert "12 of 12 comments processed" in page
    assert Comment.objects.filter(pk__in=ids, status="trash").count() == 12


def test_job_progress_is_saved_after_each_chunk(moderator, article, monkeypatch):
    ids = make_pending(article, 7)
    job = DeskBulkJob.objects.create(
        action="approve", comment_ids=ids, total=7, created_by=moderator
    )
    seen: list[int] = []
    real = desk.desk_bulk

    def spy(**kwargs: Any) -> Any:
        def after(total: Any) -> None:
            kwargs["after_chunk"](total)
            seen.append(DeskBulkJob.objects.get(pk=job.pk).done)

        return real(**{**kwargs, "chunk_size": 3, "after_chunk": after})

    monkeypatch.setattr(desk, "desk_bulk", spy)

    desk_bulk_job_process(job_id=job.pk)

    assert seen == [3, 6, 7]
    job.refresh_from_db()
    assert job.state == "done"


def test_bulk_selection_and_bad_input(client, moderator, article):
    ids = make_pending(article, 3)
    client.force_login(moderator)
    url = reverse("comments_desk_bulk")

    chosen = client.post(
        url, {"action": "approve", "scope": "selected", "ids": [ids[0], ids[2], "x", "-1"]}
    )
    nothing = client.post(url, {"action": "approve", "scope": "selected"})
    unknown = client.post(url, {"action": "explode", "scope": "selected", "ids": [ids[1]]})
    bad_filter = client.post(
        url, {"action": "approve", "scope": "all", "filters": "created_from=soon"}
    )

    assert {r.status_code for r in (chosen, nothing, unknown, bad_filter)} == {302}
    statuses = dict(Comment.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {ids[0]: "approved", ids[1]: "pending", ids[2]: "approved"}


def test_bulk_restore_uses_each_comments_previous_status(moderator, article, comment_factory):
    was_approved = comment_factory(article=article)
    was_pending = comment_factory(article=article, status="pending")
    desk_bulk(comment_ids=[was_approved.pk], action="trash", actor=moderator)
    desk_bulk(comment_ids=[was_pending.pk], action="trash", actor=moderator)

    desk_bulk(comment_ids=[was_approved.pk, was_pending.pk], action="restore", actor=moderator)

    was_approved.refresh_from_db()
    was_pending.refresh_from_db()
    assert (was_approved.status, was_pending.status) == ("approved", "pending")
