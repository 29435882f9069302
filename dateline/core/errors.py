"""Errors that carry their HTTP meaning: the status, the message a person reads, and how long to
wait before trying again. Services raise them; the HTML views and the API each turn them into a
response in one place (``comments.views`` and ``api.views``), and the database being unreachable
is answered by ``core.middleware`` with the one ``Retry-After`` below."""

from __future__ import annotations

from django.conf import settings


class ServiceError(Exception):
    """A request a service cannot carry out. ``field`` names the input it is about, if any;
    ``retry_after`` (seconds) is sent as ``Retry-After``."""

    status: int = 400
    field: str | None = None
    retry_after: int | None = None
    default_message: str = "The request could not be carried out."

    def __init__(
        self,
        message: str = "",
        field: str | None = None,
        *,
        status: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)
        self.field = field or self.field
        if status is not None:
            self.status = status
        if retry_after is not None:
            self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


def database_retry_after() -> int:
    """Seconds a client is asked to wait when the database cannot be reached
    (``DATELINE_DATABASE_RETRY_AFTER``)."""
    return int(settings.DATELINE_DATABASE_RETRY_AFTER)
