"""Related coverage and the search vocabulary: kept up to date when articles are published.

The article page reads its "related coverage" from ``RelatedArticle`` (one indexed query); the
work of choosing happens here, on publish, in a task: never a scan of the archive per request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from .models import ArticlePage, ArticleTag, RelatedArticle, SearchTerm
from .search import vocabulary_words
from .selectors import public

# How many of the newest candidates (sharing a tag or the section) are weighed.
RELATED_WINDOW = 300


def _related_count() -> int:
    return int(getattr(settings, "DATELINE_RELATED_COUNT", 5))


def related_candidates(*, article: ArticlePage) -> list[int]:
    """Ids of the articles to list beside ``article``, newest first.

    Candidates are the RELATED_WINDOW newest live, public articles sharing a tag or the section;
    the best ones by shared tags (a shared section counts as half a tag) are kept.
    """
    tag_ids = list(
        ArticleTag.objects.filter(content_object_id=article.pk).values_list("tag_id", flat=True)
    )
    match = Q(tagged_items__tag_id__in=tag_ids) if tag_ids else Q(pk__in=[])
    if article.section_id is not None:
        match |= Q(section_id=article.section_id)
    rows = (
        public(ArticlePage.objects.live())
        .filter(match)
        .exclude(pk=article.pk)
        .exclude(translation_of_id=article.pk)
        .annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids)))
        .order_by("-first_published_at", "-pk")
        .values_list("pk", "shared", "section_id", "first_published_at", "translation_of_id")
    )[:RELATED_WINDOW]
    original = article.translation_of_id
    scored = [
        (shared * 2 + (1 if section_id == article.section_id else 0), published, pk)
        for pk, shared, section_id, published, translation_of in rows
        # A translation of the same story is not "related coverage": hreflang links it.
        if pk != original and (original is None or translation_of != original)
    ]
    best = sorted(scored, key=lambda s: (s[0], s[1] or 0, s[2]), reverse=True)[: _related_count()]
    best.sort(key=lambda s: (s[1] is not None, s[1], s[2]), reverse=True)
    return [pk for _, _, pk in best]


@transaction.atomic
def article_related_refresh(*, article: ArticlePage) -> list[int]:
    """Recompute and store ``article``'s related coverage; returns the ids stored.

    An article that is not live gets an empty list.
    """
    ids = related_candidates(article=article) if article.live else []
    RelatedArticle.objects.filter(article=article).delete()
    RelatedArticle.objects.bulk_create(
        RelatedArticle(article_id=article.pk, related_id=pk, position=n) for n, pk in enumerate(ids)
    )
    return ids


def articles_related_refresh_around(*, article_id: int) -> set[int]:
    """After ``article_id`` was published, unpublished or changed: refresh its own list, the
    lists that name it and the lists of the articles it now names (the relation is mostly
    mutual). Returns the ids of the articles whose lists were refreshed."""
    article = ArticlePage.objects.filter(pk=article_id).first()
    affected: set[int] = set(
        RelatedArticle.objects.filter(related_id=article_id).values_list("article_id", flat=True)
    )
    if article is not None:
        affected.update(article_related_refresh(article=article))
    affected.discard(article_id)
    for other in ArticlePage.objects.filter(pk__in=affected):
        article_related_refresh(article=other)
    return affected | ({article_id} if article is not None else set())


def search_terms_add(*, texts: Iterable[str]) -> int:
    """Add the words of ``texts`` to the suggestion vocabulary; returns how many were new."""
    words = {w for w in vocabulary_words(*texts) if w}
    if not words:
        return 0
    known = set(SearchTerm.objects.filter(word__in=words).values_list("word", flat=True))
    new = [SearchTerm(word=w, initial=w[0], length=len(w)) for w in sorted(words - known)]
    SearchTerm.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def article_search_terms(*, article: ArticlePage) -> list[str]:
    """The texts of ``article`` that feed the vocabulary: headline, tags, section, byline."""
    texts = [article.title, *(tag.name for tag in article.tags.all())]
    if article.section_id is not None and article.section is not None:
        texts.append(article.section.title)
    texts.extend(entry.author.name for entry in article.byline.select_related("author"))
    return texts


def search_terms_rebuild() -> int:
    """Fill the vocabulary from every live article (for an existing archive); returns new words."""
    added = 0
    queryset = ArticlePage.objects.live().select_related("section").prefetch_related("tags")
    for article in queryset.iterator(chunk_size=500):
        added += search_terms_add(texts=article_search_terms(article=article))
    return added


def articles_related_rebuild() -> int:
    """Recompute every live article's related coverage (after a bulk load); returns the count."""
    count = 0
    for article in ArticlePage.objects.live().iterator(chunk_size=200):
        article_related_refresh(article=article)
        count += 1
    return count
