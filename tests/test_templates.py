"""Template source checks that no rendered-page test would name."""

from __future__ import annotations

import re
from pathlib import Path

DATELINE = Path(__file__).resolve().parents[1] / "dateline"


def test_django_template_comments_stay_on_one_line() -> None:
    # Django's {# … #} ends at the line's end: one spread over lines is printed to the reader
    # (it was, above a thread). Longer notes use {% comment %}. Jinja2 templates may span lines.
    spread = []
    for path in sorted(DATELINE.glob("*/templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for opening in re.finditer(r"\{#", line):
                if "#}" not in line[opening.end() :]:
                    spread.append(f"{path.relative_to(DATELINE)}:{number}")
    assert spread == []
