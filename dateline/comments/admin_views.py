"""Moderation actions in the Wagtail admin. Each one calls the same service as everything else."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from dateline.news.models import ArticlePage

from .models import Comment
from .services import (
    MODERATION_ACTIONS,
    article_comments_set_status,
    comment_feature,
    comment_moderate,
)

ACTION_LABELS = {
    "approve": "Approve",
    "hold": "Hold",
    "spam": "Mark as spam",
    "trash": "Trash",
    "feature": "Make an editor’s pick",
    "unfeature": "Remove from editor’s picks",
}


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_http_methods(["GET", "POST"])
def moderate_comment(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_LABELS:
        raise PermissionDenied
    if not request.user.has_perm("comments.change_comment"):
        raise PermissionDenied
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    listing = reverse("wagtailsnippets_comments_comment:list")
    if request.method == "POST":
        if action in MODERATION_ACTIONS:
            comment_moderate(
                comment=comment,
                action=action,
                actor=request.user,
                reason=request.POST.get("reason", "")[:500],
            )
        else:
            comment_feature(comment=comment, featured=action == "feature", actor=request.user)
        messages.success(request, f"{ACTION_LABELS[action]}: comment by {comment.author_name}.")
        return HttpResponseRedirect(_next(request, listing))
    return TemplateResponse(
        request,
        "comments/admin/confirm.html",
        {
            "comment": comment,
            "action": action,
            "label": ACTION_LABELS[action],
            "next": _next(request, listing),
        },
    )


@require_http_methods(["GET", "POST"])
def toggle_article_comments(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(ArticlePage, pk=pk)
    if not article.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    closing = article.comment_status == ArticlePage.CommentStatus.OPEN
    if request.method == "POST":
        article_comments_set_status(
            article=article, status="closed" if closing else "open", actor=request.user
        )
        messages.success(
            request, f"Comments {'closed' if closing else 'reopened'} on “{article.title}”."
        )
        return HttpResponseRedirect(
            _next(request, reverse("wagtailadmin_explore", args=[article.get_parent().pk]))
        )
    return TemplateResponse(
        request,
        "comments/admin/toggle_article.html",
        {"article": article, "closing": closing, "next": _next(request, "")},
    )
