"""Pure text helpers for site search: query parsing, Arabic normalisation, snippets, suggestions.

Nothing here touches the database; selectors.article_search runs the queries. The same
``normalise_arabic`` runs when an article is indexed (``ArticlePage.search_normalised``) and when
a reader searches, so spelling variants and attached prefixes meet in the middle.
See docs/decisions/0020-search.md for why these are written here rather than taken from a library.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Longest query we look at: longer input is cut, not refused.
MAX_QUERY_LENGTH = 200
# At most this many words go into the full-text query.
MAX_TERMS = 8

# \w in Python is Unicode-aware: Latin, Arabic, Cyrillic, digits. Everything else separates.
# Arabic marks belong to the word they sit on (\w alone would split مُؤتمر at its damma).
_WORD = re.compile(r"[\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]+", re.UNICODE)
_TRAILING_WORD = re.compile(_WORD.pattern + "$", re.UNICODE)
# Longest word we search for; longer ones are cut (no real word is this long).
MAX_WORD_LENGTH = 60
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
# Harakat, Quranic marks, superscript alef and tatweel.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
_ARABIC_VARIANTS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ی": "ي",  # Persian yeh, common in pasted text
        "ک": "ك",  # Persian keheh
    }
)
# Definite-article prefixes, longest first: "wal-", "bil-", "kal-", "fal-", "lil-", "al-".
_ARTICLE_PREFIXES = ("وال", "بال", "كال", "فال", "ولل", "لل", "ال")
# One-letter conjunctions and prepositions: "wa-", "fa-", "bi-", "li-", "ka-".
_LETTER_PREFIXES = ("و", "ف", "ب", "ل", "ك")


def has_arabic(text: str) -> bool:
    return _ARABIC_LETTER.search(text) is not None


def normalise_arabic_word(word: str) -> str:
    """One Arabic word without marks, with letter variants unified and a common prefix removed.

    Prefixes are removed only while enough of the word is left (three letters after the
    definite article, four after a single letter), so that a root letter is not mistaken for
    a conjunction: وزير stays, والمياه and بالمياه become مياه.
    """
    word = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", word)).translate(_ARABIC_VARIANTS)
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    if word[:1] in _LETTER_PREFIXES and len(word) >= 5:
        return word[1:]
    return word


def normalise_arabic(text: str) -> str:
    """The normalised form of every Arabic word in ``text``, space-separated (others dropped)."""
    words = (normalise_arabic_word(w) for w in _WORD.findall(text or "") if has_arabic(w))
    return " ".join(word for word in words if word)


# Words too common to narrow a search; left out of a query that has other words.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "more",
        "not",
        "of",
        "on",
        "or",
        "our",
        "over",
        "says",
        "she",
        "than",
        "that",
        "the",
        "their",
        "them",
        "there",
        "these",
        "they",
        "this",
        "to",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


@dataclass(frozen=True)
class Term:
    """One word of the reader's query and the forms the index may hold it under."""

    text: str
    forms: tuple[str, ...]


def query_cut(text: str) -> str:
    """``text`` cut to MAX_QUERY_LENGTH characters between two words: a word cut in half
    ("budg") would have to appear in every article found, and none has it."""
    if len(text) <= MAX_QUERY_LENGTH:
        return text
    cut = text[:MAX_QUERY_LENGTH]
    if _WORD.match(text, MAX_QUERY_LENGTH) and _WORD.search(cut[-1]):
        cut = _TRAILING_WORD.sub("", cut) or cut  # one word longer than the limit: kept cut
    return cut


def parse_query(raw: str) -> list[Term]:
    """The reader's words, safe for any full-text syntax: letters and digits only.

    Quotes, NUL and other control characters, operators and punctuation are separators
    (wagtail#13227: the SQLite FTS backend breaks on quotes), so no input reaches the database
    as syntax. Repeated words are dropped; at most MAX_TERMS words are kept.
    """
    cleaned = unicodedata.normalize("NFKC", (raw or "")[: MAX_QUERY_LENGTH * 2].replace("\x00", ""))
    terms: list[Term] = []
    seen: set[str] = set()
    for word in _WORD.findall(query_cut(cleaned)):
        word = word.replace("_", "")[:MAX_WORD_LENGTH]
        lowered = _ARABIC_MARKS.sub("", word.casefold())
        if not lowered or lowered in seen:
            continue
        seen.add(lowered)
        forms = [lowered]
        if has_arabic(word):
            forms = [f for f in dict.fromkeys([lowered, normalise_arabic_word(lowered)]) if f]
        terms.append(Term(text=word, forms=tuple(forms)))
        if len(terms) == MAX_TERMS * 2:
            break
    meaningful = [term for term in terms if term.forms[0] not in STOPWORDS]
    return (meaningful or terms)[:MAX_TERMS]


def clean_search_query(query: str) -> str:
    """The query as words separated by spaces (empty when nothing searchable is left)."""
    return " ".join(term.text for term in parse_query(query))


def plain_text(body: Any) -> str:
    """A StreamField body as plain text: paragraphs' words without markup, headings, quotes,
    captions; one block per line."""
    if body is None:
        return ""
    try:
        pieces = body.stream_block.get_searchable_content(body)
    except (AttributeError, TypeError, ValueError):
        return ""
    return "\n".join(" ".join(str(piece).split()) for piece in pieces if piece)


# --- Snippets --------------------------------------------------------------------------------

SNIPPET_LENGTH = 240


def _fold(word: str) -> str:
    """How a word of the text is compared with the query's forms."""
    lowered = word.casefold()
    return normalise_arabic_word(lowered) if has_arabic(lowered) else lowered


def _wanted(terms: Iterable[Term]) -> set[str]:
    wanted: set[str] = set()
    for term in terms:
        wanted.update(term.forms)
        wanted.add(_fold(term.text))
    return wanted


def _first_match(text: str, wanted: set[str]) -> int | None:
    """Where the first matching word may start: a substring search (fast, in C) for each
    form, confirmed word by word around it; None when nothing matches."""
    lowered = text.lower()
    positions = sorted(p for p in (lowered.find(form) for form in wanted if form) if p >= 0)
    for position in positions[:5]:
        # The word containing this position (a prefix may sit before it: والمياه).
        start = max(0, position - 8)
        for match in _WORD.finditer(text, start, min(len(text), position + 80)):
            if _fold(match.group()) in wanted:
                return match.start()
    return None


def highlight_matches(text: str, terms: Iterable[Term]) -> bool:
    """Whether any word of ``text`` matches the query (to choose what to cut a snippet from)."""
    return _first_match(text or "", _wanted(terms)) is not None


def highlight(text: str, terms: Iterable[Term], *, length: int = SNIPPET_LENGTH) -> SafeString:
    """An escaped extract of ``text`` around the first matched word, matches in <mark>.

    ``text`` is the article's stored plain text (never HTML); every piece is escaped here, so a
    headline or body containing markup can't inject any. Words match by their folded form
    (case, Arabic marks, letter variants and prefixes), like the index does.
    """
    text = text or ""
    wanted = _wanted(terms)
    first = _first_match(text, wanted)
    start = 0
    if first is not None:
        start = max(0, first - length // 4)
        if start:
            # Start at a word boundary.
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    parts: list[str] = ["…" if start else ""]
    position = start
    for match in _WORD.finditer(text, start, end):
        if _fold(match.group()) not in wanted:
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


# --- "Did you mean" --------------------------------------------------------------------------


def vocabulary_words(*texts: str) -> set[str]:
    """Words worth suggesting from headlines, tags, sections and names: three letters or more,
    not numbers, folded like the index folds them."""
    words: set[str] = set()
    for text in texts:
        for word in _WORD.findall(text or ""):
            if len(word) >= 3 and not word.isdigit():
                words.add(_fold(word)[:60])
    return words


def _cased_like(typed: str, word: str) -> str:
    """The vocabulary's ``word`` (kept folded, in lower case) written as the reader wrote the
    word it corrects: "Moscw" → "Moscow", "NATO" stays in capitals, "moscw" → "moscow"."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def suggest(terms: list[Term], vocabulary: dict[str, list[str]]) -> str | None:
    """A corrected query, each unknown word replaced by its closest vocabulary word
    (difflib's ratio ≥ 0.75), or None when nothing changes. ``vocabulary`` maps a word's
    first letter to candidate words."""
    changed = False
    words: list[str] = []
    for term in terms:
        form = term.forms[-1]
        candidates = vocabulary.get(form[:1], [])
        if form in candidates:
            words.append(term.text)
            continue
        close = difflib.get_close_matches(form, candidates, n=1, cutoff=0.75)
        if close:
            words.append(_cased_like(term.text, close[0]))
            changed = True
        else:
            words.append(term.text)
    return " ".join(words) if changed else None
