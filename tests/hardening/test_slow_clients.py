"""Issue 15, item 4: slow clients must not stall the site. The production server, started as
``make serve`` starts it (deploy/granian_server.py, two workers as on the two-core machine of the
report), faces clients that connect and send nothing and clients that send half a request; the
health check is still answered at once (it took 44-50 s with the sync workers).

The bound below is the time a client waits for /healthz before giving up, far from what the
sync workers took (their 30 s timeout) and far above what an answer takes on a busy machine."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from .processes import app_server, database_url_for_subprocesses, site_env

HEALTH_CHECK_PATIENCE = 10  # seconds
COMMENT = "Two idle connections used to be enough to keep this comment from being posted."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("var")
    env = site_env(
        var_dir,
        settings_module="dateline.settings.production",
        WEB_CONCURRENCY="2",
        TASKS_BACKEND="immediate",
    )
    with app_server(env, var_dir / "server.log") as url:
        yield url


@pytest.fixture
def connect() -> Iterator[Callable[..., socket.socket]]:
    """Opens a connection to a server and sends ``first_bytes`` (nothing by default); closed
    after the test."""
    opened: list[socket.socket] = []

    def open_one(server: str, first_bytes: bytes = b"") -> socket.socket:
        parts = urlsplit(server)
        sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        if first_bytes:
            sock.sendall(first_bytes)
        opened.append(sock)
        return sock

    yield open_one
    for sock in opened:
        sock.close()


def hold_slow_clients(connect: Callable[..., socket.socket], server: str) -> None:
    """Two connections that send nothing, two requests stopped in the middle of their headers."""
    for _ in range(2):
        connect(server)
    for _ in range(2):
        connect(server, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")


def healthz(server: str) -> requests.Response:
    return requests.get(f"{server}/healthz", timeout=HEALTH_CHECK_PATIENCE)


def test_idle_connections_and_half_sent_requests_do_not_hold_the_health_check(
    server: str, connect: Callable[..., socket.socket]
) -> None:
    assert healthz(server).status_code == 200
    hold_slow_clients(connect, server)

    # Several times, so both workers are asked.
    for _ in range(6):
        response = healthz(server)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"


def test_a_request_whose_body_never_comes_does_not_hold_the_site(
    server: str, connect: Callable[..., socket.socket]
) -> None:
    # With a CSRF cookie and a matching Origin, so Django gets as far as reading the form: the
    # request holds one of its worker's threads until its client leaves.
    for _ in range(2):
        connect(
            server,
            b"POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\n"
            b"Cookie: csrftoken=" + b"a" * 32 + b"\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n"
            b"comment=half",
        )

    for _ in range(6):
        assert healthz(server).status_code == 200


@pytest.fixture
def site(
    transactional_db: None,
    django_db_serialized_rollback: None,
    tmp_path: Path,
    section: Any,
    article_factory: Any,
) -> Iterator[tuple[str, Any]]:
    """The production server (shipped configuration and settings) on the test database, with an
    article to read and comment on."""
    article = article_factory(parent=section, title="Harbour council votes", slug="harbour")
    env = site_env(
        tmp_path / "var",
        settings_module="tests.hardening.server_settings",
        DATABASE_URL=database_url_for_subprocesses(),
        WEB_CONCURRENCY="2",
        TASKS_BACKEND="immediate",
    )
    with app_server(env, tmp_path / "server.log") as url:
        yield url, article


# A reader in Chromium beside these slow clients: tests/browser/test_reader_beside_slow_clients.py
