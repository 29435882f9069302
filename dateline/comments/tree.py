"""Where a comment sits in its article's tree: a materialized path (see models.Comment).

The one place that works out a comment's ``path``, ``thread`` and ``depth`` from its parent's;
the service that posts, the import and the demo all place comments through it."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


def path_segment(moment: datetime | None = None) -> str:
    """A path segment that sorts by time: microseconds since 1970 in 13 hex digits, then 3
    random ones against collisions."""
    micros = int(moment.timestamp() * 1_000_000) if moment is not None else time.time_ns() // 1000
    return f"{micros:013x}{secrets.randbelow(16**3):03x}"


@dataclass(frozen=True)
class TreePosition:
    path: str
    thread: str
    depth: int


def tree_position(
    *, segment: str, parent_path: str = "", parent_thread: str = "", parent_depth: int = -1
) -> TreePosition:
    """The place of a comment whose own segment is ``segment``: under the parent given by its
    path, thread and depth, or at the top of a new thread when ``parent_path`` is empty."""
    if not parent_path:
        return TreePosition(path=segment, thread=segment, depth=0)
    return TreePosition(
        path=f"{parent_path}/{segment}", thread=parent_thread, depth=parent_depth + 1
    )


class InTree(Protocol):
    path: str
    thread: str
    depth: int


def tree_position_under(parent: InTree | None, *, segment: str) -> TreePosition:
    """:func:`tree_position` under a comment (anything with ``path``, ``thread``, ``depth``),
    or at the top when ``parent`` is None."""
    if parent is None:
        return tree_position(segment=segment)
    return tree_position(
        segment=segment,
        parent_path=parent.path,
        parent_thread=parent.thread,
        parent_depth=parent.depth,
    )
