from __future__ import annotations

from typing import Any


def only_public_api(
    endpoints: list[tuple[str, str, str, Any]], **kwargs: Any
) -> list[tuple[str, str, str, Any]]:
    """The document describes /api/v1/ only, not Wagtail's own admin API."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]
