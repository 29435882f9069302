"""URL converters. ``<id:pk>`` is a database id: digits that fit in a 64-bit integer, so a huge
number is a 404 rather than an overflow in the database driver."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
