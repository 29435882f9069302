"""Helpers shared by the benchmarks: processes we start and always stop, wrk runs, machine facts.

Nothing here touches the network beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import re
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
WRK = "/usr/bin/wrk"
NGINX = "/usr/sbin/nginx"

# Variables the settings read: a benchmark never inherits them from the caller's shell.
APP_ENV_VARS = {
    "ALLOWED_HOSTS",
    "BEHIND_TLS_PROXY",
    "CACHE_KEY_PREFIX",
    "CONN_MAX_AGE",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "DEFAULT_FROM_EMAIL",
    "EMAIL_URL",
    "LOG_LEVEL",
    "MEDIA_ROOT",
    "REDIS_URL",
    "SECRET_KEY",
    "SECURE_COOKIES",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SERVE_MEDIA",
    "SITE_NAME",
    "SITE_URL",
    "SQLITE_BUSY_TIMEOUT",
    "TASKS_BACKEND",
    "TIME_ZONE",
    "WAGTAIL_AUTOSAVE_INTERVAL",
    "WAGTAIL_LOG_LEVEL",
}


def clean_environ() -> dict[str, str]:
    """The caller's environment without anything that would configure the app."""
    return {
        k: v
        for k, v in os.environ.items()
        if k not in APP_ENV_VARS and not k.startswith(("DJANGO_", "DATELINE_"))
    }


def production_env(workdir: Path, **extra: str) -> dict[str, str]:
    """The production settings on a plain-HTTP local site in ``workdir``: a fresh secret key,
    no SSL redirects or secure cookies, tasks run inline, mail dropped. ``extra`` adds or
    overrides variables. Nothing from the caller's Dateline variables or `.env` leaks in."""
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits + "-_"
    env = clean_environ()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "dateline.settings.production",
            "DATELINE_VAR_DIR": str(workdir / "var"),
            "DATELINE_IGNORE_DOTENV": "1",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "TASKS_BACKEND": "immediate",
            "EMAIL_URL": "dummymail://",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


def comment_post_environ(host: str, form: bytes, *, agent: str) -> dict[str, Any]:
    """A WSGI environ for one comment POST as the page's script sends it (form-encoded, JSON
    asked for, the site's Origin), for posting through the application in process."""
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/comments/post/",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_ORIGIN": f"http://{host}",
        "HTTP_ACCEPT": "application/json",
        "HTTP_USER_AGENT": agent,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(form)),
        "wsgi.input": io.BytesIO(form),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


# The production servers: the shipped one first (make serve), then the alternative.
APP_SERVERS = ("granian", "gunicorn")


def app_server_command(
    server: str, *, port: int, workers: int | None = None
) -> tuple[list[str], dict[str, str]]:
    """The command line and the extra environment of ``server`` as `make serve` runs it
    (granian: deploy/granian_server.py; gunicorn: deploy/gunicorn.conf.py, the alternative), on
    ``port``, with ``workers`` (default: the configuration's, one per core). Only the access log
    is dropped (it would be written for every request). ``granian:N`` is granian with N blocking
    threads per worker (``GRANIAN_BLOCKING_THREADS``) instead of the shipped number."""
    count = [] if workers is None else ["--workers", str(workers)]
    name, _, threads = server.partition(":")
    if name == "granian" and (not threads or (threads.isdigit() and int(threads) > 0)):
        argv = [sys.executable, str(REPO / "deploy" / "granian_server.py")]
        extra = {"GRANIAN_ACCESS_LOG": "0"}
        if threads:
            extra["GRANIAN_BLOCKING_THREADS"] = threads
        return [*argv, "--bind", f"127.0.0.1:{port}", *count], extra
    if server == "gunicorn":
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        argv = [gunicorn, "-c", str(REPO / "deploy" / "gunicorn.conf.py")]
        # As `make serve`: the workers' heartbeat files in memory.
        heartbeats = "/dev/shm" if Path("/dev/shm").is_dir() else "/tmp"  # noqa: S108
        options = ["--worker-tmp-dir", heartbeats, "--access-logfile", "/dev/null"]
        return [*argv, "--bind", f"127.0.0.1:{port}", *count, *options], {}
    raise ValueError(f"unknown server {server!r}: one of {', '.join(APP_SERVERS)} (or granian:N)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- Processes ---------------------------------------------------------------------------------


@dataclass
class Service:
    """A server in its own process group, so stopping it stops its workers too."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str]
    log_path: Path
    cwd: Path = REPO
    nice: int = 0
    proc: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> Service:
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            list(self.argv),
            cwd=self.cwd,
            env=dict(self.env),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=priority(self.nice),
        )
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(wait)
                    # The leader is gone; make sure no worker of its group is left behind.
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def priority(nice: int) -> Any:
    """A preexec_fn for a child in a session of its own: its nice value (negative: ahead of
    other processes). With autogroup scheduling (Linux default) nice counts only inside a
    session, so the session's autogroup gets the same value."""
    if nice == 0:
        return None

    def apply() -> None:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
        with contextlib.suppress(OSError):
            Path("/proc/self/autogroup").write_text(str(nice))

    return apply


def wait_http(url: str, *, service: Service | None = None, timeout: float = 60.0) -> None:
    """Wait until ``url`` answers (any HTTP status), or fail with the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service is not None and not service.alive():
            raise RuntimeError(f"{service.name} exited early:\n{service.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - 127.0.0.1 only
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    tail = service.log_tail() if service is not None else ""
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s\n{tail}")


def http_get(url: str, *, timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (names in lower case: granian sends them so, gunicorn capitalised) and
    body."""
    request = urllib.request.Request(url, headers={"User-Agent": "dateline-bench"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def run(
    argv: Sequence[str], *, env: Mapping[str, str], timeout: float, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        list(argv), cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


# --- nginx --------------------------------------------------------------------------------------


def nginx_config(*, prefix: Path, root: Path, port: int) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = prefix / "temp"
    return f"""# Generated by bench/: a static copy of a page, the ceiling for the app server.
daemon off;
worker_processes auto;
{user}pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;

events {{
    worker_connections 4096;
}}

http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;

    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        location / {{
            default_type "text/html; charset=utf-8";
        }}
    }}
}}
"""


def nginx_service(
    *, workdir: Path, page: bytes, env: Mapping[str, str], nice: int = 0
) -> tuple[Service, int]:
    """nginx serving ``page`` as /index.html from ``workdir``; returns the service and its port."""
    prefix = workdir / "nginx"
    root = prefix / "www"
    (prefix / "temp").mkdir(parents=True, exist_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_bytes(page)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(prefix=prefix, root=root, port=port))
    argv = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    return Service("nginx", argv, env, prefix / "nginx.log", nice=nice), port


# --- wrk ----------------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
_TIME = r"([\d.]+)(us|ms|s|m|h)"


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS[unit]


def parse_wrk(text: str) -> dict[str, Any]:
    """Requests/s, latency (ms), errors from ``wrk --latency`` output, plus the JSON line our
    Lua scripts print in ``done()`` (``BENCH_JSON {...}``)."""
    out: dict[str, Any] = {}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", text):
        out["rps"] = float(m.group(1))
    if m := re.search(r"(\d+) requests in " + _TIME + r", ([\d.]+\w+) read", text):
        out["requests"] = int(m.group(1))
        out["duration_s"] = _ms(m.group(2), m.group(3)) / 1000
        out["read"] = m.group(4)
    if m := re.search(r"Latency\s+" + _TIME + r"\s+" + _TIME + r"\s+" + _TIME, text):
        out["latency_avg_ms"] = _ms(m.group(1), m.group(2))
        out["latency_max_ms"] = _ms(m.group(5), m.group(6))
    for pct in ("50", "75", "90", "99"):
        if m := re.search(rf"^\s+{pct}%\s+" + _TIME, text, re.MULTILINE):
            out[f"p{pct}_ms"] = _ms(m.group(1), m.group(2))
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    if m := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    ):
        errors = dict(zip(errors, map(int, m.groups()), strict=True))
    out["socket_errors"] = errors
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non_2xx_3xx"] = int(m.group(1)) if m else 0
    if m := re.search(r"^BENCH_JSON (.*)$", text, re.MULTILINE):
        extra = json.loads(m.group(1))
        out["lua"] = extra
        # Exact figures from wrk's own histogram, where the text rounds to 3 digits.
        latency = extra.get("latency", {})
        for key, name in (("mean", "latency_avg_ms"), ("p50", "p50_ms"), ("p99", "p99_ms")):
            if key in latency:
                out[name] = latency[key] / 1000
    out["errors_total"] = out["non_2xx_3xx"] + sum(errors.values())
    return out


def run_wrk(
    url: str,
    *,
    duration: float,
    connections: int,
    threads: int,
    script: Path | None = None,
    script_args: Sequence[str] = (),
    timeout_s: float = 10.0,
    env: Mapping[str, str] | None = None,
    nice: int = 0,
) -> dict[str, Any]:
    argv = [
        WRK,
        "--latency",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(duration))}s",
        f"--timeout={round(timeout_s)}s",
    ]
    if script is not None:
        argv += ["--script", str(script)]
    argv.append(url)
    if script_args:
        argv += ["--", *script_args]
    result = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=duration + timeout_s + 60,
        env=dict(env) if env is not None else None,
        start_new_session=nice != 0,  # its own autogroup, see priority()
        preexec_fn=priority(nice),
    )
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr}\n{result.stdout}")
    parsed = parse_wrk(result.stdout)
    parsed["url"] = url
    parsed["raw"] = [line for line in result.stdout.splitlines() if not line.startswith("BENCH_")]
    return parsed


# --- The machine --------------------------------------------------------------------------------


def _version(argv: Sequence[str]) -> str:
    try:
        result = subprocess.run(list(argv), capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (result.stdout + result.stderr).strip().splitlines()
    return text[0] if text else "unknown"


def _busy_seconds() -> float:
    """CPU time spent busy by the whole machine since boot (all CPUs), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _group_seconds(pgids: Sequence[int], names: Sequence[str] = ()) -> float:
    """CPU time used so far by the live processes of the given process groups, and by the
    processes with the given command names (a Redis server we did not start, say)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
            fields = tail.split()
        except (OSError, ValueError):
            continue
        # After the command name: state, ppid, pgrp, ..., utime (14th field), stime (15th).
        if int(fields[2]) in pgids or head.split("(", 1)[-1] in names:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """How much of the machine's CPU went to our servers and wrk, and how much to everything
    else, while a measurement ran: a busy shared machine shows up here, not as a mystery."""

    def __init__(self, services: Sequence[Service], names: Sequence[str] = ()) -> None:
        self.pgids = [s.proc.pid for s in services if s.proc is not None]
        self.names = tuple(names)

    def __enter__(self) -> CpuMeter:
        self.start = (
            time.monotonic(),
            _busy_seconds(),
            _group_seconds(self.pgids, self.names),
            _children(),
        )
        return self

    def __exit__(self, *exc: object) -> None:
        wall, busy, ours, kids = (
            time.monotonic(),
            _busy_seconds(),
            _group_seconds(self.pgids, self.names),
            _children(),
        )
        capacity = (wall - self.start[0]) * (os.cpu_count() or 1)
        servers = ours - self.start[2]
        load_tool = kids - self.start[3]
        machine = busy - self.start[1]
        self.result = {
            "cpu_busy": round(machine / capacity, 3),
            "cpu_servers": round(servers / capacity, 3),
            "cpu_wrk": round(load_tool / capacity, 3),
            "cpu_other": round(max(machine - servers - load_tool, 0.0) / capacity, 3),
        }


def wait_for_quiet(
    services: Sequence[Service],
    *,
    threshold: float,
    max_wait: float,
    sample: float = 3.0,
    names: Sequence[str] = (),
) -> dict[str, float]:
    """Wait (at most ``max_wait`` seconds) until processes other than ours use less than
    ``threshold`` of the machine's CPU over a ``sample``-second window. Returns the share seen
    last and the time waited; the measurement goes ahead either way."""
    started = time.monotonic()
    while True:
        with CpuMeter(services, names) as meter:
            time.sleep(sample)
        other = meter.result["cpu_other"] + meter.result["cpu_wrk"]
        waited = time.monotonic() - started
        if other < threshold or waited >= max_wait:
            return {"other_cpu_before": round(other, 3), "waited_s": round(waited, 1)}


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def loadavg() -> float:
    """The 1-minute load average: how busy the machine was around a measurement."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return -1.0


def machine_info() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": mem_gb,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": _version([WRK, "-v"]).split(" Copyright")[0],
        "nginx": _version([NGINX, "-v"]).removeprefix("nginx version: "),
    }
