"""Background work after publishing: related coverage and the search vocabulary."""

from __future__ import annotations

from django_tasks import task

from dateline.core.pagecache import invalidate

from .models import ArticlePage
from .related import article_search_terms, articles_related_refresh_around, search_terms_add


@task()
def article_changed(article_id: int) -> int:
    """An article was published, unpublished or moved: refresh the related-coverage lists
    around it and, if it is live, add its words to the search vocabulary."""
    refreshed = articles_related_refresh_around(article_id=article_id)
    # Pages rendered between the publish (which invalidated "content") and now show the old lists.
    invalidate([f"article:{pk}" for pk in refreshed])
    article = ArticlePage.objects.live().filter(pk=article_id).select_related("section").first()
    if article is not None:
        search_terms_add(texts=article_search_terms(article=article))
    return len(refreshed)
