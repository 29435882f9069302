"""The test suite: the same settings as production code paths, with fast hashing and local mail."""

import os
import secrets
from pathlib import Path

os.environ["DATELINE_IGNORE_DOTENV"] = "1"
# The tests never read or write the site's own state (var/: its database, trained models,
# page cache, media): `make demo` and `make test` run in either order on one checkout. Their
# files go under .test-var/ (DATELINE_TEST_VAR_DIR), and an operator's DATELINE_MODEL_DIR or
# MEDIA_ROOT in the environment is ignored.
os.environ["DATELINE_VAR_DIR"] = os.environ.get(
    "DATELINE_TEST_VAR_DIR", str(Path(__file__).resolve().parents[2] / ".test-var")
)
os.environ.pop("DATELINE_MODEL_DIR", None)
os.environ.pop("MEDIA_ROOT", None)
# One id per test run, made by the first process that reads these settings (pytest, or
# pytest-xdist's controller, before it starts its workers) and inherited by the workers and the
# servers the tests start. The run's PostgreSQL databases and Redis keys carry it with the
# worker's name, so two runs on one machine never share a database or a cache entry.
os.environ.setdefault("DATELINE_TEST_RUN", secrets.token_hex(4))
if os.environ.get("REDIS_URL"):
    # One Redis database for every run (DATELINE_TEST_REDIS_DB, 15 unless set): the runs and
    # workers keep apart by their keys' prefix (below); tests empty their caches by deleting
    # their prefix's keys (tests/caches.py), never with FLUSHDB.
    _base = (
        os.environ["REDIS_URL"].rsplit("/", 1)[0]
        if os.environ["REDIS_URL"].count("/") > 2
        else os.environ["REDIS_URL"]
    )
    os.environ["REDIS_URL"] = f"{_base}/{int(os.environ.get('DATELINE_TEST_REDIS_DB', '15'))}"
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("TASKS_BACKEND", "immediate")

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, VAR_DIR, env

TEST_RUN = os.environ["DATELINE_TEST_RUN"]
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")

VAR_DIR.mkdir(parents=True, exist_ok=True)
# No trained filters unless a test trains its own (tests/conftest.py, abuse_model): an empty
# folder of the test run's, never the demo's var/models.
DATELINE_MODEL_DIR = VAR_DIR / "models"

SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
WAGTAILADMIN_BASE_URL = "http://testserver"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so tests see the journal mode and locking the site runs with.
    # One file per test process, so parallel runs never share (or delete) each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    # test_<name>_<run>, and pytest-django adds _gw0, _gw1, … per xdist worker. Django drops it
    # when the run ends; a run that was killed leaves it behind: tools/test_isolation.py --drop
    # removes those no session is connected to.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{TEST_RUN}"}
DATELINE_ALLOW_ASYNC_UNSAFE = env.bool("DJANGO_ALLOW_ASYNC_UNSAFE", default=False)
WHITENOISE_USE_FINDERS = True
# Tests post many comments from one address in a second; the limiter still counts each one
# (so query counts stay honest), and tests/comments/test_guards.py sets the site's limits.
DATELINE_COMMENT_RATE_LIMITS = {"commenter": [(1000, 15)], "network": [(1000, 3600)]}

if not env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dateline-test",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dateline-test-pages",
        },
    }
else:
    # dateline-test-<run>-<worker>, and :pages for the page cache.
    for _cache in CACHES.values():
        _cache["KEY_PREFIX"] = f"dateline-test-{TEST_RUN}-{TEST_WORKER}" + _cache[
            "KEY_PREFIX"
        ].removeprefix("dateline")
