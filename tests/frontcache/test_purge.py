"""Every invalidation of the page cache becomes a purge of the front cache: after commit, through
the task queue, retried while a front cache does not confirm it. A small HTTP server stands in for
Varnish here; tests/frontcache/test_varnish.py purges the real one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dateline.comments.models import Comment
from dateline.comments.services import comment_moderate
from dateline.core import tasks
from dateline.core.pagecache import invalidate

pytestmark = pytest.mark.django_db


class FakeVarnish(ThreadingHTTPServer):
    """Records PURGE requests; answers the first ``failures`` of them 503."""

    def __init__(self, failures: int = 0) -> None:
        self.purges: list[dict[str, str]] = []
        self.failures = failures
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeVarnish

    def do_PURGE(self) -> None:
        self.server.purges.append({"path": self.path, "xkey": self.headers.get("xkey", "")})
        if len(self.server.purges) <= self.server.failures:
            self.send_response(503)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("X-Purged", "3")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what is queued for after commit when the block ends, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def varnish_factory(settings) -> Iterator:
    servers: list[FakeVarnish] = []

    def start(failures: int = 0) -> FakeVarnish:
        server = FakeVarnish(failures)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        settings.DATELINE_VARNISH_URLS = [s.url for s in servers]
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_invalidate_purges_every_varnish_by_the_same_keys(varnish_factory, committed):
    first, second = varnish_factory(), varnish_factory()

    with committed():
        invalidate(["article:7", "listings"])

    for varnish in (first, second):
        assert varnish.purges == [{"path": "/", "xkey": "article:7 listings"}]


def test_purge_waits_for_the_commit_and_a_rollback_sends_none(varnish_factory, committed):
    varnish = varnish_factory()

    with committed():
        with transaction.atomic():
            invalidate(["article:1"])
        assert varnish.purges == []
    assert len(varnish.purges) == 1

    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        invalidate(["article:2"])
        raise RuntimeError("rolled back")
    assert [p["xkey"] for p in varnish.purges] == ["article:1"]


def test_approving_a_comment_purges_its_article(
    varnish_factory, article, comment_factory, committed
):
    varnish = varnish_factory()
    held = comment_factory(article=article, status=Comment.Status.PENDING)

    with committed():
        comment_moderate(comment=held, action="approve")

    assert any(f"article:{article.pk}" in p["xkey"].split() for p in varnish.purges)


def test_a_failed_purge_is_retried_on_the_failing_varnish_only(varnish_factory, committed):
    healthy, flaky = varnish_factory(), varnish_factory(failures=2)

    with committed():
        invalidate(["article:3"])

    assert len(healthy.purges) == 1
    assert len(flaky.purges) == 3  # two refusals, then the purge


def test_a_purge_that_keeps_failing_is_given_up_after_the_last_retry(
    varnish_factory, committed, caplog
):
    down = varnish_factory(failures=1000)

    with committed():
        invalidate(["article:4"])

    assert len(down.purges) == len(tasks.RETRY_DELAYS) + 1
    assert "abandoned" in caplog.text


def test_retries_wait_longer_each_time_on_a_queue_that_can_wait(varnish_factory, settings):
    down = varnish_factory(failures=1000)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    waits = []

    for attempt in (1, 2, 3):
        before = timezone.now()
        tasks.front_cache_purge.call(["article:5"], None if attempt == 1 else [down.url], attempt)
        retry = DBTaskResult.objects.get()
        waits.append((retry.run_after - before).total_seconds())
        assert retry.args_kwargs["args"] == [["article:5"], [down.url], attempt + 1]
        retry.delete()

    assert waits[0] >= 1
    assert waits[0] < waits[1] < waits[2]


def test_nothing_is_queued_without_a_front_cache(settings):
    settings.DATELINE_VARNISH_URLS = []
    settings.WAGTAILFRONTENDCACHE = {}

    with mock.patch.object(type(tasks.front_cache_purge), "enqueue") as enqueue:
        invalidate(["content"])

    enqueue.assert_not_called()


def test_cdns_are_purged_by_url_through_wagtails_frontend_cache(settings, article, committed):
    settings.DATELINE_VARNISH_URLS = []
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    }
    purged: list[str] = []

    with mock.patch(
        "wagtail.contrib.frontend_cache.backends.HTTPBackend.purge_batch",
        lambda self, urls: purged.extend(urls),
    ):
        with committed():
            invalidate([f"article:{article.pk}"])
        assert any(url.endswith(article.url) for url in purged)
        purged.clear()
        with committed():
            invalidate(["listings"])

    paths = {url.split("/", 3)[-1] for url in purged}
    assert "" in paths  # the front page
    assert article.get_parent().url.strip("/") + "/" in paths  # its section
