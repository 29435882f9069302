"""The production settings for a server the hardening tests start on the test run's database,
with static files read from the apps (no `collectstatic` run for a test): everything else is
``dateline.settings.production`` as shipped."""

from dateline.settings.production import *  # noqa: F403
from dateline.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
