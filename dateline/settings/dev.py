"""Local development and `make demo`: debug on, a throwaway secret key when none is set."""

import contextlib

from .base import *  # noqa: F403
from .base import STATIC_ROOT, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-key-not-for-production-0123456789abcdefghijkl")

# Static files straight from the apps, without collectstatic, whatever DEBUG says.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Whitenoise also serves STATIC_ROOT and warns at start when the folder is missing, as it is in a
# fresh var/ (collectstatic is for `make serve`): an empty folder keeps `make demo` quiet.
with contextlib.suppress(OSError):  # a read-only checkout: the warning, then, and nothing worse
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
