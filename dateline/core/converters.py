"""Database ids from the outside world, read in one place.

``parse_id`` is the only reader of an id a client sent (a path's ``<id:pk>``, a form's hidden
field, a query parameter, a JSON number): ASCII digits, 1 to 2^63 - 1. Python's ``int()`` and
``str.isdigit()`` both take other digits ("²", "١", fullwidth "１"), and a number past 2^63 - 1
overflows the database driver (SQLite's INTEGER, PostgreSQL's bigint): a 500 instead of a 404 or
a 400."""

from __future__ import annotations

import re

from django.urls import register_converter

ID_MAX = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value: object) -> int | None:
    """``value`` as a database id (an int, or a string of ASCII digits, from 1 to ``ID_MAX``),
    else None. Booleans are not ids; neither is anything with a sign, spaces or an exponent."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= ID_MAX else None


class IdConverter:
    """``<id:pk>``: a path segment that is a database id; any other number is no match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")


class WordSlugConverter:
    """``<wslug:slug>``: a slug of letters of any script, digits, ``-`` and ``_`` (what
    ``django.utils.text.slugify(allow_unicode=True)`` makes: Arabic topics are "مياه", not
    ASCII). Django's ``<slug:…>`` takes ASCII only, so such a page was a 404 and reversing its
    address an error."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(WordSlugConverter, "wslug")
