"""Imported comments into our threads: materialized paths built in date order, in bulk.

No rule screens an imported comment and no notification is queued: the comments were
moderated where they came from, and their authors were notified (or not) back then.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from django.utils import timezone

from dateline.comments.models import (
    BODY_MAX,
    EMAIL_MAX,
    MAX_DEPTH_LIMIT,
    NAME_MAX,
    URL_MAX,
    Comment,
    CommentEvent,
)
from dateline.comments.services import email_key_for, path_segment
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
    known = dict(
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
    known = {sid: pk for sid, pk in known.items() if pk in stored}
    summary.existing["comments"] += sum(1 for c in incoming if c.source_id in known)
    fresh = sorted(
        (c for c in incoming if c.source_id not in known),
        key=lambda c: (c.created_at, int(c.source_id) if c.source_id.isdigit() else 0, c.source_id),
    )
    if not fresh:
        return 0
    prepared = {c.source_id: _prepare(c, summary, file_name) for c in fresh}
    used_paths = {row["path"] for row in stored.values()}
    repeats: dict[tuple[str, str], str | int] = {
        (row["email_key"], row["body_hash"]): pk for pk, row in stored.items()
    }
    placed: dict[str, _Placed] = {}
    visiting: set[str] = set()

    def place(sid: str) -> _Placed:
        found = placed.get(sid)
        if found is not None:
            return found
        visiting.add(sid)
        item = prepared[sid]
        comment = item.incoming
        parent_path, parent_thread, parent_depth = "", "", -1
        parent_key: str | int | None = None
        pid = comment.parent_source_id
        if pid and pid in known:
            row = stored[known[pid]]
            parent_key = row["pk"]
            parent_path, parent_thread, parent_depth = row["path"], row["thread"], row["depth"]
        elif pid and pid in prepared and pid not in visiting:
            parent = place(pid)
            parent_key = pid
            parent_path, parent_thread, parent_depth = parent.path, parent.thread, parent.depth
        elif pid:
            summary.note(
                f"{file_name}, line {comment.line}: comment {comment.source_id} answers comment "
                f"{pid}, which is not in the file; it becomes a top-level comment."
            )
            summary.counts["orphan comments made top-level"] += 1
        repeat_of = repeats.get((item.email_key, item.fingerprint))
        if repeat_of is not None:
            # The same person said the same thing on this article: keep the first.
            if isinstance(repeat_of, int):
                row = stored[repeat_of]
                result = _Placed(
                    item, row["path"], row["thread"], row["depth"], None, None, repeat_of
                )
            else:
                first = placed[repeat_of]
                result = _Placed(item, first.path, first.thread, first.depth, None, None, repeat_of)
            summary.counts["repeated comments stored once"] += 1
            placed[sid] = result
            visiting.discard(sid)
            return result
        in_reply_to_key = parent_key
        if parent_key is not None and parent_depth + 1 >= MAX_DEPTH_LIMIT:
            # Deeper than the model allows: attach to the deepest allowed ancestor.
            keep = MAX_DEPTH_LIMIT - 1
            parent_path = "/".join(parent_path.split("/")[:keep])
            parent_depth = keep - 1
            parent_key = "path:" + parent_path
            summary.counts["replies attached higher (thread too deep)"] += 1
        while True:
            segment = path_segment(comment.created_at)
            path = f"{parent_path}/{segment}" if parent_path else segment
            if path not in used_paths:
                break
        used_paths.add(path)
        result = _Placed(
            prepared=item,
            path=path,
            thread=parent_thread if parent_path else segment,
            depth=parent_depth + 1,
            parent_key=parent_key,
            in_reply_to_key=in_reply_to_key,
        )
        repeats[(item.email_key, item.fingerprint)] = sid
        placed[sid] = result
        visiting.discard(sid)
        return result

    for comment in fresh:
        place(comment.source_id)

    pk_for: dict[str, int] = {sid: pk for sid, pk in known.items()}
    pk_for.update({"path:" + row["path"]: pk for pk, row in stored.items()})

    def resolve(key: str | int | None) -> int | None:
        if key is None or isinstance(key, int):
            return key
        entry = placed.get(key)
        if entry is not None and entry.same_as is not None:
            return resolve(entry.same_as)
        return pk_for.get(key)

    by_depth: dict[int, list[_Placed]] = defaultdict(list)
    for entry in placed.values():
        if entry.same_as is None:
            by_depth[entry.depth].append(entry)
    created: list[Comment] = []
    for depth in sorted(by_depth):
        batch: list[tuple[_Placed, Comment]] = []
        for entry in sorted(by_depth[depth], key=lambda p: p.path):
            item, c = entry.prepared, entry.prepared.incoming
            parent_id = resolve(entry.parent_key)
            batch.append(
                (
                    entry,
                    Comment(
                        article=article,
                        parent_id=parent_id,
                        in_reply_to_id=resolve(entry.in_reply_to_key),
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
                    ),
                )
            )
        Comment.objects.bulk_create([comment for _, comment in batch])
        for entry, stored_comment in batch:
            pk_for[entry.prepared.incoming.source_id] = stored_comment.pk
            pk_for["path:" + entry.path] = stored_comment.pk
            created.append(stored_comment)
    mappings = []
    for sid in placed:
        target = resolve(sid)
        if target is not None:
            mappings.append(
                ImportedObject(
                    source=source,
                    kind=ImportedObject.Kind.COMMENT,
                    source_id=sid,
                    object_id=target,
                )
            )
    ImportedObject.objects.bulk_create(mappings)
    now = timezone.now()
    CommentEvent.objects.bulk_create(
        CommentEvent(
            comment=comment,
            action="imported",
            from_status="",
            to_status=comment.status,
            reason=f"Imported from {source}.",
            created_at=now,
        )
        for comment in created
    )
    summary.created["comments"] += len(created)
    return len(created)
