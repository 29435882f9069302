"""Logging filters named in the settings' ``LOGGING``."""

from __future__ import annotations

import logging
import threading
import time
from types import TracebackType

ExcInfo = (
    tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None] | None
)


def _cause(exc_info: ExcInfo) -> str:
    """The error as one line (django-redis's names Redis's: "Redis ConnectionError: Error 111
    connecting to 127.0.0.1:6379. Connection refused.")."""
    error = exc_info[1] if exc_info else None
    if error is None:
        return ""
    return " ".join(str(error).split()) or type(error).__name__


class EveryFewSeconds(logging.Filter):
    """One record of its logger every ``seconds``, as one line with its error's cause and how
    many were left out since the last: a dependency that is down (Redis) fails every call, and a
    traceback for each drowned the log (3,200 a server in 20 s) and took the CPU of the pages
    still being served. Per process."""

    def __init__(self, seconds: float = 10.0, summary: str = "") -> None:
        super().__init__()
        self.seconds = seconds
        self.summary = summary
        self._lock = threading.Lock()
        self._next = 0.0
        self._left_out = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        with self._lock:
            if now < self._next:
                self._left_out += 1
                return False
            self._next = now + self.seconds
            left_out, self._left_out = self._left_out, 0
        cause = _cause(record.exc_info)
        line = self.summary or record.getMessage()
        if cause:
            line += f": {cause}"
        if left_out:
            line += f" ({left_out} more in the last {self.seconds:g} s or less, not logged)"
        record.msg, record.args = line, None
        record.exc_info, record.exc_text = None, None
        return True
