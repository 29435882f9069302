"""The newsroom's side of newsletters in Wagtail's admin: the issues, each previewed before it
goes (with a test copy to oneself and the list size), and what a send did afterwards."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from dateline.core.errors import ServiceError

from .mail import MANAGE_MARK, UNSUBSCRIBE_MARK, render_issue
from .models import Newsletter, NewsletterIssue, Subscription
from .selectors import issue_failures, issue_report, issues_for_admin, list_size
from .services import issue_cancel, issue_prepare, issue_resume, issue_send, issue_send_test

VIEW = "newsletters.view_newsletterissue"
SEND = "newsletters.send_newsletterissue"


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def issues_index(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW)
    newsletters = Newsletter.objects.annotate(
        subscribers=Count(
            "subscriptions", filter=Q(subscriptions__status=Subscription.Status.CONFIRMED)
        )
    ).order_by("name")
    issues = issues_for_admin().annotate(
        sent=Count("log", filter=Q(log__status="sent")),
        failed=Count("log", filter=Q(log__status__in=["failed", "interrupted"])),
    )[:50]
    return TemplateResponse(
        request,
        "newsletters/admin/index.html",
        {"newsletters": newsletters, "issues": issues, "can_send": request.user.has_perm(SEND)},
    )


def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, VIEW)
    issue = get_object_or_404(NewsletterIssue.objects.select_related("newsletter"), pk=pk)
    text = issue.text_body or render_issue(issue)[1]
    return TemplateResponse(
        request,
        "newsletters/admin/issue.html",
        {
            "issue": issue,
            "items": issue.items.select_related("article"),
            "list_size": list_size(newsletter=issue.newsletter),
            "report": issue_report(issue=issue),
            "failures": issue_failures(issue=issue),
            "text": _preview_links(text),
            "can_send": request.user.has_perm(SEND),
            "stalled": issue.status == NewsletterIssue.Status.SENDING
            and issue.heartbeat_at is not None
            and (timezone.now() - issue.heartbeat_at).total_seconds() > 60,
            "editor_email": getattr(request.user, "email", ""),
        },
    )


def _preview_links(body: str) -> str:
    return body.replace(UNSUBSCRIBE_MARK, "#unsubscribe").replace(MANAGE_MARK, "#manage")


@xframe_options_sameorigin
def issue_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The HTML part as subscribers get it (their own links left out), framed by the issue's
    page."""
    _require(request, VIEW)
    issue = get_object_or_404(NewsletterIssue.objects.select_related("newsletter"), pk=pk)
    html = issue.html_body or render_issue(issue)[0]
    return HttpResponse(_preview_links(html))


@require_POST
def issue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require(request, SEND)
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    try:
        if action == "send":
            issue_send(issue=issue)
            messages.success(request, "Sending started. The counts below fill in as it goes.")
        elif action == "test":
            email = getattr(request.user, "email", "")
            if not email:
                messages.error(request, "Your account has no email address to send a test to.")
            else:
                issue_send_test(issue=issue, email=email)
                messages.success(request, f"A test copy is on its way to {email}.")
        elif action == "cancel":
            if issue_cancel(issue=issue):
                messages.success(request, "The issue was cancelled.")
            else:
                messages.error(request, "This issue can no longer be cancelled.")
        elif action == "resume":
            doubtful = issue_resume(issue=issue)
            messages.success(
                request,
                f"Sending resumed; {doubtful} mail(s) that were going when it stopped are not sent again.",
            )
        else:
            raise PermissionDenied
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("newsletters_admin_issue", pk=issue.pk)


@require_POST
def newsletter_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, SEND)
    newsletter = get_object_or_404(Newsletter, pk=pk)
    issue = issue_prepare(newsletter=newsletter)
    if issue.status == NewsletterIssue.Status.SKIPPED:
        messages.warning(
            request, f"Nothing new for {newsletter.name} since its last issue: nothing to send."
        )
    else:
        messages.success(request, "A draft issue is ready: look it over, then send it.")
    return redirect("newsletters_admin_issue", pk=issue.pk)


def urls() -> list[Any]:
    from django.urls import path

    return [
        path("newsletter-issues/", issues_index, name="newsletters_admin_issues"),
        path("newsletter-issues/<int:pk>/", issue_detail, name="newsletters_admin_issue"),
        path(
            "newsletter-issues/<int:pk>/preview/",
            issue_preview,
            name="newsletters_admin_preview",
        ),
        path(
            "newsletter-issues/<int:pk>/<slug:action>/",
            issue_action,
            name="newsletters_admin_action",
        ),
        path(
            "newsletters/<int:pk>/prepare/",
            newsletter_prepare,
            name="newsletters_admin_prepare",
        ),
    ]
