"""The WordPress import's terms: authors, categories as sections, tags, and a post's later
categories as tags; each remembered, so a second run finds them."""

from __future__ import annotations

from taggit.models import Tag

from dateline.news.models import RESERVED_SECTION_SLUGS, Author, HomePage, SectionPage

from ...html import html_to_text
from ...media import mapped_ids, remember
from ...models import ImportedObject
from ...summary import Summary
from ..common import slug_of
from .index import WxrIndex

Kind = ImportedObject.Kind


class Terms:
    """Authors, sections and tags by their WordPress names, filled before the items are."""

    def __init__(self, *, home: HomePage, index: WxrIndex, source: str, summary: Summary) -> None:
        self.home = home
        self.index = index
        self.source = source
        self.summary = summary
        self.authors: dict[str, Author] = {}
        self.sections: dict[str, SectionPage] = {}
        self.tags: dict[str, Tag] = {}
        self.category_tags: dict[str, Tag] = {}  # category slug → its tag (not a first category)

    def authors_import(self) -> None:
        known = mapped_ids(self.source, Kind.AUTHOR)
        for record in self.index.authors:
            author = Author.objects.filter(pk=known.get(record.login)).first()
            if author is not None:
                self.summary.existing["authors"] += 1
            else:
                slug = slug_of(record.login, fallback="author", max_length=120)
                author = Author.objects.filter(slug=slug).first()
                if author is None:
                    name = record.display_name or " ".join(
                        p for p in (record.first_name, record.last_name) if p
                    )
                    author = Author.objects.create(name=(name or record.login)[:120], slug=slug)
                    self.summary.created["authors"] += 1
                else:
                    self.summary.existing["authors"] += 1
                remember(self.source, Kind.AUTHOR, record.login, author)
            self.authors[record.login] = author

    def sections_import(self) -> None:
        known = mapped_ids(self.source, Kind.CATEGORY)
        children = {s.slug: s for s in SectionPage.objects.child_of(self.home).specific()}
        # WordPress's archive of a category lists its child categories' posts too.
        used = {part for n in self.index.sections_used for part in self.category_path(n).split("/")}
        for nicename, (name, description) in self.index.categories.items():
            section = SectionPage.objects.filter(pk=known.get(nicename)).first()
            if section is not None:
                self.summary.existing["sections"] += 1
            else:
                slug = slug_of(nicename, fallback="section")
                if slug in RESERVED_SECTION_SLUGS:
                    self.summary.note(
                        f"The category “{name}” would make a section at /{slug}/, an address the site uses itself; its section is /{slug}-section/."
                    )
                    slug = f"{slug}-section"
                section = children.get(slug)
                if section is None:
                    # A category no post lives in would be an empty section in every page's
                    # navigation: it waits, unpublished, until the editors publish it.
                    section = SectionPage(
                        title=(name or nicename)[:255],
                        slug=slug,
                        description=html_to_text(description)[:300],
                        live=nicename in used,
                    )
                    self.home.add_child(instance=section)
                    revision = section.save_revision()
                    if nicename in used:
                        revision.publish(skip_permission_checks=True)
                    else:
                        self.summary.counts["sections left unpublished (no post in them)"] += 1
                    children[slug] = section
                    self.summary.created["sections"] += 1
                else:
                    self.summary.existing["sections"] += 1
                remember(self.source, Kind.CATEGORY, nicename, section)
            if not section.live and nicename in used:
                self.summary.note(
                    f"The section “{section.title}” (/{section.slug}/) gets posts but is not published: publish it in the newsroom."
                )
            self.sections[nicename] = section

    def tags_import(self) -> None:
        known = mapped_ids(self.source, Kind.TAG)
        created: set[int] = set()
        for slug, name in self.index.tags.items():
            tag = Tag.objects.filter(pk=known.get(slug)).first()
            if tag is not None:
                self.summary.existing["tags"] += 1
            else:
                tag_slug = slug_of(slug, fallback="tag", max_length=100)
                name = (name or slug)[:100]
                tag = (
                    Tag.objects.filter(slug=tag_slug).first()
                    or Tag.objects.filter(name=name).first()
                )
                if tag is None:
                    tag = Tag.objects.create(name=name, slug=tag_slug)
                    self.summary.created["tags"] += 1
                    created.add(tag.pk)
                elif tag.pk in created:
                    self.summary.counts["tag slugs sharing a name with another (one tag)"] += 1
                else:
                    self.summary.existing["tags"] += 1
                remember(self.source, Kind.TAG, slug, tag)
            self.tags[slug] = tag

    def category_tags_import(self) -> None:
        """A post lives in one section, its first category's: every other category it names
        becomes one of its tags, named and slugged as that category's section, so its stories
        are still listed together (the export writes these tags back as categories)."""
        for nicename in sorted(self.index.categories_as_tags):
            section = self.sections[nicename]
            slug, name = section.slug[:100], section.title[:100]
            tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name, slug=slug)
                self.summary.created["tags"] += 1
                self.summary.counts["tags made from categories (a post's second or later)"] += 1
            self.category_tags[nicename] = tag

    def author_for_login(self, login: str) -> Author:
        """A byline naming a login the file does not list among its authors."""
        slug = slug_of(login, fallback="author", max_length=120)
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            author = Author.objects.create(name=login[:120], slug=slug)
            self.summary.created["authors"] += 1
        remember(self.source, Kind.AUTHOR, login, author)
        self.authors[login] = author
        return author

    def category_path(self, nicename: str) -> str:
        path = [nicename]
        parent = self.index.category_parents.get(nicename)
        while parent and parent not in path and parent in self.index.categories:
            path.insert(0, parent)
            parent = self.index.category_parents.get(parent)
        return "/".join(path)
