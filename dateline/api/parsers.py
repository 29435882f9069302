"""Request bodies the API reads: JSON within limits a request of ours can need.

Python's JSON decoder recurses once per level of nesting, so a body nested a thousand levels
deep raises ``RecursionError`` (a 500 through DRF's own ``JSONParser``, which catches only
``ValueError``); and DRF reads a body of any size. Every body the API takes is one flat object,
so a few levels and a megabyte are plenty; past them the answer is a 400 (nesting) or a 413
(size), before the decoder sees the text."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from itertools import accumulate
from typing import IO, Any

from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

# The longest comment (65,525 characters) written entirely as escaped surrogate pairs in ASCII
# JSON is 786,300 bytes; the other fields add a few kilobytes.
MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32

# A JSON string, escapes included, so that brackets inside text are not counted as nesting.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than this API accepts."
    default_code = "too_large"


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of the JSON ``text`` nest (0 for a lone value)."""
    brackets = _BRACKET.findall(_STRING.sub("", text))
    if len(brackets) <= MAX_DEPTH:  # cannot be deeper than the brackets it holds
        return len(brackets)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser behind a size and a nesting limit."""

    max_bytes = MAX_BODY_BYTES
    max_depth = MAX_DEPTH

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = stream.read(self.max_bytes + 1) if stream is not None else b""
        if len(raw) > self.max_bytes:
            raise BodyTooLarge(
                f"The request body is larger than {self.max_bytes // 1024} KiB; "
                "this API accepts no more."
            )
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"The JSON body is not valid {encoding}.") from exc
        if json_depth(text) > self.max_depth:
            raise ParseError(
                f"The JSON body is nested more than {self.max_depth} levels deep; "
                "this API's requests need far fewer."
            )
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as exc:  # not reached within the depth limit; kept as a guard
            raise ParseError("The JSON body is nested too deeply.") from exc
