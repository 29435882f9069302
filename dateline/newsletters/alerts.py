"""Alerts: the task that turns a publication (or a breaking-news flag) into alert issues."""

from __future__ import annotations

from django_tasks import task

from dateline.news.models import ArticlePage

from .services import alerts_for_article


@task()
def send_alerts(article_id: int, breaking: bool = False) -> int:
    article = ArticlePage.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    return len(alerts_for_article(article=article, breaking=breaking))
