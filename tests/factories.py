"""factory_boy factories for the newsroom's content."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify

from dateline.news.models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    Author,
    HomePage,
    SectionPage,
)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    role = "Correspondent"
    bio = "Writes about the world."


class SectionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SectionPage

    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    description = "Stories from this desk."

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> SectionPage:
        if kwargs.get("parent") is None:
            kwargs["parent"] = HomePage.objects.get()
        return super()._create(model_class, *args, **kwargs)


class ArticlePageFactory(wagtail_factories.PageFactory):
    """A live article. ``authors=[...]`` fills the byline; ``tags=[...]`` the topics."""

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Something happened, part {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    standfirst = "What happened, and why it matters."
    dateline_place = "LONDON"
    body = factory.LazyFunction(
        lambda: [
            ("paragraph", "<p>The first paragraph says what happened.</p>"),
            ("heading", "Background"),
            ("paragraph", "<p>More detail follows.</p>"),
        ]
    )
    first_published_at = factory.Sequence(lambda n: timezone.now() - timedelta(minutes=10_000 - n))
    last_published_at = factory.LazyAttribute(lambda o: o.first_published_at)
    live = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> ArticlePage:
        authors = kwargs.pop("authors", None)
        tags = kwargs.pop("tags", None)
        corrections = kwargs.pop("corrections", None)
        if kwargs.get("parent") is None:
            kwargs["parent"] = SectionPageFactory()
        article = super()._create(model_class, *args, **kwargs)
        for order, author in enumerate(authors if authors is not None else [AuthorFactory()]):
            ArticleAuthor.objects.create(article=article, author=author, sort_order=order)
        for order, text in enumerate(corrections or []):
            ArticleCorrection.objects.create(article=article, text=text, sort_order=order)
        if tags:
            article.tags.add(*tags)
            article.save()
        return article
