"""Which code and templates this process runs, as one short name: a key part for what is
cached from rendering (the page cache, fragments), so that a deploy never serves markup or
objects built by other code."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def code_release() -> str:
    """Every .py and .html file of the project, by size and modification time; worked out once
    per process (a deploy starts new processes)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html"):
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()
