"""Imported comments into our threads: materialized paths built in date order, in bulk.

No rule screens an imported comment and no notification is queued: the comments were
moderated where they came from, and their authors were notified (or not) back then. Each body's
HTML is rendered and stored with it, as for a posted comment (``comments.bodies``).

``comments_import`` runs these steps, each below it in this file: read what the article holds
already (``_Existing``), keep the comments not imported before in date order, place each in a
thread (``_Placement``: its parent, a repeat, a thread too deep, a free path), store them a
depth at a time so replies know their parents' ids (``_Ids``, ``_store``), then record where
each came from and log the import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from django.utils import timezone

from dateline.comments.bodies import comment_body_render
from dateline.comments.models import (
    BODY_MAX,
    EMAIL_MAX,
    MAX_DEPTH_LIMIT,
    NAME_MAX,
    URL_MAX,
    Comment,
)
from dateline.comments.services import comment_event, comment_log, email_key_for, path_segment
from dateline.comments.text import body_fingerprint, normalise_text
from dateline.news.models import ArticlePage

from .models import ImportedObject
from .summary import Summary

EMPTY_BODY = "[no text]"
ANONYMOUS = "Anonymous"


@dataclass(frozen=True)
class IncomingComment:
    """A comment read from an export file, its text already converted to ours."""

    line: int
    source_id: str
    parent_source_id: str
    author: str
    email: str
    url: str
    created_at: datetime
    body: str
    status: str


@dataclass
class _Prepared:
    incoming: IncomingComment
    body: str
    email: str
    email_key: str
    fingerprint: str


@dataclass
class _Placed:
    prepared: _Prepared
    path: str
    thread: str
    depth: int
    parent_key: str | int | None  # a source id (new parent) or a pk (parent already stored)
    in_reply_to_key: str | int | None
    same_as: str | int | None = None  # a repeat of this comment (source id or pk)


def _clean_url(url: str) -> str:
    url = url.strip()
    if not url or len(url) > URL_MAX or urlparse(url).scheme not in ("http", "https"):
        return ""
    return url


def _prepare(c: IncomingComment, summary: Summary, file_name: str) -> _Prepared:
    body = normalise_text(c.body)
    if len(body) > BODY_MAX:
        body = body[: BODY_MAX - 1].rstrip() + "…"
        summary.counts["comment bodies shortened to fit"] += 1
        summary.note(
            f"{file_name}, line {c.line}: comment {c.source_id} was longer than {BODY_MAX} "
            "characters and was shortened."
        )
    if not body:
        body = EMPTY_BODY
        summary.counts["comments without text"] += 1
    email = c.email.strip()
    if len(email) > EMAIL_MAX:
        email = ""
        summary.counts["email addresses too long, left out"] += 1
    return _Prepared(
        incoming=c,
        body=body,
        email=email,
        email_key=email_key_for(email=email, user_id=None),
        fingerprint=body_fingerprint(body),
    )


def comments_import(
    *,
    article: ArticlePage,
    incoming: list[IncomingComment],
    source: str,
    summary: Summary,
    file_name: str,
) -> int:
    """Store the comments of one article that were not imported before; returns how many.

    Parents come before their replies; a reply whose parent is not in the file becomes a
    top-level comment (noted). Threads deeper than the model allows attach the deepest replies
    to the deepest allowed ancestor (``in_reply_to`` still names the comment answered). A
    comment that repeats another on the article (same commenter, same text) is stored once.
    Call inside a transaction.
    """
    if not incoming:
        return 0
    existing = _Existing.read(article=article, source=source, incoming=incoming)
    summary.existing["comments"] += sum(1 for c in incoming if c.source_id in existing.known)
    fresh = _fresh_in_date_order(incoming, existing)
    if not fresh:
        return 0
    prepared = {c.source_id: _prepare(c, summary, file_name) for c in fresh}
    placed = _Placement(existing, prepared, summary, file_name).place_all(fresh)
    ids = _Ids(existing, placed)
    created = _store(article=article, placed=placed, ids=ids)
    _record_sources(source=source, placed=placed, ids=ids)
    _log_imported(created, source=source)
    summary.created["comments"] += len(created)
    return len(created)


@dataclass
class _Existing:
    """What the article holds already: its comments' place in the threads, and which of the
    file's comments an earlier import stored (and are still there)."""

    stored: Mapping[int, Mapping[str, Any]]  # pk -> path, thread, depth, email_key, body_hash
    known: dict[str, int]  # source id -> pk

    @classmethod
    def read(
        cls, *, article: ArticlePage, source: str, incoming: list[IncomingComment]
    ) -> _Existing:
        imported = dict(
            ImportedObject.objects.filter(
                source=source,
                kind=ImportedObject.Kind.COMMENT,
                source_id__in=[c.source_id for c in incoming],
            ).values_list("source_id", "object_id")
        )
        stored = {
            row["pk"]: row
            for row in Comment.objects.filter(article=article).values(
                "pk", "path", "thread", "depth", "email_key", "body_hash"
            )
        }
        return cls(stored=stored, known={s: pk for s, pk in imported.items() if pk in stored})


def _fresh_in_date_order(
    incoming: list[IncomingComment], existing: _Existing
) -> list[IncomingComment]:
    """The comments not imported before, oldest first (then by their source's numbering)."""
    return sorted(
        (c for c in incoming if c.source_id not in existing.known),
        key=lambda c: (c.created_at, int(c.source_id) if c.source_id.isdigit() else 0, c.source_id),
    )


@dataclass(frozen=True)
class _Parent:
    """Where a comment goes under: a key (source id, pk or ``path:…``) and the parent's place;
    no key, an empty path and depth -1 for a top-level comment."""

    key: str | int | None = None
    path: str = ""
    thread: str = ""
    depth: int = -1


class _Placement:
    """Places the fresh comments in their threads, parents first."""

    def __init__(
        self,
        existing: _Existing,
        prepared: dict[str, _Prepared],
        summary: Summary,
        file_name: str,
    ) -> None:
        self.existing, self.prepared = existing, prepared
        self.summary, self.file_name = summary, file_name
        self.used_paths = {row["path"] for row in existing.stored.values()}
        self.repeats: dict[tuple[str, str], str | int] = {
            (row["email_key"], row["body_hash"]): pk for pk, row in existing.stored.items()
        }
        self.placed: dict[str, _Placed] = {}
        self.visiting: set[str] = set()

    def place_all(self, fresh: list[IncomingComment]) -> dict[str, _Placed]:
        for comment in fresh:
            self.place(comment.source_id)
        return self.placed

    def place(self, sid: str) -> _Placed:
        found = self.placed.get(sid)
        if found is not None:
            return found
        self.visiting.add(sid)
        item = self.prepared[sid]
        parent = self._parent(item.incoming)
        repeat_of = self.repeats.get((item.email_key, item.fingerprint))
        if repeat_of is not None:
            result = self._repeat(item, repeat_of)
        else:
            result = self._new(item, parent)
            self.repeats[(item.email_key, item.fingerprint)] = sid
        self.placed[sid] = result
        self.visiting.discard(sid)
        return result

    def _parent(self, comment: IncomingComment) -> _Parent:
        """The comment's parent: stored already, placed first (from the file), or none (an
        answer to a comment missing from the file becomes a top-level comment, noted)."""
        pid = comment.parent_source_id
        if pid and pid in self.existing.known:
            row = self.existing.stored[self.existing.known[pid]]
            return _Parent(row["pk"], row["path"], row["thread"], row["depth"])
        if pid and pid in self.prepared and pid not in self.visiting:
            placed = self.place(pid)
            return _Parent(pid, placed.path, placed.thread, placed.depth)
        if pid:
            self.summary.note(
                f"{self.file_name}, line {comment.line}: comment {comment.source_id} answers "
                f"comment {pid}, which is not in the file; it becomes a top-level comment."
            )
            self.summary.counts["orphan comments made top-level"] += 1
        return _Parent()

    def _repeat(self, item: _Prepared, repeat_of: str | int) -> _Placed:
        """The same person said the same thing on this article: keep the first."""
        if isinstance(repeat_of, int):
            row = self.existing.stored[repeat_of]
            path, thread, depth = row["path"], row["thread"], row["depth"]
        else:
            first = self.placed[repeat_of]
            path, thread, depth = first.path, first.thread, first.depth
        self.summary.counts["repeated comments stored once"] += 1
        return _Placed(item, path, thread, depth, None, None, repeat_of)

    def _new(self, item: _Prepared, parent: _Parent) -> _Placed:
        in_reply_to_key = parent.key
        if parent.key is not None and parent.depth + 1 >= MAX_DEPTH_LIMIT:
            parent = self._deepest_allowed(parent)
        path, segment = self._free_path(parent.path, item.incoming.created_at)
        return _Placed(
            prepared=item,
            path=path,
            thread=parent.thread if parent.path else segment,
            depth=parent.depth + 1,
            parent_key=parent.key,
            in_reply_to_key=in_reply_to_key,
        )

    def _deepest_allowed(self, parent: _Parent) -> _Parent:
        """Deeper than the model allows: attach to the deepest allowed ancestor."""
        keep = MAX_DEPTH_LIMIT - 1
        path = "/".join(parent.path.split("/")[:keep])
        self.summary.counts["replies attached higher (thread too deep)"] += 1
        return _Parent("path:" + path, path, parent.thread, keep - 1)

    def _free_path(self, parent_path: str, created_at: datetime) -> tuple[str, str]:
        """A path under ``parent_path`` no comment has: (path, its last segment)."""
        while True:
            segment = path_segment(created_at)
            path = f"{parent_path}/{segment}" if parent_path else segment
            if path not in self.used_paths:
                break
        self.used_paths.add(path)
        return path, segment


class _Ids:
    """The stored comment's id for a key: a source id, a ``path:…`` or a pk; repeats resolve to
    the comment they repeat. Filled as each depth is stored."""

    def __init__(self, existing: _Existing, placed: dict[str, _Placed]) -> None:
        self.placed = placed
        self.pk_for: dict[str, int] = dict(existing.known)
        self.pk_for.update({"path:" + row["path"]: pk for pk, row in existing.stored.items()})

    def of(self, key: str | int | None) -> int | None:
        if key is None or isinstance(key, int):
            return key
        entry = self.placed.get(key)
        if entry is not None and entry.same_as is not None:
            return self.of(entry.same_as)
        return self.pk_for.get(key)

    def stored(self, entry: _Placed, pk: int) -> None:
        self.pk_for[entry.prepared.incoming.source_id] = pk
        self.pk_for["path:" + entry.path] = pk


def _store(*, article: ArticlePage, placed: dict[str, _Placed], ids: _Ids) -> list[Comment]:
    """Insert the placed comments (not the repeats), one statement per depth, parents first."""
    by_depth: dict[int, list[_Placed]] = defaultdict(list)
    for entry in placed.values():
        if entry.same_as is None:
            by_depth[entry.depth].append(entry)
    created: list[Comment] = []
    for depth in sorted(by_depth):
        entries = sorted(by_depth[depth], key=lambda p: p.path)
        batch = [_comment(article=article, entry=entry, ids=ids) for entry in entries]
        Comment.objects.bulk_create(batch)
        for entry, comment in zip(entries, batch, strict=True):
            ids.stored(entry, comment.pk)
            created.append(comment)
    return created


def _comment(*, article: ArticlePage, entry: _Placed, ids: _Ids) -> Comment:
    """The row for one placed comment, its body's HTML rendered into it."""
    item, c = entry.prepared, entry.prepared.incoming
    comment = Comment(
        article=article,
        parent_id=ids.of(entry.parent_key),
        in_reply_to_id=ids.of(entry.in_reply_to_key),
        path=entry.path,
        thread=entry.thread,
        depth=entry.depth,
        status=c.status,
        author_name=(normalise_text(c.author) or ANONYMOUS)[:NAME_MAX],
        author_email=item.email,
        email_key=item.email_key,
        author_url=_clean_url(c.url),
        body=item.body,
        body_hash=item.fingerprint,
        created_at=c.created_at,
        moderated_at=c.created_at if c.status != Comment.Status.PENDING else None,
    )
    return comment_body_render(comment=comment)


def _record_sources(*, source: str, placed: dict[str, _Placed], ids: _Ids) -> None:
    """Which stored comment each source id became (a repeat: the comment it repeats), so the
    next import of the file skips them."""
    ImportedObject.objects.bulk_create(
        ImportedObject(
            source=source, kind=ImportedObject.Kind.COMMENT, source_id=sid, object_id=target
        )
        for sid in placed
        if (target := ids.of(sid)) is not None
    )


def _log_imported(created: list[Comment], *, source: str) -> None:
    now = timezone.now()
    comment_log(
        [
            comment_event(
                comment=comment,
                action="imported",
                from_status="",
                reason=f"Imported from {source}.",
                at=now,
            )
            for comment in created
        ]
    )
