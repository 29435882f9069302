"""Building newsletter mail: the issue's two parts rendered once, one message per subscriber.

An issue's HTML and text are rendered once when its send starts; each subscriber's copy only
swaps in their own unsubscribe and manage links (``personalise``). No tracking pixel, no
rewritten link: every link points at the article itself.

Headers are one line each: whatever an editor typed into a subject or a sender name loses its
line breaks here (the models refuse them too), and Django encodes the rest (RFC 2047), so no
header can be added through them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dateline.core.links import absolute_url, base_url, page_absolute_url

from .models import Newsletter, NewsletterIssue, Subscriber
from .tokens import manage_token, unsubscribe_token

UNSUBSCRIBE_MARK = "__DATELINE_UNSUBSCRIBE_URL__"
MANAGE_MARK = "__DATELINE_MANAGE_URL__"
_BREAKS = re.compile(r"[\r\n\x00\t\x0b\x0c\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """``text`` as one header line: line breaks and control characters become spaces."""
    return " ".join(_BREAKS.sub(" ", text).split())


def from_header(newsletter: Newsletter | None) -> str:
    address = parseaddr(settings.DATELINE_NEWSLETTER_FROM_EMAIL)[1]
    name = one_line((newsletter.sender_name if newsletter else "") or settings.SITE_NAME)
    return formataddr((name, address))


def unsubscribe_url(*, subscriber_id: int, email_key: str, newsletter_id: int) -> str:
    token = unsubscribe_token(
        subscriber_id=subscriber_id, email_key=email_key, newsletter_id=newsletter_id
    )
    return absolute_url(reverse("newsletters:unsubscribe", args=[token]))


def list_headers(*, newsletter: Newsletter | None, unsubscribe: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058: the one-click unsubscribe every mail carries."""
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    if newsletter is not None:
        host = urlsplit(base_url()).hostname or "localhost"
        name = one_line(newsletter.name).replace('"', "'")
        headers["List-Id"] = f'"{name}" <{newsletter.slug}.newsletters.{host}>'
    return headers


@dataclass(frozen=True)
class Item:
    title: str
    standfirst: str
    url: str
    section: str
    published: Any
    language: str = "en"
    direction: str = "ltr"


def issue_items(issue: NewsletterIssue) -> list[Item]:
    """The issue's articles in order, with their public addresses (one query)."""
    rows = issue.items.select_related("article", "article__section").order_by("sort_order")
    return [
        Item(
            title=row.article.title,
            standfirst=row.article.standfirst,
            url=page_absolute_url(row.article),
            section=row.article.section.title if row.article.section else "",
            published=row.article.first_published_at,
            language=row.article.language,
            direction=row.article.text_direction,
        )
        for row in rows
    ]


def render_issue(issue: NewsletterIssue) -> tuple[str, str]:
    """The issue's HTML and plain text, with marks where each subscriber's links go."""
    newsletter = issue.newsletter
    context = {
        "issue": issue,
        "newsletter": newsletter,
        "items": issue_items(issue),
        "SITE_NAME": settings.SITE_NAME,
        "site_url": base_url() + "/",
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "manage_url": MANAGE_MARK,
        "date": timezone.localtime(issue.covers_until),
    }
    name = "alert" if newsletter.template == Newsletter.Template.ALERT else "digest"
    return (
        render_to_string(f"newsletters/mail/{name}.html", context),
        render_to_string(f"newsletters/mail/{name}.txt", context),
    )


def personalise(body: str, *, unsubscribe: str, manage: str, escape: bool) -> str:
    if escape:
        unsubscribe, manage = html.escape(unsubscribe), html.escape(manage)
    return body.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage)


def issue_message(
    *,
    issue: NewsletterIssue,
    html_body: str,
    text_body: str,
    to: str,
    subscriber_id: int,
    email_key: str,
    connection: Any = None,
    subject_prefix: str = "",
) -> EmailMultiAlternatives:
    """One subscriber's copy of ``issue``."""
    newsletter = issue.newsletter
    unsubscribe = unsubscribe_url(
        subscriber_id=subscriber_id, email_key=email_key, newsletter_id=newsletter.pk
    )
    manage = manage_url_for(subscriber_id=subscriber_id, email_key=email_key)
    message = EmailMultiAlternatives(
        subject=one_line(subject_prefix + issue.subject),
        body=personalise(text_body, unsubscribe=unsubscribe, manage=manage, escape=False),
        from_email=from_header(newsletter),
        to=[to],
        headers=list_headers(newsletter=newsletter, unsubscribe=unsubscribe),
        connection=connection,
    )
    message.attach_alternative(
        personalise(html_body, unsubscribe=unsubscribe, manage=manage, escape=True), "text/html"
    )
    return message


def manage_url_for(*, subscriber_id: int, email_key: str) -> str:
    token = manage_token(Subscriber(pk=subscriber_id, email_key=email_key))
    return absolute_url(reverse("newsletters:manage_link", args=[token]))


def confirmation_message(
    *,
    to: str,
    confirm_url: str,
    cancel_url: str,
    manage_url: str,
    newsletters: list[Newsletter],
    already: bool,
) -> EmailMultiAlternatives:
    """The double opt-in mail: a link to a page with a button (a mail scanner that opens the
    link confirms nothing). ``already``: every newsletter asked for is confirmed already, so
    the mail only says so (the page that took the address answered the same either way)."""
    context = {
        "confirm_url": confirm_url,
        "cancel_url": cancel_url,
        "manage_url": manage_url,
        "newsletters": newsletters,
        "already": already,
        "SITE_NAME": settings.SITE_NAME,
        "site_url": base_url() + "/",
    }
    subject = (
        f"You already get these newsletters from {settings.SITE_NAME}"
        if already
        else f"Confirm your newsletter subscription to {settings.SITE_NAME}"
    )
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=render_to_string("newsletters/mail/confirm.txt", context),
        from_email=from_header(None),
        to=[to],
        headers={
            **list_headers(newsletter=None, unsubscribe=cancel_url),
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("newsletters/mail/confirm.html", context), "text/html"
    )
    return message
