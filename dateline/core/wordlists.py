"""Word lists for comment rules: whole words and phrases, not substrings.

WordPress matches each line of its lists as a substring, so "press" fires on "WordPress" and
"ass" on "class". Here an entry matches whole words only, after both the entry and the comment
are case-folded (``str.casefold``), NFKC-normalised and stripped of accents, so "Casino",
"CASINO", "cäsino" and "ｃａｓｉｎｏ" all match ``casino``. One entry per line:

``casino``            the word, whole
``free money``        the phrase; any run of spaces or punctuation between its words
``casin*``            a word starting with "casin" (``*`` is a wildcard for letters)
``/c[a4]s[i1]no/``    a regular expression, matched against the normalised text

Lines starting with ``#`` are comments. A list compiles once per distinct text (cached), not per
comment. Why this is hand-written: docs/decisions/0030-word-lists.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError

MAX_ENTRY = 200
MAX_ENTRIES = 2000
# Characters that separate the words of a phrase in the comment.
_GAP = r"[\W_]+"


def fold(text: str) -> str:
    """Case-folded, NFKC-normalised text without accents or diacritics ("Ünïcödé" → "unicode").

    Characters keep their place one for one where they can, so a match can be reported.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


@dataclass(frozen=True)
class Entry:
    text: str  # as the editor wrote it
    pattern: str


def _entry_pattern(raw: str) -> str:
    if len(raw) > 2 and raw.startswith("/") and raw.endswith("/"):
        source = raw[1:-1]
        try:
            compiled = re.compile(source)
        except re.error as exc:
            raise ValidationError(f"“{raw}” is not a valid regular expression: {exc}.") from exc
        if compiled.groupindex:
            raise ValidationError(f"“{raw}”: named groups are not needed here; use (?:…).")
        if compiled.groups:
            # Groups would only be numbered wrongly inside the combined pattern.
            source = re.sub(r"(?<!\\)\((?!\?)", "(?:", source)
        if compiled.match(""):
            raise ValidationError(f"“{raw}” matches an empty text, so it would fire on anything.")
        if re.search(r"\([^)]*[+*?}][^)]*\)[+*?{]", source):
            # A repeated group of repeats ("(a+)+"): can take exponential time on some texts.
            raise ValidationError(
                f"“{raw}” repeats a group that itself repeats; write it without the nesting."
            )
        return f"(?i:{source})"
    words = fold(raw).split()
    if not words:
        raise ValidationError(f"“{raw}” has no letters to match.")
    parts = []
    for word in words:
        stem = word.rstrip("*")
        if not stem:
            raise ValidationError(f"“{raw}”: a wildcard needs letters before it, like casin*.")
        if "*" in stem:
            raise ValidationError(f"“{raw}”: a wildcard may only end a word, like casin*.")
        parts.append(re.escape(stem) + (r"\w*" if word.endswith("*") else ""))
    return r"(?<!\w)" + _GAP.join(parts) + r"(?!\w)"


def parse(text: str) -> list[Entry]:
    """The entries of a list, one per line. Raises ValidationError naming the bad line."""
    entries = []
    for line in text.splitlines():
        raw = line.strip()
        if not raw or raw.startswith("#"):
            continue
        if len(raw) > MAX_ENTRY:
            raise ValidationError(f"“{raw[:40]}…” is longer than {MAX_ENTRY} characters.")
        entries.append(Entry(raw, _entry_pattern(raw)))
    if len(entries) > MAX_ENTRIES:
        raise ValidationError(f"A list may have at most {MAX_ENTRIES} entries.")
    return entries


def validate_word_list(text: str) -> None:
    """Model-field validator: the admin form shows the message next to the list."""
    parse(text)


class WordList:
    """A compiled list: ``first_match(comment)`` names the entry that fired, or ``None``."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        # One alternation with a named group per entry: one pass over the text.
        self._pattern = (
            re.compile("|".join(f"(?P<e{i}>{e.pattern})" for i, e in enumerate(entries)))
            if entries
            else None
        )

    def first_match(self, text: str) -> str | None:
        if self._pattern is None or not text:
            return None
        found = self._pattern.search(fold(text))
        if found is None:
            return None
        return self.entries[int(str(found.lastgroup)[1:])].text

    def __bool__(self) -> bool:
        return self._pattern is not None


@lru_cache(maxsize=64)
def compiled(text: str) -> WordList:
    """The compiled list for ``text`` (cached by its content: a changed list compiles again).

    An entry that does not compile any more (saved before validation existed) is left out
    rather than breaking posting."""
    try:
        return WordList(parse(text))
    except ValidationError:
        good = []
        for line in text.splitlines():
            try:
                good.extend(parse(line))
            except ValidationError:
                continue
        return WordList(good)


_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def parse_domains(text: str) -> frozenset[str]:
    """Domains, one per line ("casino.example", "*.casino.example", "https://casino.example/"),
    as lower-case ASCII (IDNA). Raises ValidationError naming the bad line."""
    found = set()
    for line in text.splitlines():
        raw = line.strip()
        if not raw or raw.startswith("#"):
            continue
        host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", raw.lower()).split("/", 1)[0]
        host = host.removeprefix("*.").strip(".")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise ValidationError(f"“{raw}” is not a domain name.") from exc
        if not _DOMAIN.match(host):
            raise ValidationError(f"“{raw}” is not a domain name, like casino.example.")
        found.add(host)
    return frozenset(found)


def validate_domain_list(text: str) -> None:
    parse_domains(text)


@lru_cache(maxsize=16)
def compiled_domains(text: str) -> frozenset[str]:
    try:
        return parse_domains(text)
    except ValidationError:
        return frozenset()


def domain_in(host: str, domains: frozenset[str] | set[str]) -> str | None:
    """The listed domain ``host`` is, or is under ("a.b.casino.example" → "casino.example")."""
    labels = host.lower().strip(".").split(".")
    for start in range(len(labels) - 1):
        candidate = ".".join(labels[start:])
        if candidate in domains:
            return candidate
    return None
