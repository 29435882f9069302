"""The shipped VCL when an app server stops (a deploy restarts it, it crashes): until Varnish's
health probe has marked it sick (seconds), a reader's GET that Varnish sends there is tried again
on the next server instead of answering 503.

Varnish here runs in front of two tiny HTTP servers, not the site: what is checked is the VCL."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .conftest import free_port, skip_without_varnish, tiny_backend, until, varnish


class Backend(ThreadingHTTPServer):
    probes = 0


class Handler(BaseHTTPRequestHandler):
    server: Backend

    def do_GET(self) -> None:
        if self.path == "/healthz/process":
            self.server.probes += 1
        body = f"from {self.server.server_address[1]}".encode()
        self.send_response(200)
        # Private: Varnish asks a backend for every request.
        self.send_header("Cache-Control", "private, no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = f"{self.path} got {self.rfile.read(length).decode()}".encode()
        self.send_response(200)
        self.send_header("Cache-Control", "private, no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def backend() -> Backend:
    return tiny_backend(Backend, Handler)


def status(url: str) -> int:
    return answer(url)[0]


def answer(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, data=data, timeout=10) as response:  # noqa: S310
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), b""


@pytest.fixture
def two_backends(tmp_path: Path) -> Iterator[tuple[str, Backend, Backend]]:
    skip_without_varnish()
    first, second = backend(), backend()
    port = free_port()
    process = varnish(
        port=port,
        app_ports=[first.server_address[1], second.server_address[1]],
        workdir=tmp_path,
    )
    try:
        yield f"http://127.0.0.1:{port}", first, second
    finally:
        process.terminate()
        process.wait(timeout=10)
        first.shutdown()
        first.server_close()


def test_a_get_sent_to_a_server_that_just_stopped_is_answered_by_the_other(two_backends):
    url, first, second = two_backends
    # Both healthy (one good probe each: the tests' backends file), and Varnish answers.
    assert until(lambda: first.probes and second.probes, within=15)
    assert until(lambda: status(url + "/healthz") == 200, within=15)

    second.shutdown()
    second.server_close()  # connections to it are now refused; its probe has not failed yet

    # Round robin sends every other request to the stopped server until the probe marks it sick.
    answers = [status(f"{url}/politics/?n={n}") for n in range(10)]
    assert answers == [200] * 10


def test_a_comment_post_sent_to_a_server_that_just_stopped_is_posted_by_the_other(two_backends):
    # A comment sent twice is one comment (the service finds the same commenter's same text on
    # the article, or the form's key), so Varnish may send it again; any other POST it may not
    # (decisions 0090, 0095).
    url, first, second = two_backends
    assert until(lambda: first.probes and second.probes, within=15)
    assert until(lambda: status(url + "/healthz") == 200, within=15)

    second.shutdown()
    second.server_close()

    likes = [answer(f"{url}/comments/7/like/", data=b"voter=v") for n in range(4)]
    comments = [answer(f"{url}/comments/post/", data=f"comment=c{n}".encode()) for n in range(10)]

    assert comments == [(200, f"/comments/post/ got comment=c{n}".encode()) for n in range(10)]
    assert 503 in [code for code, _ in likes]
