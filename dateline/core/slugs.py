"""The first free slug: ``base``, else ``base-2``, ``base-3``, … (an author's, an article's in its
section). One rule for every place that makes slugs, so they number alike."""

from __future__ import annotations

from collections.abc import Callable

# Room left for "-N" under Wagtail's and our slug fields' 255 characters.
_BASE_MAX = 240


def first_free_slug(base: str, is_taken: Callable[[str], bool]) -> str:
    slug, n = base, 1
    while is_taken(slug):
        n += 1
        slug = f"{base[:_BASE_MAX]}-{n}"
    return slug
