"""The WordPress import's old addresses: each post's, and the archives' and feeds' at
WordPress's default permalinks, as permanent redirects to where readers now find them."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlparse

from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from dateline.news.models import ArticlePage, HomePage

from ...parsing import WxrItem
from ...summary import Summary
from ..common import slug_of
from .index import WxrIndex
from .terms import Terms


class OldAddresses:
    """The redirects of one import."""

    def __init__(
        self, *, path: Path, home: HomePage, index: WxrIndex, terms: Terms, summary: Summary
    ) -> None:
        self.path = path
        self.home = home
        self.terms = terms
        self.summary = summary
        self.site = Site.objects.filter(root_page=home).first()
        blog = index.channel.get("wp:base_blog_url") or index.channel.get("link") or ""
        self.blog = urlparse(blog)

    def _old_paths(self, item: WxrItem) -> list[str]:
        urls = []
        if item.link:
            urls.append(item.link)
        root = self.blog.path.rstrip("/")
        urls.append(f"{root}/?p={item.post_id}")
        guid = urlparse(item.guid)
        guid_ids = {v for k, v in parse_qsl(guid.query) if k in ("p", "page_id")}
        # A guid naming another post's id was minted on another site; that id is not ours.
        if (
            guid.scheme in ("http", "https")
            and guid.netloc == self.blog.netloc
            and guid_ids <= {item.post_id}
        ):
            urls.append(item.guid)
        paths = []
        for url in urls:
            old = Redirect.normalise_path(url)
            if old not in ("", "/") and old not in paths:
                paths.append(old)
        return paths

    def for_article(self, item: WxrItem, article: ArticlePage) -> None:
        own = Redirect.normalise_path("/" + article.url_path[len(self.home.url_path) :])
        for old_path in self._old_paths(item):
            if old_path != own:
                self._redirect(old_path, page=article, where=f"line {item.line}")

    def _redirect(
        self,
        old_path: str,
        *,
        page: Page | None = None,
        route: str = "",
        link: str = "",
        where: str,
    ) -> None:
        """A permanent redirect from ``old_path`` to ``page`` (and its ``route``, a path the
        page answers itself: ``/tags/harbour/`` on the front page) or to ``link``, unless the
        old path already redirects elsewhere."""
        old_path = Redirect.normalise_path(old_path)
        if len(old_path) > 255:
            self.summary.counts["old addresses too long for a redirect"] += 1
            return
        existing = Redirect.objects.filter(old_path=old_path, site=self.site).first()
        if existing is None:
            Redirect.objects.create(
                old_path=old_path,
                site=self.site,
                redirect_page=page,
                redirect_page_route_path=route,
                redirect_link=link,
                is_permanent=True,
            )
            self.summary.created["redirects"] += 1
        elif (
            existing.redirect_page_id,
            existing.redirect_page_route_path,
            existing.redirect_link,
        ) == (
            page.pk if page is not None else None,
            route,
            link,
        ):
            self.summary.existing["redirects"] += 1
        else:
            self.summary.note(
                f"{self.path.name}, {where}: {old_path} already redirects elsewhere; left as it was."
            )
            self.summary.skipped["redirects already taken"] += 1

    def archives(self) -> None:
        """WordPress's archive addresses (its default permalinks) to the section, tag or author
        page readers now find there: ``/category/parent/child/`` (and ``/category/child/``),
        ``/tag/…``, ``/author/…``; their feeds, and the site's ``/feed/``, to our RSS feeds, so
        feed readers and syndication partners keep receiving the news."""
        root = self.blog.path.rstrip("/")
        for feed, ours in (("feed", "rss"), ("feed/rss2", "rss"), ("feed/atom", "atom")):
            self._redirect(f"{root}/{feed}", link=reverse(f"feeds:{ours}"), where="feeds")
        for nicename, section in self.terms.sections.items():
            page, route = section, ""
            feed = reverse("feeds:rss_scoped", args=["section", section.slug])
            tag = self.terms.category_tags.get(nicename)
            if tag is not None and not section.live:
                # No post lives in its section: its posts are listed under its tag.
                page, route = self.home, f"/tags/{tag.slug}/"
                feed = reverse("feeds:rss_scoped", args=["tag", tag.slug])
            for path in dict.fromkeys((self.terms.category_path(nicename), nicename)):
                self._redirect(
                    f"{root}/category/{path}", page=page, route=route, where="categories"
                )
                self._redirect(f"{root}/category/{path}/feed", link=feed, where="categories")
        for slug, tag in self.terms.tags.items():
            feed = reverse("feeds:rss_scoped", args=["tag", tag.slug])
            route = f"/tags/{tag.slug}/"
            self._redirect(f"{root}/tag/{slug}", page=self.home, route=route, where="tags")
            self._redirect(f"{root}/tag/{slug}/feed", link=feed, where="tags")
        # WordPress's author addresses use the login made into a slug ("nicename", roughly).
        nicenames = {
            slug_of(login, fallback="author", max_length=120): author
            for login, author in self.terms.authors.items()
        }
        for nicename, author in nicenames.items():
            feed = reverse("feeds:rss_scoped", args=["author", author.slug])
            route = f"/authors/{author.slug}/"
            self._redirect(
                f"{root}/author/{nicename}", page=self.home, route=route, where="authors"
            )
            self._redirect(f"{root}/author/{nicename}/feed", link=feed, where="authors")
