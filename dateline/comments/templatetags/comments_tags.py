from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from dateline.core.fragments import fragment
from dateline.core.pagecache import page_cache_private
from dateline.core.splice import spliced
from dateline.news.models import ArticlePage

from ..bodies import comment_body_html, comment_is_long
from ..forms import CommentForm
from ..guards import form_stamp
from ..models import Comment
from ..ownership import own_comment_ids
from ..rendering import comment_thread_html, comment_thread_page_number, render_comment_nodes
from ..selectors import CommentNode, access_comment
from ..services import comment_policy_for
from ..services.subscriptions import CONFIRM_NOTICE
from ..text import render_comment_body

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context: template.Context, article: ArticlePage) -> dict[str, Any]:
    """The conversation under an article: a page of the thread and the "Leave a Reply" form."""
    request = context["request"]
    own = own_comment_ids(request.GET.getlist("own"))
    # Any text at all may come in ?replytocom=; the selector reads it as an id or finds nothing.
    candidate = access_comment(comment_id=request.GET.get("replytocom"))
    reply_to = candidate if candidate is not None and candidate.article_id == article.pk else None
    signed_in = request.user.is_authenticated
    policy = comment_policy_for(article)
    comments_open = article.comments_open() and not policy.closed_by_age(article, timezone.now())

    def new_form() -> CommentForm:
        return CommentForm(
            initial={
                "comment_post_ID": article.pk,
                "comment_parent": reply_to.pk if reply_to else 0,
            },
            signed_in=signed_in,
            require_identity=policy.require_name_email,
        )

    cpage = request.GET.get("cpage")
    if cpage is not None and cpage != str(
        comment_thread_page_number(article=article, page_number=cpage)
    ):
        # A page number past the last one (or not a number) shows another page's comments: no
        # shared cache keeps it under this address (what they hold stays bounded).
        page_cache_private(request)
    form_html = None
    if comments_open and not signed_in and reply_to is None and not policy.signed_in_only:
        form_html = _blank_form_html(article, policy, new_form)
    return {
        "request": request,
        "user": request.user,
        "article": article,
        # A page of the thread, the same for every reader without pending comments of their
        # own: cached per article version (comments.rendering), and put into the page's bytes
        # as they are kept, encoded once (core.splice).
        "thread_html": spliced(
            comment_thread_html(
                article=article,
                page_number=cpage or 1,
                order=request.GET.get("corder", "oldest"),
                own_tokens=own,
                comments_open=comments_open,
                full=request.GET.get("cfull") == "1",
            ),
            # The same kept object for every reader without comments of their own.
            kept=not own,
        ),
        # Built only when the kept form (form_html) is not used.
        "form": SimpleLazyObject(new_form),
        "form_html": form_html,
        "reply_to": reply_to,
        "own_tokens": own,
        # After a post without JavaScript that asked for reply notifications not yet confirmed.
        "confirm_notice": CONFIRM_NOTICE if own and request.GET.get("notify") == "confirm" else "",
        "newest_own": max(own) if own else None,
        "signed_in": signed_in,
        "comments_open": comments_open,
        "policy": policy,
        "sign_in_first": policy.signed_in_only and not signed_in,
    }


# Stands for the form's signed timestamp in the kept form; each page gets a fresh one.
_STAMP = "dateline-form-stamp-0f3c9a"


def _blank_form_html(article: ArticlePage, policy: Any, new_form: Any) -> SafeString:
    """The "Leave a Reply" form as an anonymous reader first sees it (no reply, no errors):
    the same for every such reader of the article but for the signed timestamp, so kept as
    HTML (``core.fragments``, under the article's versions and what of the policy it shows)
    and given a fresh timestamp each time."""
    hours = policy.hours.notice() if policy.hours else ""
    # The page's path, not its address: Wagtail works ``.url`` out anew on each call, and a
    # site's or the page's move invalidates "content" anyway.
    shape = repr((policy.require_name_email, hours, article.url_path))
    name = (
        f"comment-form:{article.pk}:" + hashlib.blake2b(shape.encode(), digest_size=8).hexdigest()
    )

    def build() -> str:
        context = {
            "article": article,
            "form": new_form(),
            "reply_to": None,
            "signed_in": False,
            "policy": policy,
            "stamp": _STAMP,
        }
        return render_to_string("comments/form.html", context)

    html = fragment(name, ["content", f"article:{article.pk}"], build)
    # The kept HTML was rendered by the autoescaped template; the stamp is URL-safe base64.
    return mark_safe(html.replace(_STAMP, form_stamp(), 1))  # noqa: S308


@register.simple_tag(takes_context=True)
def comment_nodes(context: template.Context, nodes: list[CommentNode]) -> SafeString:
    """A page of the thread (see comments/nodes.html, a Jinja2 template)."""
    return render_comment_nodes(
        nodes,
        own_tokens=context.get("own_tokens"),
        comments_open=context.get("comments_open"),
        folded=context.get("folded"),
        more_query=str(context.get("more_query") or ""),
    )


@register.filter
def comment_html(comment: Comment) -> SafeString:
    return comment_body_html(comment)


# A long comment (bodies.FOLD_CHARS): its start only where a page is about something else,
# such as the report form under it.
register.filter("comment_is_long", comment_is_long)


@register.filter
def comment_excerpt_html(comment: Comment, length: int = 200) -> SafeString:
    """The start of a comment, rendered like the whole: cut in the reader's text, before the
    sanitizer, never in its HTML (which a cut could leave with an open tag)."""
    return render_comment_body(Truncator(comment.body).chars(length))
