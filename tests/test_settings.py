"""The two deployments: the embedded SQLite default and the scale-out by configuration."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "TASKS_BACKEND",
            "DEBUG",
            # Set by the browser tests' conftest when they share this worker.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    base.update({"DATELINE_IGNORE_DOTENV": "1", **env})
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_embedded_sqlite_uses_wal_a_busy_timeout_and_immediate_transactions(
    tmp_path, django_db_blocker
):
    from dateline.settings.base import sqlite_options

    django_db_blocker.unblock()
    options = sqlite_options()
    db_settings = {
        **settings.DATABASES["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "probe.sqlite3"),
        "OPTIONS": options,
    }
    writer = DatabaseWrapper(db_settings, alias="probe")
    writer.ensure_connection()
    try:
        with writer.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
            # Checkpoints every 10,000 pages of log (SQLite: 1,000), the log cut back to 64 MB.
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == 10_000
            cursor.execute("PRAGMA journal_size_limit")
            assert cursor.fetchone()[0] == 64 * 1024 * 1024
            cursor.execute("CREATE TABLE t (x INTEGER)")
        # A transaction takes the write lock when it begins, not at its first write: a second
        # writer is refused at BEGIN IMMEDIATE while the first one is open.
        writer._start_transaction_under_autocommit()
        other = sqlite3.connect(tmp_path / "probe.sqlite3", timeout=0.05)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        writer.connection.rollback()
    finally:
        writer.close()
        django_db_blocker.restore()


def test_the_default_database_is_the_sqlite_file_under_var():
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='dateline.settings.dev'; django.setup(); from django.conf import settings as s; d=s.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['OPTIONS']['transaction_mode'], s.CACHES['default']['BACKEND'], s.TASKS['default']['BACKEND'])"
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    engine, name, mode, cache, tasks = out.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name.endswith("var/dateline.sqlite3")
    assert mode == "IMMEDIATE"
    assert cache.endswith("LocMemCache")
    assert tasks == "django_tasks_db.DatabaseBackend"


def test_database_url_and_redis_url_move_the_site_to_postgresql_and_redis():
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='dateline.settings.dev'; django.setup(); from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    out = run_python(
        code,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/dateline",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "django.db.backends.postgresql",
        "django_redis.cache.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_redis_down_is_logged_every_few_seconds_not_for_every_cache_call():
    # Redis stopped for 20 s under load: each app server logged a traceback for every cache
    # call (3,200 of them, 10 MB, and the formatting slowed the pages it still served).
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='dateline.settings.dev'; "
        "django.setup(); from django.core.cache import caches; "
        "[caches['default'].get(f'k{n}') for n in range(300)]; "
        "[caches['pages'].set(f'k{n}', 1) for n in range(300)]"
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    out = run_python(code, REDIS_URL=f"redis://127.0.0.1:{closed}/0")

    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stderr.splitlines() if "django_redis" in line]
    assert len(lines) == 1, out.stderr[-2000:]
    assert "Redis" in lines[0]
    assert "Connection refused" in lines[0]
    assert out.stderr.count("Traceback") <= 1


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_fail_fast_on_a_missing_secret(missing):
    env = {
        "DJANGO_SETTINGS_MODULE": "dateline.settings.production",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "news.example.com",
    }
    del env[missing]
    out = run_python("import django; django.setup()", **env)
    assert out.returncode != 0
    assert "ImproperlyConfigured" in out.stderr
    assert missing in out.stderr


def check_deploy(**extra: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL"}
    }
    env = {
        **base,
        "DATELINE_IGNORE_DOTENV": "1",
        "DJANGO_SETTINGS_MODULE": "dateline.settings.production",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "news.example.com",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_issues():
    out = check_deploy(EMAIL_URL="smtp+tls://mailer:not-a-password@smtp.example.org:587")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues (0 silenced)." in out.stdout


def test_check_deploy_warns_when_mail_would_only_be_written_to_the_log():
    # consolemail:// is the default: sign-in links would be printed in the worker's log.
    out = check_deploy()
    assert out.returncode != 0
    assert "readers.W002" in out.stderr + out.stdout
    assert "EMAIL_URL" in out.stderr + out.stdout


@pytest.mark.redis
def test_the_cache_is_redis_when_redis_url_is_set():
    if not settings.REDIS_URL:
        pytest.skip(
            "REDIS_URL is not set: this run is the embedded setup (make unit-postgres runs it with Redis)"
        )
    from django.core.cache import cache

    cache.set("dateline-probe", "ok", 5)
    assert cache.get("dateline-probe") == "ok"
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "RedisCache"


@pytest.mark.postgres
def test_the_database_is_postgresql_when_database_url_says_so(db):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip(
            "DATABASE_URL is not PostgreSQL: this run is the embedded setup (make unit-postgres runs it on PostgreSQL)"
        )
    from django.db import connection

    assert connection.vendor == "postgresql"


def test_the_tests_never_touch_the_demos_state(settings):
    """`make demo` then `make test` (and the other way round) on one checkout: the tests' files,
    models, media and caches are their own, never var/ (issue 18)."""
    demo_var = Path(settings.BASE_DIR) / "var"
    for path in (settings.VAR_DIR, settings.DATELINE_MODEL_DIR, settings.MEDIA_ROOT):
        assert not Path(path).resolve().is_relative_to(demo_var.resolve()), path
    assert (
        not Path(settings.DATABASES["default"]["TEST"].get("NAME") or "x")
        .resolve()
        .is_relative_to(demo_var.resolve())
    )
    for cache in settings.CACHES.values():
        assert not str(cache.get("LOCATION", "")).startswith(str(demo_var))
        if "KEY_PREFIX" in cache:
            assert cache["KEY_PREFIX"].startswith("dateline-test")


def test_a_demo_model_in_var_is_not_read_by_the_tests(settings):
    from dateline.moderation.classifier import get_scorer, model_path

    assert model_path("spam").parent == Path(settings.VAR_DIR) / "models"
    assert get_scorer("spam") is None
    assert get_scorer("abuse") is None


def test_make_demo_starts_without_a_warning_about_a_missing_static_folder(tmp_path):
    """`make demo` runs the dev settings with DEBUG=0 on a fresh var/, where collectstatic never
    ran (static files come from the apps); whitenoise warned "No directory at: var/static/" as
    the server started, which reads like a fault."""
    code = (
        "import os, warnings; warnings.simplefilter('always');"
        "os.environ['DJANGO_SETTINGS_MODULE']='dateline.settings.dev';"
        "from django.core.wsgi import get_wsgi_application; get_wsgi_application()"
    )
    out = run_python(code, DEBUG="0", DATELINE_VAR_DIR=str(tmp_path / "var"))
    assert out.returncode == 0, out.stderr
    assert "No directory at" not in out.stderr
