"""Load the demo newsroom: sections, authors, 30+ articles and users for every role.

Idempotent: every object is found by its slug (or name) before it is created, so running it
again adds nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from dateline.comments.models import Comment, CommentReport, CommentSettings
from dateline.comments.services import (
    comment_counts_refresh,
    comment_event,
    comment_log,
    email_key_for,
    path_segment,
)
from dateline.comments.text import body_fingerprint
from dateline.comments.tree import tree_position_under
from dateline.core.pagecache import invalidate
from dateline.moderation.models import DeskAssignment
from dateline.news.models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    Author,
    AuthorLink,
    HomePage,
    SectionPage,
)
from dateline.news.related import articles_related_rebuild, search_terms_rebuild
from dateline.news.services import ADMINISTRATOR, EDITOR, MODERATOR, REPORTER

from . import comments_content, content
from .front import front_page_arrange
from .images import illustration, portrait
from .live import ensure_live_coverage
from .newsletters import ensure_newsletters


@dataclass
class DemoSummary:
    sections: int = 0
    authors: int = 0
    articles: int = 0
    comments: int = 0
    users: list[str] = field(default_factory=list)
    password: str = ""


def _image(*, title: str, data: bytes) -> Any:
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    import io

    filename = title.lower().replace(" ", "-").replace(":", "")[:60] + ".jpg"
    image = Image(title=title, description=title)
    image.file = ImageFile(io.BytesIO(data), name=filename)
    image.save()
    return image


def _paragraph(text: str) -> str:
    """Demo paragraphs may hold <b>, <i> and <a>; anything else is escaped."""
    if "<" in text:
        return f"<p>{text}</p>"
    return f"<p>{escape(text)}</p>"


def _block(kind: str, value: Any) -> tuple[str, Any]:
    if kind == "paragraph":
        return ("paragraph", _paragraph(value))
    if kind == "heading":
        return ("heading", value)
    if kind == "quote":
        return ("quote", {"text": value["text"], "attribution": value.get("attribution", "")})
    if kind == "gallery":
        pictures = [
            {
                "image": _image(
                    title=f"Illustration: {item['seed']}",
                    data=illustration(seed=item["seed"], palette=value["palette"]),
                ),
                "alt": item.get("alt", ""),
                "caption": item.get("caption", ""),
                "credit": item.get("credit", ""),
            }
            for item in value["images"]
        ]
        return ("gallery", {"images": pictures, "caption": value.get("caption", "")})
    if kind == "table":
        table = {
            "caption": value["caption"],
            "columns": [{"type": cell, "heading": heading} for cell, heading in value["columns"]],
            "rows": [{"values": list(row)} for row in value["rows"]],
        }
        return (
            "table",
            {
                "table": table,
                "row_headers": value.get("row_headers", False),
                "source": value.get("source", ""),
            },
        )
    if kind == "fact_box":
        return ("fact_box", {"title": value["title"], "body": value["body"]})
    if kind == "timeline":
        return ("timeline", {"title": value.get("title", ""), "events": value["events"]})
    if kind == "pull_quote":
        return ("pull_quote", {"text": value["text"], "attribution": value.get("attribution", "")})
    if kind == "related_link":
        page = (
            ArticlePage.objects.filter(slug=value["article"]).first()
            if "article" in value
            else None
        )
        return (
            "related_link",
            {
                "label": value.get("label", ""),
                "page": page,
                "url": value.get("url", ""),
                "title": value.get("title", ""),
                "summary": value.get("summary", ""),
            },
        )
    raise ValueError(f"Unknown demo block {kind!r}")


def _ensure_sections(home: HomePage, summary: DemoSummary) -> dict[str, SectionPage]:
    sections = {s.slug: s for s in SectionPage.objects.child_of(home).specific()}
    for spec in content.SECTIONS:
        if spec["slug"] in sections:
            continue
        section = SectionPage(
            title=spec["title"], slug=spec["slug"], description=spec["description"]
        )
        home.add_child(instance=section)
        section.save_revision().publish(skip_permission_checks=True)
        sections[spec["slug"]] = section
        summary.sections += 1
    return sections


def _ensure_authors(summary: DemoSummary) -> dict[str, Author]:
    authors = {a.slug: a for a in Author.objects.all()}
    for spec in content.AUTHORS:
        if spec["slug"] in authors:
            continue
        author = Author.objects.create(
            name=spec["name"],
            slug=spec["slug"],
            role=spec.get("role", ""),
            bio=spec.get("bio", ""),
            photo=_image(title=f"Portrait: {spec['name']}", data=portrait(name=spec["name"])),
        )
        for order, link in enumerate(spec.get("links", [])):
            AuthorLink.objects.create(
                author=author, label=link["label"], url=link["url"], sort_order=order
            )
        authors[author.slug] = author
        summary.authors += 1
    return authors


def _ensure_article(
    spec: dict[str, Any], *, section: SectionPage, authors: dict[str, Author], now: Any
) -> bool:
    if (
        ArticlePage.objects.filter(section=section, slug=spec["slug"]).exists()
        or ArticlePage.objects.child_of(section).filter(slug=spec["slug"]).exists()
    ):
        return False
    published = now - timedelta(hours=spec["hours_ago"])
    updated = (
        now - timedelta(hours=spec["updated_hours_ago"])
        if spec.get("updated_hours_ago") is not None
        else published
    )
    lead = spec.get("lead_image")
    article = ArticlePage(
        title=spec["headline"],
        slug=spec["slug"],
        standfirst=spec.get("standfirst", ""),
        dateline_place=spec.get("dateline", ""),
        language=spec.get("language", "en"),
        body=[_block(kind, value) for kind, value in spec["body"]],
        comment_status=ArticlePage.CommentStatus.OPEN
        if spec.get("comments", "open") == "open"
        else ArticlePage.CommentStatus.CLOSED,
        lead_image=_image(
            title=f"Illustration: {spec['slug']}",
            data=illustration(seed=spec["slug"], palette=spec["section"]),
        )
        if lead
        else None,
        lead_image_caption=(lead or {}).get("caption", ""),
        lead_image_credit=(lead or {}).get("credit", ""),
        first_published_at=published,
        # The original is listed earlier in content.ARTICLES, so it exists by now.
        translation_of=ArticlePage.objects.filter(slug=spec["translation_of"]).first()
        if spec.get("translation_of")
        else None,
    )
    section.add_child(instance=article)
    for order, slug in enumerate(spec.get("authors", [])):
        ArticleAuthor.objects.create(article=article, author=authors[slug], sort_order=order)
    for order, entry in enumerate(spec.get("corrections", [])):
        ArticleCorrection.objects.create(
            article=article,
            kind=entry["kind"],
            text=entry["text"],
            noted_at=now - timedelta(hours=entry["hours_ago"]),
            sort_order=order,
        )
    article.tags.add(*spec.get("tags", []))
    article.save()
    article.save_revision().publish(skip_permission_checks=True)
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=published, last_published_at=updated, latest_revision_created_at=updated
    )
    return True


def _reasons(spec: dict[str, Any]) -> list[dict[str, str]]:
    """What the rules said about a demo comment, as they would have said it."""
    if spec.get("reasons"):
        return [
            {"code": code, "reason": reason, "status": spec["status"]}
            for code, reason in spec["reasons"]
        ]
    if spec["status"] == "pending":
        return [
            {
                "code": "first_comment",
                "reason": "Held: first comment from this address.",
                "status": "pending",
            }
        ]
    return []


def _learned_scores(body: str) -> dict[str, float]:
    """The trained filters' scores of a demo comment, as a posted comment keeps them (none
    without models), so the desk shows them (`make demo` trains the filters first)."""
    from dateline.moderation.classifier import KINDS
    from dateline.moderation.scoring import comment_score

    scores = {kind: comment_score(kind, body) for kind in KINDS}
    return {kind: round(score, 4) for kind, score in scores.items() if score is not None}


def _demo_comment(
    *, article: Any, parent: Comment | None, spec: dict[str, Any], when: Any
) -> Comment:
    place = tree_position_under(parent, segment=path_segment(when))
    body = spec["body"].strip()
    reasons = _reasons(spec)
    reports = spec.get("reports", [])
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        path=place.path,
        thread=place.thread,
        depth=place.depth,
        status=spec["status"],
        author_name=spec["name"],
        author_email=spec["email"],
        email_key=email_key_for(email=spec["email"], user_id=None),
        author_url=spec.get("url", ""),
        is_staff=spec.get("staff", False),
        body=body,
        body_hash=body_fingerprint(body),
        created_at=when,
        moderated_at=when if spec["status"] != "pending" else None,
        moderation_reasons=reasons,
        likes_count=spec.get("likes", 0),
        reports_count=len(reports),
        scores=_learned_scores(body),
        # Enough reader reports on a published comment put it in the desk's Reported queue.
        reported_at=when + timedelta(minutes=20)
        if spec["status"] == "approved" and len(reports) >= 3
        else None,
    )
    comment_log(
        [
            comment_event(
                comment=comment,
                rule=",".join(r["code"] for r in reasons),
                action="posted",
                from_status="",
                reason="; ".join(r["reason"] for r in reasons) or "No rule objected.",
                at=when,
            )
        ]
    )
    for n, reason in enumerate(reports):
        CommentReport.objects.create(comment=comment, reason=reason, reporter=f"demo-reader-{n}")
    return comment


def _ensure_comments(now: Any) -> int:
    """The demo conversations; an article that has comments already is left as it is. Then a
    morning's queue of held comments on the International desk."""
    articles = {
        a.slug: a
        for a in ArticlePage.objects.filter(
            slug__in={c["article"] for c in comments_content.COMMENTS}
            | {item[0] for item in comments_content.DESK_QUEUE}
        )
    }
    done = set(
        Comment.objects.filter(article__in=articles.values())
        .values_list("article_id", flat=True)
        .distinct()
    )
    by_key: dict[str, Comment] = {}
    created = 0
    for spec in sorted(comments_content.COMMENTS, key=lambda c: -c["hours_ago"]):
        article = articles.get(spec["article"])
        if article is None or article.pk in done:
            continue
        parent = by_key.get(spec["parent"]) if spec.get("parent") else None
        when = now - timedelta(hours=spec["hours_ago"])
        by_key[spec["key"]] = _demo_comment(article=article, parent=parent, spec=spec, when=when)
        created += 1
    for slug, name, email, hours_ago, body, reasons in comments_content.DESK_QUEUE:
        article = articles.get(slug)
        if (
            article is None
            or Comment.objects.filter(
                article=article, body_hash=body_fingerprint(body.strip())
            ).exists()
        ):
            continue
        spec = {"status": "pending", "name": name, "email": email, "body": body, "reasons": reasons}
        _demo_comment(
            article=article, parent=None, spec=spec, when=now - timedelta(hours=hours_ago)
        )
        created += 1
    for article in articles.values():
        comment_counts_refresh(article_id=article.pk)
    return created


def _ensure_comment_rules() -> None:
    """Word and domain lists like a newsroom's, so the demo's reasons are the rules' own."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    rules = CommentSettings.for_site(site)
    if rules.disallowed_words or rules.moderation_words or rules.blocked_link_domains:
        return
    rules.disallowed_words = "casino bonus\nfree spins"
    rules.moderation_words = "crypto*\nlimited offer"
    rules.blocked_link_domains = "cryptomoon.example"
    rules.save()


# Demo users who write, and the author each writes as.
DEMO_WRITERS = {"reporter": "priya-raman", "editor": "tomas-okafor"}


def _ensure_users(summary: DemoSummary) -> None:
    User = get_user_model()
    password_file = Path(settings.VAR_DIR) / "demo-password.txt"
    if password_file.exists():
        password = password_file.read_text().strip()
    else:
        password = secrets.token_urlsafe(12)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
    summary.password = password
    for username, group_name, superuser in (
        ("admin", ADMINISTRATOR, True),
        ("editor", EDITOR, False),
        ("reporter", REPORTER, False),
        ("moderator", MODERATOR, False),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=f"{username}@dateline.example",
                password=password,
                first_name=username.title(),
                is_staff=True,
                is_superuser=superuser,
            )
        user.groups.add(Group.objects.get(name=group_name))
        summary.users.append(username)
        # The demo's writers write as an author: new articles start with that byline.
        if username in DEMO_WRITERS and not Author.objects.filter(user=user).exists():
            Author.objects.filter(slug=DEMO_WRITERS[username], user__isnull=True).update(user=user)
    # A moderator limited to one section: the International desk.
    international = SectionPage.objects.filter(slug="international").first()
    desk = User.objects.filter(username="intl-desk").first()
    if desk is None:
        desk = User.objects.create_user(
            username="intl-desk",
            email="intl-desk@dateline.example",
            password=password,
            first_name="International desk",
            is_staff=True,
        )
    desk.groups.add(Group.objects.get(name=MODERATOR))
    if international is not None:
        DeskAssignment.objects.get_or_create(user=desk, section=international)
    summary.users.append("intl-desk")


def demo_database_is_new() -> bool:
    """Whether the database is as ``migrate`` left it: no page below the front page and no user
    account. ``make stack`` loads the demo only then, so it never adds to a site someone has
    begun (pages written, or an account made with ``createsuperuser``)."""
    home_depth = 2  # the root page, then the front page the first migration makes
    return (
        not Page.objects.filter(depth__gt=home_depth).exists()
        and not get_user_model().objects.exists()
    )


def demo_load(*, with_users: bool = True) -> DemoSummary:
    """Load the demo newsroom; returns what was created this time (and the demo password)."""
    summary = DemoSummary()
    now = timezone.now()
    with transaction.atomic():
        home = HomePage.objects.first()
        if home is None:
            raise RuntimeError("There is no front page; run `manage.py migrate` first.")
        sections = _ensure_sections(home, summary)
        authors = _ensure_authors(summary)
        for spec in content.ARTICLES:
            if _ensure_article(spec, section=sections[spec["section"]], authors=authors, now=now):
                summary.articles += 1
        summary.articles += ensure_live_coverage(sections=sections, authors=authors, now=now)
        ensure_newsletters(sections=sections)
        if home.lead_article_id is None:
            lead = ArticlePage.objects.filter(slug=content.ARTICLES[0]["slug"]).first()
            home.lead_article = lead
            home.strapline = "News from around the world, and the conversation about it."
            home.save_revision().publish(skip_permission_checks=True)
        front_page_arrange(home=HomePage.objects.get(pk=home.pk))
        _ensure_comment_rules()
        summary.comments = _ensure_comments(now)
        transaction.on_commit(lambda: invalidate(["content", "listings"]))
        # Every article is in place now: choose each one's related coverage, fill the
        # vocabulary of search suggestions.
        transaction.on_commit(articles_related_rebuild)
        transaction.on_commit(search_terms_rebuild)
        if with_users:
            _ensure_users(summary)
    return summary
