"""Writes on the newsroom's content: setup of roles and workflow, section bookkeeping, imports."""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from dateline.core.slugs import first_free_slug

from .models import (
    RESERVED_SECTION_SLUGS,
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    SectionPage,
)
from .selectors import author_profile_of

log = logging.getLogger(__name__)

REPORTER, EDITOR, MODERATOR, ADMINISTRATOR = "Reporter", "Editor", "Moderator", "Administrator"
WORKFLOW_NAME = "Newsroom review"

# Page permissions per role. Reporters write drafts and submit them; editors publish.
PAGE_PERMISSIONS = {
    REPORTER: ["add_page"],
    EDITOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATOR: [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
}
COLLECTION_PERMISSIONS = {
    REPORTER: ["add_image", "choose_image", "add_document", "choose_document"],
    EDITOR: [
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    ],
    ADMINISTRATOR: [
        "add_image",
        "change_image",
        "delete_image",
        "choose_image",
        "add_document",
        "change_document",
        "delete_document",
        "choose_document",
    ],
}
MODEL_PERMISSIONS = {
    REPORTER: ["wagtailadmin.access_admin", "news.view_author"],
    EDITOR: [
        "wagtailadmin.access_admin",
        "news.view_author",
        "news.add_author",
        "news.change_author",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
    ],
    MODERATOR: ["wagtailadmin.access_admin"],
    # Administrators get every model permission; see newsroom_setup.
    ADMINISTRATOR: [],
}


def _permissions(dotted: Iterable[str]) -> list[Permission]:
    found = []
    for name in dotted:
        app_label, codename = name.split(".")
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:
            found.append(perm)
    return found


@transaction.atomic
def newsroom_setup(*, verbose: bool = False) -> None:
    """Create the newsroom's groups, their permissions and the review workflow.

    Idempotent, and additive only: it never takes a permission away that an administrator gave,
    so it runs after every ``migrate``. Other apps (comments, moderation) add their own
    permissions to these groups the same way.
    """
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (REPORTER, EDITOR, MODERATOR, ADMINISTRATOR)
    }
    for name, dotted in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*_permissions(dotted))
    groups[ADMINISTRATOR].permissions.add(*Permission.objects.all())

    home = HomePage.objects.first()
    root_collection = Collection.get_first_root_node()
    for name, codenames in PAGE_PERMISSIONS.items():
        if home is None:
            break
        for perm in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(
                group=groups[name], page=home, permission=perm
            )
    for name, codenames in COLLECTION_PERMISSIONS.items():
        if root_collection is None:
            break
        for perm in Permission.objects.filter(
            codename__in=codenames, content_type__app_label__in=["wagtailimages", "wagtaildocs"]
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=groups[name], collection=root_collection, permission=perm
            )

    if home is not None and not Workflow.objects.filter(name=WORKFLOW_NAME).exists():
        task, _ = GroupApprovalTask.objects.get_or_create(name="Editor review")
        task.groups.set([groups[EDITOR], groups[ADMINISTRATOR]])
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
        if verbose:
            log.info("Created the %s workflow on %s", WORKFLOW_NAME, home)


def _taken_in(used: set[tuple[int, str]], section_id: int) -> Callable[[str], bool]:
    """Whether a slug is taken in the section ``section_id``, given its (section, slug) pairs."""
    return lambda slug: (section_id, slug) in used


def author_profile_ensure(*, user: Any) -> tuple[Author, bool]:
    """The writer's own author profile (``Author.user``), made from their account's name when
    they have none yet; returns it and whether it was made now. Its slug is new (``-2``, …
    when the name's is taken): an existing author of the same name is someone else's byline."""
    author = author_profile_of(user=user)
    if author is not None:
        return author, False
    name = (user.get_full_name().strip() or user.get_username())[:120]
    base = (
        slugify(name)[:110].strip("-")
        or slugify(user.get_username())[:110].strip("-")
        or f"author-{user.pk}"
    )
    taken = set(Author.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug = first_free_slug(base, taken.__contains__)
    return Author.objects.create(name=name, slug=slug, user=user), True


def article_sections_sync(*, page: Page) -> int:
    """Point the articles at and under ``page`` at the section they now live in.

    Called after a page move; returns the number of articles updated.
    """
    updated = 0
    for article in ArticlePage.objects.filter(path__startswith=page.path).only(
        "pk", "path", "section_id"
    ):
        parent = article.get_parent()
        section_id = (
            parent.pk if parent is not None and parent.specific_class is SectionPage else None
        )
        if article.section_id != section_id:
            ArticlePage.objects.filter(pk=article.pk).update(section_id=section_id)
            updated += 1
    return updated


# --- CSV import --------------------------------------------------------------------------------


class ImportError_(Exception):
    """The file cannot be imported; the message names the row and the problem."""


REQUIRED_COLUMNS = ("category", "title")
BODY_COLUMNS = ("body", "content")


@dataclass(frozen=True)
class CsvRow:
    line: int
    section: str
    headline: str
    body: str
    standfirst: str
    published: datetime | None


def _read_rows(path: Path, *, limit: int | None) -> list[CsvRow]:
    rows: list[CsvRow] = []
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise ImportError_(f"Cannot open {path}: {exc.strerror}") from exc
    with handle:
        try:
            reader = csv.DictReader(handle)
            columns = set(reader.fieldnames or [])
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            body_column = next((c for c in BODY_COLUMNS if c in columns), None)
            if missing or body_column is None:
                raise ImportError_(
                    f"{path.name}: the header must name the columns category, title and body (or content); found: {', '.join(sorted(columns)) or 'nothing'}."
                )
            for record in reader:
                line = reader.line_num
                if None in record or any(v is None for v in record.values()):
                    raise ImportError_(
                        f"{path.name}, line {line}: the row has a different number of fields than the header."
                    )
                section = (record.get("category") or "").strip()
                headline = (record.get("title") or "").strip()
                body = (record.get(body_column) or "").strip()
                if slugify(section)[:50] in RESERVED_SECTION_SLUGS:
                    raise ImportError_(
                        f"{path.name}, line {line}: the category “{section}” would make a section at /{slugify(section)}/, an address the site uses itself. Rename the category."
                    )
                if not section or not headline or not body:
                    raise ImportError_(
                        f"{path.name}, line {line}: category, title and {body_column} must not be empty."
                    )
                if len(headline) > 255:
                    raise ImportError_(
                        f"{path.name}, line {line}: the title is longer than 255 characters."
                    )
                published = None
                if record.get("published"):
                    published = parse_datetime(record["published"].strip())
                    if published is None:
                        raise ImportError_(
                            f"{path.name}, line {line}: “{record['published']}” is not a date and time."
                        )
                    if timezone.is_naive(published):
                        published = timezone.make_aware(published, timezone.get_default_timezone())
                rows.append(
                    CsvRow(
                        line,
                        section,
                        headline,
                        body,
                        (record.get("standfirst") or "").strip(),
                        published,
                    )
                )
                if limit is not None and len(rows) >= limit:
                    break
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImportError_(f"{path.name}: not a readable UTF-8 CSV file ({exc}).") from exc
    return rows


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()] or [
        text.strip()
    ]


@dataclass
class ImportSummary:
    created: int = 0
    skipped: int = 0
    sections_created: int = 0


def articles_import_csv(
    *,
    path: Path,
    home: HomePage,
    author: Author | None = None,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import articles from a CSV file with columns category, title, body (or content) and,
    optionally, standfirst and published (ISO 8601). Sections are created from categories as needed.

    The whole file is checked before anything is written, and the import runs in one
    transaction: a malformed row raises :class:`ImportError_` and nothing is imported. An article
    whose headline already exists in its section is skipped, so a second run changes nothing.
    """
    from django.utils.html import escape

    rows = _read_rows(path, limit=limit)
    summary = ImportSummary()
    now = timezone.now()
    with transaction.atomic():
        sections: dict[str, SectionPage] = {
            s.slug: s for s in SectionPage.objects.child_of(home).specific()
        }
        existing = set(ArticlePage.objects.values_list("section_id", "title"))
        used_slugs = set(ArticlePage.objects.values_list("section_id", "slug"))
        for index, row in enumerate(rows):
            section_slug = slugify(row.section)[:50] or "news"
            section = sections.get(section_slug)
            if section is None:
                section = SectionPage(title=row.section.title(), slug=section_slug)
                home.add_child(instance=section)
                section.save_revision().publish()
                sections[section_slug] = section
                summary.sections_created += 1
            if (section.pk, row.headline) in existing:
                summary.skipped += 1
            else:
                slug = first_free_slug(
                    slugify(row.headline)[:70] or "article",
                    _taken_in(used_slugs, section.pk),
                )
                paragraphs = _paragraphs(row.body)
                standfirst = row.standfirst or paragraphs[0][:300]
                article = ArticlePage(
                    title=row.headline,
                    slug=slug,
                    standfirst=standfirst,
                    body=[("paragraph", f"<p>{escape(p)}</p>") for p in paragraphs],
                    first_published_at=row.published or now,
                )
                section.add_child(instance=article)
                if author is not None:
                    ArticleAuthor.objects.create(article=article, author=author)
                revision = article.save_revision()
                revision.publish(skip_permission_checks=True)
                ArticlePage.objects.filter(pk=article.pk).update(
                    first_published_at=row.published or now, last_published_at=row.published or now
                )
                existing.add((section.pk, row.headline))
                used_slugs.add((section.pk, slug))
                summary.created += 1
            if progress is not None:
                progress(index + 1)
    return summary
