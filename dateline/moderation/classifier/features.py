"""Text normalisation and the hand-written rule signals the spam model also reads."""

from __future__ import annotations

import html
import logging
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
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

# Asking for likes, thumbs, shares or votes for the comment or the writer's own page: what
# comment sections full of "like this comment if…" chains are made of.
_ENGAGEMENT = re.compile(
    r"\b(?:thumbs? ?up|like (?:this|my|our) (?:comment|video|page|post|channel)"
    r"|(?:give|hit|leave) (?:it|this|me|us|my \w+) (?:a )?(?:like|thumbs?)"
    r"|(?:like|share|vote|sub)(?: it)? (?:please|plz|pls)|(?:plz|pls) (?:like|share|vote|sub)"
    r"|(?:like|share) (?:and|&|n|\+) (?:like|share|sub\w*|comment)"
    r"|vote daily|\d+ ?(?:subs|subscribers|likes|views) (?:please|plz|pls|before|by))",
    re.IGNORECASE,
)
# A link written so that it is not one: spaces around the dot before a path, "w w w", "www .",
# "youtu be/". A reader citing a source pastes the address whole.
_HIDDEN_LINK = re.compile(
    r"\b[wW] [wW] ?[wW]\b|\b[wW]{3} ?\. (?=\w)|\b[wW]{3} \."
    r"|\b[a-z0-9-]{2,}(?: \. ?| ?\. )(?:com|net|org|info|be|ly|pl|ru|co) ?/|\byoutu +be\b"
)


# The case-insensitive expressions of the rule signals run case-sensitively on the text folded
# to lower case (``_folded``): Python's engine tries a case-insensitive alternation at every
# position, at about twice the cost. The fold is ``str.lower`` after the three characters Python's
# case-insensitive matching reads as an ASCII letter and ``str.lower`` does not ("İ" and "ı" as
# "i", "ſ" as "s"), one character for one; the expressions are written in lower case. Every
# piece of them (letters, the other characters, word, digit and space classes, word boundaries)
# matches a character case-insensitively exactly when it matches its fold case-sensitively
# (checked for every Unicode character in the tests), so they find the same matches.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_FOLDED_SIGNALS = {
    expression: re.compile(expression.pattern, expression.flags & ~re.IGNORECASE)
    for expression in (_MONEY, _PROMOTION, _CALL_TO_ACTION, _ENGAGEMENT)
}


def _folded(text: str) -> str:
    last = _last_steps
    if last.folded_of != text:
        last.folded_of, last.folded = text, text.translate(_FOLD).lower()
    return last.folded


def _count(expression: re.Pattern[str], text: str) -> int:
    """How many matches ``expression`` (one of ``_FOLDED_SIGNALS``) finds in ``text``."""
    return len(_FOLDED_SIGNALS[expression].findall(_folded(text)))


class _LastPlain(threading.local):
    text: str | None = None
    plain: str = ""


_last_plain = _LastPlain()


def plain_text(text: str) -> str:
    """The text a reader sees: entities decoded, tags dropped, Unicode NFKC, one space.

    The last text's is kept per thread: scoring one comment asks for it three times (each
    model's preprocessing, the rule signals)."""
    last = _last_plain
    if last.text == text:
        return last.plain
    plain = html.unescape(html.unescape(text))
    plain = _TAG.sub(" ", plain)
    plain = unicodedata.normalize("NFKC", plain).translate(_INVISIBLE)
    plain = _SPACE.sub(" ", plain).strip()
    last.text, last.plain = text, plain
    return plain


def _host(url: str) -> str:
    url = re.sub(r"^(?:https?://)?(?:www\.|m\.)?", "", url, flags=re.I)
    return re.split(r"[/?#]", url, maxsplit=1)[0].lower()


def _url_token(match: re.Match[str]) -> str:
    return f" urltoken dom_{re.sub(r'[^a-z0-9]', '_', _host(match.group(0)))} "


class _LastSteps(threading.local):
    """The last string each shared step of the normalisers saw, and what it made of it.

    The spam and the abuse model preprocess a comment differently (links as their shape, as a
    token), but most comments have no link and no ``@name``: then both normalisers, and the
    rule signals' count of repeated characters, ask the same steps about the same string, and
    the steps run once. Each step is computed as before, so its result is the same. The
    rule signals' text folded to lower case (``_folded``) is kept the same way."""

    links_of: str | None = None
    links: tuple[re.Match[str], ...] = ()
    runs_of: str | None = None
    runs: tuple[str, int] = ("", 0)
    finished_of: str | None = None
    finished: str = ""
    folded_of: str | None = None
    folded: str = ""


_last_steps = _LastSteps()


def _links_replaced(text: str, token: Callable[[re.Match[str]], str]) -> str:
    """``_URL.sub(token, text)``, with the links found once per string: pieced together from
    the same matches as ``re.sub`` (which joins the text between matches and each
    replacement; a link is never empty)."""
    last = _last_steps
    if last.links_of != text:
        last.links_of, last.links = text, tuple(_URL.finditer(text))
    if not last.links:
        return text
    pieces = []
    end = 0
    for match in last.links:
        pieces.append(text[end : match.start()])
        pieces.append(token(match))
        end = match.end()
    pieces.append(text[end:])
    return "".join(pieces)


def _runs_cut(text: str) -> tuple[str, int]:
    """``text`` with runs of one character cut to three, and how many runs there were
    (``_RUN.subn``: the same matches ``_RUN.findall`` counts)."""
    last = _last_steps
    if last.runs_of != text:
        last.runs_of, last.runs = text, _RUN.subn(r"\1\1\1", text)
    return last.runs


def _finished(text: str) -> str:
    """The normalisers' last steps: runs cut to three, one space, lower case."""
    last = _last_steps
    if last.finished_of != text:
        last.finished_of, last.finished = text, _SPACE.sub(" ", _runs_cut(text)[0]).strip().lower()
    return last.finished


def normalize_text(text: str) -> str:
    """What the n-gram features read: plain text, each link as ``urltoken dom_<host>``, runs of
    one character cut to three, lower case."""
    return _finished(_links_replaced(plain_text(text), _url_token))


def _host_token(match: re.Match[str]) -> str:
    return f" dom_{re.sub(r'[^a-z0-9]', '_', _host(match.group(0)))} "


def normalize_link_hosts(text: str) -> str:
    """As :func:`normalize_text`, with a link only as ``dom_<host>``: a host the training data
    showed in spam counts, any other link says nothing by itself (links as such are the link
    rules' business: limit, blocked domains)."""
    return _finished(_links_replaced(plain_text(text), _host_token))


# --- Links by their shape and their host's standing -------------------------------------------

# Hosts a reader cites when they point to a source: public bodies, universities, international
# organisations, reference works and established news organisations. Ours, written for this
# filter (docs/decisions/0070); a host matches itself and its subdomains. A link to one of these
# is read as a citation (``urlcited``); any other link as ``urlother`` plus what its shape says.
REPUTABLE_SUFFIXES = (
    # public bodies: gov, gov.<country>, gouv.fr, gc.ca, govt.nz, gob.es, the EU, the UN family
    "gov",
    "mil",
    "gouv.fr",
    "gc.ca",
    "govt.nz",
    "gob.es",
    "gob.mx",
    "admin.ch",
    "bund.de",
    "europa.eu",
    "nhs.uk",
    "nhs.scot",
    "police.uk",
    "parliament.uk",
    "parliament.scot",
    "senedd.wales",
    "oireachtas.ie",
    "int",
    "un.org",
    "worldbank.org",
    "imf.org",
    "oecd.org",
    # universities and research
    "edu",
    "ac.uk",
    "ac.jp",
    "ac.nz",
    "ac.za",
    "edu.au",
    "nature.com",
    "science.org",
    "thelancet.com",
    "bmj.com",
    "nejm.org",
    "sciencedirect.com",
    "springer.com",
    "wiley.com",
    "plos.org",
    "arxiv.org",
    "doi.org",
    "jstor.org",
    "ourworldindata.org",
    "theconversation.com",
    # reference and fact-checking
    "wikipedia.org",
    "wikimedia.org",
    "britannica.com",
    "archive.org",
    "fullfact.org",
    "snopes.com",
    "politifact.com",
    "factcheck.org",
    # news organisations
    "bbc.co.uk",
    "bbc.com",
    "reuters.com",
    "apnews.com",
    "afp.com",
    "theguardian.com",
    "guardian.co.uk",
    "nytimes.com",
    "washingtonpost.com",
    "wsj.com",
    "ft.com",
    "economist.com",
    "bloomberg.com",
    "npr.org",
    "pbs.org",
    "cnn.com",
    "nbcnews.com",
    "cbsnews.com",
    "abcnews.go.com",
    "foxnews.com",
    "usatoday.com",
    "latimes.com",
    "politico.com",
    "politico.eu",
    "axios.com",
    "theatlantic.com",
    "newyorker.com",
    "time.com",
    "newsweek.com",
    "huffpost.com",
    "huffingtonpost.com",
    "huffingtonpost.co.uk",
    "independent.co.uk",
    "telegraph.co.uk",
    "thetimes.co.uk",
    "news.sky.com",
    "channel4.com",
    "itv.com",
    "standard.co.uk",
    "irishtimes.com",
    "rte.ie",
    "aljazeera.com",
    "dw.com",
    "france24.com",
    "lemonde.fr",
    "spiegel.de",
    "elpais.com",
    "abc.net.au",
    "cbc.ca",
    "theglobeandmail.com",
    "scmp.com",
)
# Public link shorteners: the address hides where the link goes.
SHORTENERS = (
    "bit.ly",
    "goo.gl",
    "tinyurl.com",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "adf.ly",
    "shorte.st",
    "linkbucks.com",
    "cutt.ly",
    "rebrand.ly",
    "tiny.cc",
    "shhort.com",
    "bitly.com",
    "j.mp",
    "lnkd.in",
    "rb.gy",
)
# Video hosts: a link to a video is read as such, not by the shape of its identifier.
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com")
# Social networks' addresses of one post (a profile there keeps its shape: ``urlone``).
POST_WRAPPERS = ("t.co",)
POST_HOSTS = ("twitter.com", "x.com", "bsky.app", "threads.net", "mastodon.social")
_POST_PATH = re.compile(r"/(?:status|statuses|post)/\d+", re.IGNORECASE)
_VIDEO_PROMO = re.compile(r"(?:^|/)(?:user|channel|c|@[^/]+)(?:$|/)", re.IGNORECASE)
_GOV_LIKE = re.compile(r"(?:^|\.)(?:gov|gob|go|govt|gouv|ac|edu|nhs|mil)\.[a-z]{2}$")
_IP_HOST = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$")
# A path segment that is an identifier rather than words: letters and digits mixed, no
# separators (``V3VeYGIN``, ``40beUutVu2ZKxK4uTgPZ8K``), or a long number.
_CODE = re.compile(r"^(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9_]{5,}$|^\d{6,}$")
_REFERRAL = re.compile(
    r"(?:^|[/?&#=_.-])(?:ref|referral|refer|aff|affiliate|affiliateid|partner|partners|invite|"
    r"friend|promo|coupon|dolacz|join|register|signup)(?:$|[/?&#=_.-])|[?&](?:r|rb)=",
    re.IGNORECASE,
)
_TRACKING = re.compile(r"[?&](?:utm_[a-z]+|fbclid|gclid|trk\w*|ssPageName)=", re.IGNORECASE)
# Path words that say "come to my page": profiles, channels, shops, fund-raisers, downloads.
_PROMO_PATH = re.compile(
    r"(?:^|/)(?:user|users|u|channel|c|profile|people|account|pages|store|shop|itm|item|offer-"
    r"listing|dp|gp|projects|project|campaign|petitions?|p|apps|app|details|download|downloads|"
    r"register|join|portfolio|music|video\.php|watch|playlist)(?:$|[/?#.])",
    re.IGNORECASE,
)


# A path that reads like a document: a slug of three or more words, a date, a page file.
_ARTICLE = re.compile(
    r"[A-Za-z]{2,}-[A-Za-z0-9]{2,}-[A-Za-z0-9]{2,}|/(?:19|20)\d\d/|\.(?:s?html?|pdf|aspx?|php)\b",
    re.IGNORECASE,
)


def host_reputable(host: str) -> bool:
    """Whether ``host`` (lower case, without ``www.``) is on the built-in list of hosts readers
    cite (public bodies, universities, reference works, news organisations), or a subdomain of
    one, or under a country's government or academic domain (``gov.uk``, ``ac.jp``)."""
    host = host.split(":", 1)[0].rstrip(".")
    if _GOV_LIKE.search(host):
        return True
    return any(host == s or host.endswith(f".{s}") for s in REPUTABLE_SUFFIXES)


def _on(host: str, suffixes: Sequence[str]) -> bool:
    return any(host == s or host.endswith(f".{s}") for s in suffixes)


def link_shape_tokens(url: str) -> list[str]:
    """What a link looks like, as tokens: ``dom_<host>``, then

    - ``urlcited`` for a host on the built-in list (:func:`host_reputable`), nothing more;
    - ``urlpost`` for one post on a social network (Twitter's ``t.co`` wrapper, a tweet);
    - ``urlvideo`` for a video host (``urlpromo`` too for a channel or user page);
    - otherwise what its shape gives away: ``urlother`` unless the path reads like a document
      (two or more segments, or a slug of three words, a date, a page file, and no
      identifier), ``urlshort`` (a shortener), ``urlip``, ``urlbare`` (no path), ``urlone``
      (one segment: a profile), ``urlcode`` (an identifier in the path or the query),
      ``urlref`` (a referral or sign-up word), ``urltrack``, ``urlquery``, ``urlpromo`` (a
      profile, channel, shop, fund-raiser or download path).

    A civil reader's link to an article of a site not on the list says ``dom_<host>`` only."""
    host = _host(url)
    tokens = [f"dom_{re.sub(r'[^a-z0-9]', '_', host)}"]
    if host_reputable(host):
        return [*tokens, "urlcited"]
    rest = re.sub(r"^(?:https?://)?[^/?#]*", "", url, flags=re.IGNORECASE)
    path, _, query = rest.partition("?")
    if _on(host, POST_WRAPPERS) or (_on(host, POST_HOSTS) and _POST_PATH.search(path)):
        # A post on a social network (Twitter wraps every link in a tweet as t.co/<id>): a
        # reader quoting one, not a page of theirs.
        return [*tokens, "urlpost"]
    if _on(host, VIDEO_HOSTS):
        # A video's address is an identifier by design; only a channel or user page says
        # "come to mine".
        return [*tokens, "urlvideo", *(["urlpromo"] if _VIDEO_PROMO.search(path) else [])]
    segments = [s for s in re.split(r"[/#]", path) if s]
    coded = any(_CODE.match(s) for s in segments) or bool(
        re.search(r"=[A-Za-z0-9]{6,}(?:&|$)", query)
    )
    document = not coded and (len(segments) >= 2 or bool(_ARTICLE.search(path)))
    if not document:
        tokens.append("urlother")
    if _on(host, SHORTENERS):
        tokens.append("urlshort")
    if _IP_HOST.match(host):
        tokens.append("urlip")
    if not segments and not query:
        tokens.append("urlbare")
    if len(segments) == 1 and not query:
        tokens.append("urlone")
    if coded:
        tokens.append("urlcode")
    if _REFERRAL.search(rest):
        tokens.append("urlref")
    if _TRACKING.search(rest):
        tokens.append("urltrack")
    if query:
        tokens.append("urlquery")
    if _PROMO_PATH.search(path):
        tokens.append("urlpromo")
    return tokens


def _shape_token(match: re.Match[str]) -> str:
    return f" {' '.join(link_shape_tokens(match.group(0)))} "


# Whom a reply answers: ``@name`` as forums, comment systems and tweets write it (not an email
# address, whose ``@`` follows a letter). Spam training data has no conversation (YouTube's
# legitimate comments never answer anyone this way, four of its spam do), so a model that reads
# the handle learns that replying to another reader is spam.
_HANDLE = re.compile(r"(?<![\w.+@-])@\w[\w.-]*")


def without_handles(text: str) -> str:
    """``text`` without the ``@name`` of whom it answers: who a comment replies to is not
    evidence of what it is."""
    return _HANDLE.sub(" ", text)


def normalize_link_shapes(text: str) -> str:
    """As :func:`normalize_link_hosts`, with each link as its host and its shape
    (:func:`link_shape_tokens`): a citation of a reputable host reads as ``urlcited``, other
    links as ``urlother`` plus what gives promotion away (a shortener, a referral code, a
    profile page), never as a generic "there is a link". The ``@name`` a reply starts with is
    left out (:func:`without_handles`)."""
    return _finished(_links_replaced(without_handles(plain_text(text)), _shape_token))


def _no_link(match: re.Match[str]) -> str:
    return " "


def normalize_without_links(text: str) -> str:
    """As :func:`normalize_text`, with every link left out: the model judges the words, and
    links are the link rules' business (limit, blocked domains). A model that reads links
    learns from YouTube's data that any link is spam."""
    return _finished(_links_replaced(plain_text(text), _no_link))


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
    "engagement",
    "hidden_link",
)
_SIGNALS_BEFORE_ENGAGEMENT = 12


_ALL_SIGNALS = tuple(range(len(SIGNAL_NAMES)))
(
    _LINKS,
    _EXTERNAL_LINKS,
    _CAPITALS,
    _REPEATS,
    _LENGTH,
    _MENTION_SIGNAL,
    _MONEY_SIGNAL,
    _PHONE_SIGNAL,
    _EXCLAMATIONS,
    _PROMOTION_SIGNAL,
    _CALL_TO_ACTION_SIGNAL,
    _DIGITS,
    _ENGAGEMENT_SIGNAL,
    _HIDDEN_LINK_SIGNAL,
) = _ALL_SIGNALS


def rule_signals(
    text: str, trusted_hosts: Sequence[str] = (), columns: Sequence[int] | None = None
) -> list[float]:
    """The cheap rule signals of one text, each scaled to 0–1 (naive Bayes needs them ≥ 0).
    Links to ``trusted_hosts`` (and their subdomains) do not count as external links.
    ``columns``: only these signals (indices into :data:`SIGNAL_NAMES`), in that order; the
    others are not computed."""
    text = plain_text(text)
    wanted = _ALL_SIGNALS if columns is None else columns
    values = dict.fromkeys(wanted, 0.0)
    if _LINKS in values or _EXTERNAL_LINKS in values:
        urls = _URL.findall(text)
        values[_LINKS] = min(len(urls), 5) / 5
        if _EXTERNAL_LINKS in values:
            hosts = [_host(url) for url in urls]
            external = sum(
                1 for h in hosts if not any(h == t or h.endswith(f".{t}") for t in trusted_hosts)
            )
            values[_EXTERNAL_LINKS] = min(external, 5) / 5
    if _CAPITALS in values:
        letters = list(filter(str.isalpha, text))
        values[_CAPITALS] = sum(map(str.isupper, letters)) / len(letters) if letters else 0.0
    if _REPEATS in values:
        values[_REPEATS] = min(_runs_cut(text)[1], 5) / 5
    if _LENGTH in values:
        values[_LENGTH] = min(math.log1p(len(text)) / 8, 1.0)
    if _MENTION_SIGNAL in values:
        values[_MENTION_SIGNAL] = float(bool(_MENTION.search(text)))
    if _MONEY_SIGNAL in values:
        values[_MONEY_SIGNAL] = min(_count(_MONEY, text), 3) / 3
    if _PHONE_SIGNAL in values:
        values[_PHONE_SIGNAL] = float(bool(_PHONE.search(text)))
    if _EXCLAMATIONS in values:
        values[_EXCLAMATIONS] = min(text.count("!"), 10) / 10
    if _PROMOTION_SIGNAL in values:
        values[_PROMOTION_SIGNAL] = min(_count(_PROMOTION, text), 3) / 3
    if _CALL_TO_ACTION_SIGNAL in values:
        values[_CALL_TO_ACTION_SIGNAL] = min(_count(_CALL_TO_ACTION, text), 3) / 3
    if _DIGITS in values:
        values[_DIGITS] = sum(map(str.isdigit, text)) / max(len(text), 1)
    if _ENGAGEMENT_SIGNAL in values:
        values[_ENGAGEMENT_SIGNAL] = min(_count(_ENGAGEMENT, text), 2) / 2
    if _HIDDEN_LINK_SIGNAL in values:
        values[_HIDDEN_LINK_SIGNAL] = float(bool(_HIDDEN_LINK.search(text)))
    return [values[c] for c in wanted]


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
        # Files pickled before ``n_signals_`` was recorded read the twelve signals there were.
        state.setdefault("n_signals_", _SIGNALS_BEFORE_ENGAGEMENT)
        super().__setstate__(state)

    def columns(self) -> list[int]:
        if self.names is None:
            # All the signals there were when fitted: a model never reads a column it was not
            # trained with.
            return list(range(getattr(self, "n_signals_", len(SIGNAL_NAMES))))
        return [SIGNAL_NAMES.index(name) for name in self.names]

    def fit(self, texts: Iterable[str], y: Any = None) -> RuleSignals:
        self.n_signals_ = len(SIGNAL_NAMES)
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        columns = self.columns()
        rows = [rule_signals(text, self.trusted_hosts) for text in texts]
        matrix = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(SIGNAL_NAMES))
        return matrix[:, columns]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray([f"signal_{SIGNAL_NAMES[c]}" for c in self.columns()], dtype=object)
