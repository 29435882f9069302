"""Issue 15, item 4: slow clients must not stall the site. The production server, started as
``make serve`` starts it (deploy/gunicorn.conf.py, two workers as on the two-core machine of the
report), faces clients that connect and send nothing and clients that send half a request; the
health check is still answered at once (it took 44-50 s with the sync workers).

The bound below is the time a client waits for /healthz before giving up, far from what the
sync workers took (their 30 s timeout) and far above what an answer takes on a busy machine."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from .processes import gunicorn, site_env

HEALTH_CHECK_PATIENCE = 10  # seconds


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("var")
    env = site_env(
        var_dir,
        settings_module="dateline.settings.production",
        WEB_CONCURRENCY="2",
        TASKS_BACKEND="immediate",
    )
    with gunicorn(env, var_dir / "gunicorn.log") as url:
        yield url


@pytest.fixture
def connect(server: str) -> Iterator[object]:
    parts = urlsplit(server)
    opened: list[socket.socket] = []

    def open_one(first_bytes: bytes = b"") -> socket.socket:
        sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        if first_bytes:
            sock.sendall(first_bytes)
        opened.append(sock)
        return sock

    yield open_one
    for sock in opened:
        sock.close()


def healthz(server: str) -> requests.Response:
    return requests.get(f"{server}/healthz", timeout=HEALTH_CHECK_PATIENCE)


def test_idle_connections_and_half_sent_requests_do_not_hold_the_health_check(
    server: str, connect: object
) -> None:
    assert healthz(server).status_code == 200
    for _ in range(2):
        connect()  # type: ignore[operator]  # connects, sends nothing
    for _ in range(2):
        # The request line and one header, never the blank line that ends the headers.
        connect(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # type: ignore[operator]

    # Several times, so both workers are asked.
    for _ in range(6):
        response = healthz(server)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"


def test_a_request_whose_body_never_comes_does_not_hold_the_site(
    server: str, connect: object
) -> None:
    for _ in range(2):
        connect(  # type: ignore[operator]
            b"POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n"
            b"comment=half"
        )

    for _ in range(6):
        assert healthz(server).status_code == 200
