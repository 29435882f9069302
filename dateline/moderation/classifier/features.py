"""Text normalisation and the hand-written rule signals the spam model also reads."""

from __future__ import annotations

import html
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

logger = logging.getLogger("dateline.moderation.classifier")

# --- Text normalisation and rule signals ----------------------------------------------------

_TAG = re.compile(r"<[^>]{0,2000}>")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), " ")
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|io|co|ru|xyz|top|shop|online|site|me|ly"
    r"|tv|us|uk|de|pl|se|gl|be|to|in)\b(?:/\S*)?",
    re.IGNORECASE,
)
_RUN = re.compile(r"(\S)\1{3,}")
_SPACE = re.compile(r"\s+")
_MENTION = re.compile(r"(?:^|\s)@ ?\w|\b[\w.+-]+@[\w-]+\.\w{2,}")
_MONEY = re.compile(
    r"[$€£]\s?\d|\b\d+\s?(?:usd|dollars?|euros?|bucks)\b"
    r"|\b(?:free|cash|money|earn|paypal|gift ?cards?|bitcoins?|crypto|btc|invest(?:ment)?|profit|income)\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
# Self-promotion: asking readers to go somewhere else or to do something for the writer.
_PROMOTION = re.compile(
    r"\b(?:my (?:new |own |latest |first )?(?:videos?|channel|page|music|songs?|track|profile|blog"
    r"|playlist|site|website|store|shop|account|cover|remix|mixtape)"
    r"|check (?:out )?(?:my|our|me)|(?:sub(?:scribe)?|follow|add) (?:to )?(?:me|us|my|our)\b"
    r"|sub ?(?:4|for) ?sub|like ?(?:4|for) ?like|follow ?(?:4|for) ?follow|visit (?:my|our)"
    r"|click (?:here|the link|this|on)|free (?:gift|money|cash|iphone|download)"
    r"|earn (?:money|cash|\$)|make money|work from home)",
    re.IGNORECASE,
)
_CALL_TO_ACTION = re.compile(
    r"\b(?:subscribe|subscribers?|channel|check (?:it|this|out)"
    r"|please (?:like|share|watch|visit|subscribe|help)|like this comment|share this|watch this"
    r"|click|visit)\b",
    re.IGNORECASE,
)


def plain_text(text: str) -> str:
    """The text a reader sees: entities decoded, tags dropped, Unicode NFKC, one space."""
    text = html.unescape(html.unescape(text))
    text = _TAG.sub(" ", text)
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return _SPACE.sub(" ", text).strip()


def _host(url: str) -> str:
    url = re.sub(r"^(?:https?://)?(?:www\.|m\.)?", "", url, flags=re.I)
    return re.split(r"[/?#]", url, maxsplit=1)[0].lower()


def _url_token(match: re.Match[str]) -> str:
    return f" urltoken dom_{re.sub(r'[^a-z0-9]', '_', _host(match.group(0)))} "


def normalize_text(text: str) -> str:
    """What the n-gram features read: plain text, each link as ``urltoken dom_<host>``, runs of
    one character cut to three, lower case."""
    text = _URL.sub(_url_token, plain_text(text))
    text = _RUN.sub(r"\1\1\1", text)
    return _SPACE.sub(" ", text).strip().lower()


def _host_token(match: re.Match[str]) -> str:
    return f" dom_{re.sub(r'[^a-z0-9]', '_', _host(match.group(0)))} "


def normalize_link_hosts(text: str) -> str:
    """As :func:`normalize_text`, with a link only as ``dom_<host>``: a host the training data
    showed in spam counts, any other link says nothing by itself (links as such are the link
    rules' business: limit, blocked domains)."""
    text = _URL.sub(_host_token, plain_text(text))
    text = _RUN.sub(r"\1\1\1", text)
    return _SPACE.sub(" ", text).strip().lower()


def normalize_without_links(text: str) -> str:
    """As :func:`normalize_text`, with every link left out: the model judges the words, and
    links are the link rules' business (limit, blocked domains). A model that reads links
    learns from YouTube's data that any link is spam."""
    text = _URL.sub(" ", plain_text(text))
    text = _RUN.sub(r"\1\1\1", text)
    return _SPACE.sub(" ", text).strip().lower()


SIGNAL_NAMES = (
    "links",
    "external_links",
    "capitals",
    "repeats",
    "length",
    "mention",
    "money",
    "phone",
    "exclamations",
    "promotion",
    "call_to_action",
    "digits",
)


def rule_signals(text: str, trusted_hosts: Sequence[str] = ()) -> list[float]:
    """The cheap rule signals of one text, each scaled to 0–1 (naive Bayes needs them ≥ 0).
    Links to ``trusted_hosts`` (and their subdomains) do not count as external links."""
    text = plain_text(text)
    urls = _URL.findall(text)
    hosts = [_host(url) for url in urls]
    external = sum(
        1 for h in hosts if not any(h == t or h.endswith(f".{t}") for t in trusted_hosts)
    )
    letters = [c for c in text if c.isalpha()]
    capitals = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    size = max(len(text), 1)
    return [
        min(len(urls), 5) / 5,
        min(external, 5) / 5,
        capitals,
        min(len(_RUN.findall(text)), 5) / 5,
        min(math.log1p(len(text)) / 8, 1.0),
        float(bool(_MENTION.search(text))),
        min(len(_MONEY.findall(text)), 3) / 3,
        float(bool(_PHONE.search(text))),
        min(text.count("!"), 10) / 10,
        min(len(_PROMOTION.findall(text)), 3) / 3,
        min(len(_CALL_TO_ACTION.findall(text)), 3) / 3,
        sum(c.isdigit() for c in text) / size,
    ]


class RuleSignals(TransformerMixin, BaseEstimator):
    """The rule signals as numeric features (see :data:`SIGNAL_NAMES`); ``names`` picks some of
    them (None: all)."""

    def __init__(
        self, trusted_hosts: tuple[str, ...] = (), names: tuple[str, ...] | None = None
    ) -> None:
        self.trusted_hosts = trusted_hosts
        self.names = names

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("names", None)  # files pickled before ``names`` read every signal
        super().__setstate__(state)

    def columns(self) -> list[int]:
        names = SIGNAL_NAMES if self.names is None else self.names
        return [SIGNAL_NAMES.index(name) for name in names]

    def fit(self, texts: Iterable[str], y: Any = None) -> RuleSignals:
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        columns = self.columns()
        rows = [rule_signals(text, self.trusted_hosts) for text in texts]
        matrix = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(SIGNAL_NAMES))
        return matrix[:, columns]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray([f"signal_{SIGNAL_NAMES[c]}" for c in self.columns()], dtype=object)
