"""The shipped VCL's grace: a purged page is served stale only for a moment while the app servers
are healthy (so a change shows within a second even when the new page is slow to come), and for
the page's whole grace while every app server is down (so readers keep reading).

Varnish here runs in front of two tiny HTTP servers, not the site: what is checked is the VCL."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .conftest import free_port, skip_without_varnish, tiny_backend, until, varnish

PAGE = "/international/harbour-wall/"


class Backend(ThreadingHTTPServer):
    """Serves ``PAGE`` as ``version N``, public for five minutes with five minutes of grace and
    the key ``article:1``, the way the site marks an article; ``delay`` makes the page slow to
    render (a machine too busy to finish it promptly)."""

    version = 1
    delay = 0.0
    probes = 0


class Handler(BaseHTTPRequestHandler):
    server: Backend

    def do_GET(self) -> None:
        if self.path == "/healthz/process":
            self.server.probes += 1
            self._answer(b"ok", "private, no-store")
            return
        time.sleep(self.server.delay)
        body = f"version {self.server.version}".encode()
        self._answer(body, "public, max-age=0, s-maxage=300, stale-while-revalidate=300")

    def _answer(self, body: bytes, cache_control: str) -> None:
        self.send_response(200)
        self.send_header("Cache-Control", cache_control)
        self.send_header("xkey", "content article:1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def backend() -> Backend:
    return tiny_backend(Backend, Handler)


def get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return int(response.status), response.read().decode()
    except OSError:
        return 0, ""


def purge(url: str, keys: str) -> None:
    request = urllib.request.Request(url + "/", method="PURGE", headers={"xkey": keys})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200


@pytest.fixture
def front(tmp_path: Path) -> Iterator[tuple[str, list[Backend]]]:
    skip_without_varnish()
    servers = [backend(), backend()]
    port = free_port()
    process = varnish(port=port, app_ports=[s.server_address[1] for s in servers], workdir=tmp_path)
    url = f"http://127.0.0.1:{port}"
    try:
        assert until(lambda: all(s.probes for s in servers), within=15)
        assert until(lambda: get(url + PAGE) == (200, "version 1"), within=15)
        yield url, servers
    finally:
        process.terminate()
        process.wait(timeout=10)
        for server in servers:
            server.shutdown()
            server.server_close()


def test_a_purged_page_is_served_stale_only_for_a_moment_while_the_servers_are_healthy(front):
    url, servers = front
    for server in servers:
        server.version, server.delay = 2, 2.0  # the changed page takes two seconds to render

    purge(url, "article:1")
    # Right after the purge the old page is still served, and its fetch has begun...
    assert get(url + PAGE) == (200, "version 1")
    time.sleep(0.7)
    # ...but a reader who comes later than half a second waits for that fetch instead of being
    # given the old page for the whole grace (five minutes here).
    assert get(url + PAGE) == (200, "version 2")


def test_a_purged_page_is_still_served_while_every_app_server_is_down(front):
    url, servers = front
    purge(url, "article:1")
    for server in servers:
        server.shutdown()
        server.server_close()

    time.sleep(0.7)  # past the moment the purged page is served anyway

    # Once the probes have marked both servers sick (a second or two), the purged page is served
    # from its grace instead of an error.
    assert until(lambda: get(url + PAGE) == (200, "version 1"), within=15, every=0.2)
    assert [get(url + PAGE) for _ in range(5)] == [(200, "version 1")] * 5
