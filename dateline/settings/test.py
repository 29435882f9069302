"""The test suite: the same settings as production code paths, with fast hashing and local mail."""

import os
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
if os.environ.get("REDIS_URL"):
    # One Redis database per pytest-xdist worker: a test's cache.clear() (FLUSHDB) must not
    # empty another worker's cache in the middle of its test.
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    _base = (
        os.environ["REDIS_URL"].rsplit("/", 1)[0]
        if os.environ["REDIS_URL"].count("/") > 2
        else os.environ["REDIS_URL"]
    )
    # DATELINE_TEST_REDIS_DB lets two test runs on one machine keep apart (default 15, 14, ...).
    _top = int(os.environ.get("DATELINE_TEST_REDIS_DB", "15"))
    os.environ["REDIS_URL"] = f"{_base}/{_top - (_worker % 4)}"
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("TASKS_BACKEND", "immediate")

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, VAR_DIR, env

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
    # Redis databases 15, 14, … (above), and a prefix of the tests' own besides.
    for _cache in CACHES.values():
        _cache["KEY_PREFIX"] = "dateline-test" + _cache["KEY_PREFIX"].removeprefix("dateline")
