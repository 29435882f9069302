"""Reader text in and out: normalisation on the way in, one sanitizer on the way out."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_SURROGATES = re.compile(r"[\ud800-\udfff]")
# Characters that change how the text around them is shown without being seen themselves:
# bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069, the marks U+200E,
# U+200F, U+061C), zero-width spaces and joiners (U+200B-U+200D), the word joiner and invisible
# operators (U+2060-U+2064) and the byte-order mark (U+FEFF). In a name they only serve to
# disguise it: "\u202egnp.exe" shows as "exe.png".
_INVISIBLE_FORMATTING = re.compile(
    "[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_RULES = ["emphasis", "blockquote", "link", "backticks", "fence", "code", "newline", "escape"]


def _markdown(*, linkify: bool) -> MarkdownIt:
    """A small Markdown: paragraphs, emphasis, quotes, links, code. No raw HTML, images,
    headings or tables; with ``linkify``, bare URLs become links."""
    options = {"html": False, "linkify": linkify, "breaks": True, "typographer": False}
    return MarkdownIt("zero", options).enable(
        [*_RULES, "autolink", *(["linkify"] if linkify else [])]
    )


_md = _markdown(linkify=True)
# The same without linkify, for text that cannot hold a bare link: linkify-it's own pretest is
# one very large regular expression (~80 µs a comment). A bare link needs a scheme (":"), an
# address ("@"), "//", "localhost" or a dot followed by a letter or digit (a host name), so
# text with none of these renders the same either way (tested).
_md_plain = _markdown(linkify=False)
_MAYBE_LINK = re.compile(r"[:@]|//|\.\w|localhost", re.IGNORECASE)
# Text the enabled Markdown rules leave as it is, but for paragraphs and line breaks: none of
# the characters a rule starts at (escape, code, emphasis, links, autolinks, quotes; "&", "<"
# and ">", which would be escaped; "~"), no control character, no white space but " " and
# "\n" (a tab indents, and a paragraph is trimmed of any Unicode space: the class lists every
# other character ``str.isspace`` knows, tested), and no line that starts or ends with a space
# (indented code, hard breaks: ``_plain``). The HTML of such a text is written out directly
# (``_plain_html``); what Markdown and nh3 make of it is the same (tested on the shared
# datasets' texts). Most readers' comments have no markup at all.
_MARKUP_OR_SPACE = re.compile(
    "[\\\\`*_\\[\\]<>&~\x00-\x09\x0b-\x1f\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")
_ALLOWED_TAGS = {"p", "br", "em", "strong", "blockquote", "a", "code", "pre"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}


def has_invalid_characters(text: str) -> bool:
    """NUL and other control characters, or lone surrogates (text that is not Unicode)."""
    return bool(_CONTROL.search(text) or _SURROGATES.search(text))


def normalise_text(text: str) -> str:
    """What we store: NFC, Unix newlines, no trailing spaces at the ends."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def normalise_name(name: str) -> str:
    """What we store as a commenter's name: ``normalise_text`` without the invisible
    formatting characters (bidi controls, zero-width characters), which could make a name
    read as something else."""
    return normalise_text(_INVISIBLE_FORMATTING.sub("", name))


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email).strip().lower()


def body_fingerprint(body: str) -> str:
    """The same text, however it was spaced or cased, gives the same fingerprint."""
    folded = " ".join(unicodedata.normalize("NFKC", body).casefold().split())
    return hashlib.sha256(folded.encode()).hexdigest()


def render_comment_body(text: str) -> SafeString:
    """The one place reader text becomes HTML: Markdown subset, then nh3, then nothing else.
    Plain text (no markup, no link) is written as paragraphs directly: the same HTML."""
    if _MAYBE_LINK.search(text) is None:
        if _plain(text):
            return mark_safe(_plain_html(text))  # noqa: S308 - no character HTML would read
        html = _md_plain.render(text)
    else:
        html = _md.render(text)
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 just above


def _plain(text: str) -> bool:
    return (
        _MARKUP_OR_SPACE.search(text) is None
        and " \n" not in text
        and "\n " not in text
        and text[:1] != " "
        and text[-1:] != " "
    )


def _plain_html(text: str) -> str:
    """What Markdown then nh3 make of a text ``_plain`` lets through: a paragraph per
    block between blank lines, a ``<br>`` per line break inside one. No character needs
    escaping: "&", "<" and ">" are not in it, and nh3 writes a quote in text as it is."""
    if not text:
        return ""
    return "".join(
        f"<p>{paragraph.replace(chr(10), '<br>' + chr(10))}</p>\n"
        for paragraph in _PARAGRAPH_BREAK.split(text)
    )


def _keyed(purpose: str, value: str) -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256
    ).digest()


def reader_key(purpose: str, token: str) -> str:
    """A keyed hash of a reader's browser token, for likes and reports."""
    return _keyed(purpose, token).hex()[:64]


def account_key(purpose: str, user_id: int) -> str:
    """A keyed hash of a signed-in reader's account (its user's id, never the address), for
    likes: the same in every browser the reader signs in on. Its own purpose (``like-account``
    for ``like``), so no browser token can be made to hash to an account's key."""
    return _keyed(f"{purpose}-account", str(user_id)).hex()[:64]


__all__ = [
    "account_key",
    "body_fingerprint",
    "has_invalid_characters",
    "normalise_email",
    "normalise_name",
    "normalise_text",
    "reader_key",
    "render_comment_body",
]
