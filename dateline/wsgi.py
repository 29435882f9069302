"""The WSGI application. Importing it loads what the site's requests need (the learned filters,
every view module, the main templates), so a server process is ready before it takes traffic:
under the shipped server the main process does it once before forking its workers
(deploy/granian_server.py; gunicorn's ``preload_app`` in deploy/gunicorn.conf.py), under
runserver the process does it at start. ``/healthz`` says how it went (``process``) and answers
503 while it runs."""

import gc
import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.dev")

application = get_wsgi_application()

# Imported after Django is set up.
from django.db import connections  # noqa: E402
from django.template import TemplateDoesNotExist, engines  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from dateline.core.health import readiness_ready, readiness_warming  # noqa: E402
from dateline.core.release import code_release  # noqa: E402
from dateline.moderation.classifier.storage import warm_up  # noqa: E402

log = logging.getLogger("dateline.wsgi")

# The pages most requests render; their compiled templates are kept by Django's cached loader.
WARM_TEMPLATES = {
    "django": [
        "base.html",
        "news/home_page.html",
        "news/section_page.html",
        "news/article_page.html",
        "comments/post_failed.html",
        "core/unavailable.html",
        "comments/post_unavailable.html",
    ],
    "jinja2": ["comments/nodes.html"],
}


def warm_site() -> dict[str, object]:
    """Load now what the first requests would otherwise load: scikit-learn and the learned
    filters (seconds on a busy machine; issue 15), every view module through the URL patterns,
    the main templates. Opens no database connection (a forked worker must not share one).
    Never raises: what fails to load is logged and loaded by the request that needs it."""
    readiness_warming()
    # Only connections this warm-up opened are closed: a process that had one before (a test
    # importing this module inside its transaction) keeps it.
    closed_before = [alias for alias in connections if connections[alias].connection is None]
    loaded: dict[str, object] = {"filters": warm_up()}
    # The code release names what the caches hold (a walk over the source files): worked out
    # here, not in each worker's first request.
    code_release()
    try:
        resolver = get_resolver()
        resolver.url_patterns  # noqa: B018 - imports every view module
        loaded["urls"] = len(resolver.reverse_dict)
    except Exception:
        log.exception("could not load the URL patterns ahead of the first request")
    templates = 0
    for alias, names in WARM_TEMPLATES.items():
        for name in names:
            try:
                engines[alias].get_template(name)
                templates += 1
            except TemplateDoesNotExist:
                log.warning("template %s not found while warming up", name)
            except Exception:
                log.exception("could not load template %s ahead of the first request", name)
    loaded["templates"] = templates
    for alias in closed_before:
        connections[alias].close()
    readiness_ready(loaded=loaded)
    return loaded


warm_site()
# What the process has loaded (modules, templates, the filters) lives as long as it does: out of
# the cyclic collector's way, so a full collection walks only what requests made since (with the
# quarter of a million objects loaded, one took about 130 ms of CPU every 3,000 or so article
# renders: some 40 µs a request; docs/performance.md, "The page's own bytes"), and forked
# workers do not write to those pages when it runs. The warm-up's own garbage goes first.
gc.collect()
gc.freeze()
