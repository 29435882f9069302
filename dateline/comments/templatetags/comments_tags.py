from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from dateline.news.models import ArticlePage

from ..bodies import comment_body_html
from ..forms import CommentForm
from ..models import Comment
from ..ownership import own_comment_ids
from ..rendering import comment_thread_html, render_comment_nodes
from ..selectors import CommentNode, access_comment
from ..services import comment_policy_for
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
    form = CommentForm(
        initial={"comment_post_ID": article.pk, "comment_parent": reply_to.pk if reply_to else 0},
        signed_in=signed_in,
        require_identity=policy.require_name_email,
    )
    return {
        "request": request,
        "user": request.user,
        "article": article,
        # A page of the thread, the same for every reader without pending comments of their
        # own: cached per article version (comments.rendering).
        "thread_html": comment_thread_html(
            article=article,
            page_number=request.GET.get("cpage", 1),
            order=request.GET.get("corder", "oldest"),
            own_tokens=own,
            comments_open=comments_open,
            full=request.GET.get("cfull") == "1",
        ),
        "form": form,
        "reply_to": reply_to,
        "own_tokens": own,
        "signed_in": signed_in,
        "comments_open": comments_open,
        "policy": policy,
        "sign_in_first": policy.signed_in_only and not signed_in,
    }


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


@register.filter
def comment_excerpt_html(comment: Comment, length: int = 200) -> SafeString:
    """The start of a comment, rendered like the whole: cut in the reader's text, before the
    sanitizer, never in its HTML (which a cut could leave with an open tag)."""
    return render_comment_body(Truncator(comment.body).chars(length))
