"""What an import or export did, for the operator: counts and notes naming lines."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

MAX_NOTES = 200

# The plural nouns the importers and the exporter count with, and each one's singular: a count
# of one reads "1 article scheduled", not "1 articles scheduled".
_SINGULAR = {
    "addresses": "address",
    "articles": "article",
    "attachments": "attachment",
    "authors": "author",
    "bodies": "body",
    "categories": "category",
    "comments": "comment",
    "elements": "element",
    "images": "image",
    "items": "item",
    "pingbacks": "pingback",
    "posts": "post",
    "redirects": "redirect",
    "replies": "reply",
    "sections": "section",
    "slugs": "slug",
    "tags": "tag",
    "threads": "thread",
    "trackbacks": "trackback",
}
_PLURAL = re.compile(r"\b(" + "|".join(_SINGULAR) + r")\b")


def counted(n: int, what: str) -> str:
    """``n`` and ``what`` (written in the plural), its first plural noun made singular for one."""
    if n == 1:
        what = _PLURAL.sub(lambda m: _SINGULAR[m.group(1)], what, count=1)
    return f"{n} {what}"


@dataclass
class Summary:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    notes_left_out: int = 0
    dry_run: bool = False
    seconds: float = 0.0

    def note(self, text: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(text)
        else:
            self.notes_left_out += 1

    def lines(self) -> list[str]:
        """The summary as lines of text. Names no email address."""
        out: list[str] = []
        if self.dry_run:
            out.append("Dry run: nothing was written.")
        for title, counter in (
            ("Created", self.created),
            ("Already present (unchanged)", self.existing),
            ("Not imported", self.skipped),
            ("Also", self.counts),
        ):
            if counter:
                items = ", ".join(counted(n, what) for what, n in sorted(counter.items()))
                out.append(f"{title}: {items}.")
        out.extend(f"  - {note}" for note in self.notes)
        if self.notes_left_out:
            out.append(f"  … and {self.notes_left_out} more notes.")
        if self.seconds:
            out.append(f"Took {self.seconds:.1f} s.")
        return out
