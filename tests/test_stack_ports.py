"""`make stack` runs one app server per port in STACK_APP_PORTS, names the same ports in the
Varnish backends it writes, says so, and refuses to start on a port something else holds."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BACKENDS = ROOT / "deploy" / "varnish" / "backends.py"


def make(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    return subprocess.run(
        ["make", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def stack_shown(*args: str) -> str:
    """What `make stack` would run (`make -n` runs nothing)."""
    shown = make("-n", "stack", *args)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


def backends_vcl(*addresses: str) -> str:
    return subprocess.run(
        [sys.executable, str(BACKENDS), *addresses],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout


def test_make_stack_runs_an_app_server_on_each_of_stack_app_ports_and_names_them_to_varnish() -> (
    None
):
    shown = stack_shown("STACK_APP_PORTS=9131 9132 9133", "STACK_PORT=9130")

    binds = [line for line in shown.splitlines() if "granian_server.py --bind" in line]
    assert len(binds) == 1  # one command, in the loop over the ports
    assert "for port in 9131 9132 9133; do" in shown
    assert "--bind 127.0.0.1:$port" in binds[0]
    assert "deploy/varnish/backends.py 127.0.0.1:9131 127.0.0.1:9132 127.0.0.1:9133" in shown
    assert "vcl_path=" + str(ROOT / "var" / "stack-vcl") + ":" in shown
    assert "app servers 127.0.0.1:9131, :9132, :9133;" in shown
    assert "8001" not in shown and "8002" not in shown


def test_make_stack_without_stack_app_ports_keeps_8001_and_8002() -> None:
    shown = stack_shown()

    assert "for port in 8001 8002; do" in shown
    assert "deploy/varnish/backends.py 127.0.0.1:8001 127.0.0.1:8002" in shown
    assert "app servers 127.0.0.1:8001, :8002;" in shown


def test_the_shipped_backends_file_is_what_the_script_writes_for_8001_and_8002() -> None:
    shipped = (ROOT / "deploy" / "varnish" / "dateline-backends.vcl").read_text()

    assert backends_vcl("127.0.0.1:8001", "127.0.0.1:8002") == shipped


def test_varnish_probes_the_process_not_the_database() -> None:
    # The database is down for every app server at once; the probe asks only whether the
    # server answers (docs/decisions/0095).
    for vcl in (
        backends_vcl("127.0.0.1:8001"),
        (ROOT / "deploy" / "varnish" / "dateline-backends.vcl").read_text(),
    ):
        assert '.url = "/healthz/process";' in vcl


def test_the_backends_script_refuses_no_server_and_a_malformed_address() -> None:
    for bad in ([], ["127.0.0.1:http"], ["127.0.0.1:0"], ["host name:80"]):
        ran = subprocess.run(
            [sys.executable, str(BACKENDS), *bad], capture_output=True, text=True, timeout=30
        )
        assert ran.returncode == 2, bad
        assert ran.stdout == ""


def varnishd() -> Path:
    path = Path("/usr/sbin/varnishd")
    if not path.exists():
        pytest.skip("varnishd is not installed (make stack-deps)")
    return path


def test_three_written_backends_compile_with_the_shipped_vcl(tmp_path: Path) -> None:
    (tmp_path / "dateline-backends.vcl").write_text(
        backends_vcl("127.0.0.1:9131", "127.0.0.1:9132", "[::1]:9133")
    )

    compiled = subprocess.run(
        [
            str(varnishd()),
            "-C",
            # As make stack runs it: no privilege drop (Varnish's own user could not read the
            # test's folder, and would silently take the next dateline-backends.vcl on the path).
            "-j",
            "none",
            "-n",
            str(tmp_path / "varnish"),
            "-p",
            f"vcl_path={tmp_path}:{ROOT / 'deploy' / 'varnish'}:/usr/share/varnish/vcl",
            "-f",
            str(ROOT / "deploy" / "varnish" / "dateline.vcl"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert compiled.returncode == 0, compiled.stderr
    c_code = compiled.stdout + compiled.stderr  # varnishd -C prints the C it compiled
    for address in ("127.0.0.1 9131", "127.0.0.1 9132", "::1 9133"):
        assert f'"{address}" ->' in c_code


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_make_stack_stops_before_starting_when_a_port_is_taken(busy_port: int) -> None:
    ran = make(
        "stack-ports", f"STACK_PORT={free_port()}", f"STACK_APP_PORTS={free_port()} {busy_port}"
    )

    assert ran.returncode != 0
    assert f"Port {busy_port} is in use" in ran.stderr
    assert "STACK_APP_PORTS" in ran.stderr


def test_make_stack_starts_when_its_ports_are_free() -> None:
    ran = make("stack-ports", f"STACK_PORT={free_port()}", f"STACK_APP_PORTS={free_port()}")

    assert ran.returncode == 0, ran.stderr


def test_make_stack_starts_an_app_server_again_when_it_stops() -> None:
    shown = stack_shown("STACK_APP_PORTS=9131 9132")

    # Each server in a loop, as the task worker: one killed (or stopped to restart it) is
    # serving again within seconds instead of leaving the other to carry every reader.
    servers = shown[shown.index("for port in 9131 9132; do") :]
    assert servers.index("while :; do") < servers.index("granian_server.py --bind 127.0.0.1:$port")
    assert "done >>var/app-$port.log 2>&1 &" in servers
