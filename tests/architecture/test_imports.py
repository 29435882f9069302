"""The direction of imports drawn in docs/architecture.md, checked by import-linter's contracts
(pyproject.toml, [tool.importlinter]): apps import downwards only, and no package's modules
import each other in a circle, imports inside functions included."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter is not installed (make install)"
)


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_of_the_code(tmp_path: Path) -> Path:
    """The project's Python code and its contracts, to break on purpose."""
    root = tmp_path / "repo"
    shutil.copytree(
        REPO / "dateline", root / "dateline", ignore=shutil.ignore_patterns("*.pyc", "__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_code_keeps_the_import_contracts() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        # The bottom layer reaching up, from inside a function (where it used to hide).
        (
            "dateline/core/upward.py",
            "def f():\n    from dateline.news import selectors\n",
            "dateline.core is not allowed to import dateline.news",
        ),
        # Two apps of the top row, which import nothing of each other.
        (
            "dateline/feeds/sideways.py",
            "from dateline.seo import structured\n",
            "dateline.feeds is not allowed to import dateline.seo",
        ),
        # A circle inside one app: the commenters' tasks calling back into their services.
        (
            "dateline/commenters/tasks.py",
            None,
            "No cycles are allowed in dateline.commenters",
        ),
    ],
)
def test_an_import_against_the_drawing_is_refused(
    tmp_path: Path, module: str, source: str | None, broken: str
) -> None:
    root = copy_of_the_code(tmp_path)
    path = root / module
    if source is None:
        source = path.read_text() + "\n\ndef _back():\n    from . import services\n"
    path.write_text(source)
    result = lint_imports(root)
    assert result.returncode == 1, result.stdout
    assert broken in result.stdout
