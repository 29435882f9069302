"""A file page cache on a full disk: it reads and deletes, but every write fails as a full
disk's does (ENOSPC), so the tests need no disk to fill."""

from __future__ import annotations

import errno
import os
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache


class FullDiskCache(FileBasedCache):
    def _full(self, *args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    set = add = set_many = touch = incr = _full
