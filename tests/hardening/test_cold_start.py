"""Issue 15, item 3: a server process loads what its requests need (scikit-learn and the learned
filters, the views, the main templates) before it takes traffic, and /healthz says so.

The shipped server (deploy/granian_server.py) loads them once in its main process, before forking
the workers: no worker's first comment waits for scikit-learn (17 s on a busy machine in the
report, which made gunicorn's 30 s timeout kill workers right after a restart), and a worker that
dies is replaced by one forked from the same loaded process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from dateline.core.health import readiness, readiness_ready, readiness_warming

from .processes import app_server, site_env


def test_the_shipped_server_has_the_filters_loaded_before_its_first_request(
    tmp_path: Path, abuse_model_dir: Path
) -> None:
    env = site_env(
        tmp_path / "var",
        settings_module="dateline.settings.production",
        DATELINE_MODEL_DIR=str(abuse_model_dir),
        WEB_CONCURRENCY="2",
        TASKS_BACKEND="immediate",
    )
    with app_server(env, tmp_path / "server.log") as url:
        # The first request each worker answers (several, so both workers are asked).
        for _ in range(4):
            health = requests.get(f"{url}/healthz", timeout=30).json()

            assert health["status"] == "ok"
            process = health["process"]
            assert process["state"] == "ready"
            assert process["loaded"]["filters"] == ["abuse"]
            assert process["loaded"]["templates"] > 0
            # Loaded by the master, before the worker answering was forked from it.
            assert process["preloaded"] is True


@pytest.fixture
def restore_readiness() -> Iterator[None]:
    saved = readiness().__dict__.copy()
    yield
    readiness().__dict__.update(saved)


def test_healthz_says_ready_only_once_the_process_has_loaded_what_it_needs(
    client: Any, db: None, restore_readiness: None
) -> None:
    # Loading runs while dateline.wsgi is imported, before anything is answered: a probe sees
    # a process that loaded ("ready") or one not started through dateline.wsgi ("cold").
    readiness().__dict__.update(state="cold", loaded={})
    cold = client.get("/healthz")

    readiness_warming()
    readiness_ready(loaded={"filters": []})
    ready = client.get("/healthz")

    assert cold.status_code == ready.status_code == 200
    assert cold.json()["process"]["state"] == "cold"
    assert ready.json()["process"]["state"] == "ready"
    assert ready.json()["process"]["loaded"] == {"filters": []}


def test_a_probe_reads_the_heartbeat_and_counts_waiting_tasks_at_most_every_few_seconds(
    client: Any, db: None, settings: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with CaptureQueriesContext(connection) as captured:
        answers = [client.get("/healthz") for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert all(a.json()["worker"]["waiting_tasks"] == 0 for a in answers)
    counts = [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    # Per probe: the database answers (SELECT 1) and the newest heartbeat.
    assert len(captured.captured_queries) == 1 + 3 * 2
