"""Two test runs on one machine share neither a PostgreSQL database nor Redis keys: the test
settings name both after the run (one id per run, inherited by its xdist workers) and the
worker. tools/test_isolation.py runs two whole runs at once to show it end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

READ = (
    "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'dateline.settings.test';"
    "from django.conf import settings as s;"
    "print(json.dumps({'database': s.DATABASES['default']['TEST']['NAME'],"
    " 'run': os.environ['DATELINE_TEST_RUN'],"
    " 'redis': s.CACHES['default']['LOCATION'],"
    " 'prefixes': sorted(c['KEY_PREFIX'] for c in s.CACHES.values())}))"
)


def settings_of(tmp_path: Path, **env: str) -> dict[str, object]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATELINE_TEST_RUN", "PYTEST_XDIST_WORKER", "DJANGO_SETTINGS_MODULE"}
    }
    base.update(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/dateline",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DATELINE_TEST_VAR_DIR=str(tmp_path),
        **env,
    )
    out = subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_two_runs_and_two_workers_use_their_own_database_and_keys(tmp_path: Path) -> None:
    seen = [
        settings_of(tmp_path, DATELINE_TEST_RUN=run, PYTEST_XDIST_WORKER=worker)
        for run in ("0a0a0a0a", "0b0b0b0b")
        for worker in ("gw0", "gw1")
    ]

    # pytest-django adds _gw0, _gw1 to the database's name for each worker.
    assert [s["database"] for s in seen] == [
        "test_dateline_0a0a0a0a",
        "test_dateline_0a0a0a0a",
        "test_dateline_0b0b0b0b",
        "test_dateline_0b0b0b0b",
    ]
    prefixes = [p for s in seen for p in s["prefixes"]]  # type: ignore[attr-defined]
    assert len(set(prefixes)) == len(prefixes) == 8
    assert "dateline-test-0b0b0b0b-gw1:pages" in prefixes
    # One Redis database for all (15 unless DATELINE_TEST_REDIS_DB says), kept apart by prefix.
    db = int(os.environ.get("DATELINE_TEST_REDIS_DB", "15"))
    assert {s["redis"] for s in seen} == {f"redis://127.0.0.1:6379/{db}"}


def test_a_run_without_an_id_makes_one(tmp_path: Path) -> None:
    first, second = settings_of(tmp_path), settings_of(tmp_path)

    assert first["run"] != second["run"]
    assert first["database"] == f"test_dateline_{first['run']}"
