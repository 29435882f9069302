"""Personal data held under an email address by apps that know nothing of each other.

The commenters' rights flow (export and erasure by emailed link, from the admin, or when a reader
deletes their account) is the one place a person's data is exported or erased. Other apps that
keep an address (newsletters) register what they hold here, in ``AppConfig.ready``; the flow
calls every registered app inside its own transaction, so an erasure is all or nothing.

This is a registry rather than a signal because each part returns something: its share of the
export, and how many rows it erased.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalDataHolder:
    # The key of its part in the export ("newsletters").
    name: str
    # The address's data in that app, as JSON-ready values; None when it holds nothing.
    export: Callable[[str], Any]
    # Erase everything the app holds under the address; returns how many rows went.
    erase: Callable[[str], int]


_holders: dict[str, PersonalDataHolder] = {}


def personal_data_register(
    name: str, *, export: Callable[[str], Any], erase: Callable[[str], int]
) -> None:
    """Say what an app holds under an address (called again with the same name: replaced)."""
    _holders[name] = PersonalDataHolder(name=name, export=export, erase=erase)


def personal_data_export(email: str) -> dict[str, Any]:
    """Every registered app's part of the address's export, by name."""
    return {name: holder.export(email) for name, holder in sorted(_holders.items())}


def personal_data_erase(email: str) -> dict[str, int]:
    """Erase the address from every registered app; rows erased by name. Call it inside the
    caller's transaction."""
    return {name: holder.erase(email) for name, holder in sorted(_holders.items())}
