"""Settings of the application servers the front-cache tests start (granian, db_worker): the
test settings, on the test run's own database, with the page cache and the task queue shared
with the test process (a file cache without Redis; Redis when REDIS_URL is set)."""

import os
from pathlib import Path

from dateline.settings.test import *  # noqa: F403
from dateline.settings.test import CACHES, DATABASES, REDIS_URL

DATABASES["default"]["NAME"] = os.environ["DATELINE_TEST_DB_NAME"]
DATABASES["default"]["TEST"] = {"NAME": os.environ["DATELINE_TEST_DB_NAME"]}
if not REDIS_URL:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["DATELINE_TEST_PAGES_DIR"],
    }
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# The servers' own model folder: a test installs a model there without other test processes
# (pytest-xdist) seeing it in theirs.
DATELINE_MODEL_DIR = Path(os.environ["DATELINE_TEST_MODEL_DIR"])
# The site's own limits per commenter (tests/frontcache/test_two_servers.py counts them across
# servers); the network's stays high, every test reader comes from 127.0.0.1.
DATELINE_COMMENT_RATE_LIMITS = {"commenter": [(1, 15), (20, 3600)], "network": [(1000, 3600)]}
