"""Reactions to the comment engine: an address that stopped reply notifications from a mail."""

from __future__ import annotations

from typing import Any

from .services import reader_replies_stopped


def replies_stopped_receiver(sender: Any, *, email_key: str, **kwargs: Any) -> None:
    # The reader's page and the comment form then show the box unticked, as the mail left it.
    reader_replies_stopped(email_key=email_key)
