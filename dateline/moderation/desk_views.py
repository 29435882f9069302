"""Moderation actions in the Wagtail admin. Each one calls the same service as everything else."""

from __future__ import annotations

import json
from typing import Any

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.models import Site

from dateline.comments.models import EMAIL_MAX, Comment, CommentSettings
from dateline.comments.services import (
    MODERATION_ACTIONS,
    article_comments_set_status,
    comment_feature,
)
from dateline.comments.text import normalise_email
from dateline.news.models import ArticlePage, SectionPage

from .desk import (
    CHUNK_SIZE,
    INLINE_LIMIT,
    DeskError,
    desk_bulk_start,
    desk_decide,
    desk_feature,
    desk_last_decision,
    desk_undo,
)
from .desk_selectors import (
    QUEUES,
    access_comment_for_moderator,
    can_moderate,
    desk_cards,
    desk_counts,
    desk_queryset,
    desk_queue,
    desk_sections,
    desk_workload,
    reason_codes,
)
from .models import DeskBulkJob

ACTION_LABELS = {
    "approve": "Approve",
    "hold": "Hold",
    "spam": "Mark as spam",
    "trash": "Trash",
    "feature": "Make an editor’s pick",
    "unfeature": "Remove from editor’s picks",
}


def comment_by(comment: Comment) -> str:
    """The end of the desk's sentences, with one full stop after "Graham T.", not two."""
    name = comment.author_name
    return f"comment by {name}" + ("" if name.endswith(".") else ".")


def next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_http_methods(["GET", "POST"])
def moderate_comment(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_LABELS:
        raise PermissionDenied
    comment = comment_or_404(request, pk)  # only the moderator's sections
    listing = reverse("wagtailsnippets_comments_comment:list")
    if request.method == "POST":
        if action in MODERATION_ACTIONS:
            before = comment.status
            desk_decide(
                comment=comment,
                action=action,
                actor=request.user,
                reason=request.POST.get("reason", "")[:500],
            )
            back = next_url(request, listing)
            text = f"{ACTION_LABELS[action]}: {comment_by(comment)}"
            decided_message(request, comment, text, back, before=before)
            return HttpResponseRedirect(back)
        else:
            comment_feature(comment=comment, featured=action == "feature", actor=request.user)
        messages.success(request, f"{ACTION_LABELS[action]}: {comment_by(comment)}")
        return HttpResponseRedirect(next_url(request, listing))
    return TemplateResponse(
        request,
        "moderation/desk/confirm.html",
        {
            "comment": comment,
            "action": action,
            "label": ACTION_LABELS[action],
            "next": next_url(request, listing),
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
            next_url(request, reverse("wagtailadmin_explore", args=[article.get_parent().pk]))
        )
    return TemplateResponse(
        request,
        "moderation/desk/toggle_article.html",
        {"article": article, "closing": closing, "next": next_url(request, "")},
    )


# --- The desk ------------------------------------------------------------------------------------

DESK_ACTION_LABELS = {
    "approve": "Approve",
    "hold": "Hold",
    "spam": "Mark as spam",
    "trash": "Trash",
    "restore": "Restore",
}
CARD_ACTIONS = {**DESK_ACTION_LABELS, "feature": "Feature", "unfeature": "Unfeature"}
# The actions each queue offers on its cards, with their keyboard shortcut.
SHORTCUTS = {"approve": "a", "hold": "h", "spam": "s", "trash": "t", "restore": "u"}


def _desk_user(request: HttpRequest) -> Any:
    if not can_moderate(request.user):
        raise PermissionDenied
    return request.user


def comment_or_404(request: HttpRequest, pk: int) -> Comment:
    # 404, not 403, for comments outside the moderator's sections: don't reveal which ids exist.
    comment = access_comment_for_moderator(user=_desk_user(request), comment_id=pk)
    if comment is None:
        raise Http404
    return comment


def desk_url(queue: str = "pending") -> str:
    return reverse("comments_desk", args=[queue])


def _positive_int(value: Any, *, default: int | None, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 1 <= number <= high else default


class DeskFilterSet(WagtailFilterSet):
    section = django_filters.ModelChoiceFilter(
        field_name="article__section",
        label="Section",
        queryset=lambda request: _sections_for(request),
    )
    article = django_filters.NumberFilter(
        field_name="article_id", label="Article (id)", min_value=1, max_value=2**31 - 1
    )
    commenter = django_filters.CharFilter(
        label="Commenter (email or name)", method="filter_commenter", max_length=EMAIL_MAX + 8
    )
    reason = django_filters.ChoiceFilter(
        label="Why held", method="filter_reason", choices=reason_codes, empty_label="Any reason"
    )
    created = django_filters.DateFromToRangeFilter(
        field_name="created_at", label="Posted", widget=DateRangePickerWidget
    )

    class Meta:
        model = Comment
        fields: list[str] = []

    def filter_commenter(self, queryset: QuerySet[Comment], name: str, value: str) -> Any:
        value = value.strip()
        if not value:
            return queryset
        key = normalise_email(value) if "@" in value else value
        return queryset.filter(
            Q(email_key=key) | Q(email_key=value) | Q(author_name__icontains=value)
        )

    def filter_reason(self, queryset: QuerySet[Comment], name: str, value: str) -> Any:
        # JSON containment is not available on SQLite: match the stored JSON text, which both
        # SQLite and PostgreSQL print as "code": "…".
        needle = json.dumps({"code": value})[1:-1]
        return queryset.annotate(reasons_text=Cast("moderation_reasons", TextField())).filter(
            reasons_text__contains=needle
        )


def _sections_for(request: Any) -> QuerySet[SectionPage]:
    sections = desk_sections(user=request.user) if request is not None else None
    found = SectionPage.objects.order_by("title")
    return found if sections is None else found.filter(pk__in=sections)


class DeskView(BaseListingView):
    """A queue of comment cards, oldest first, with filters, actions and bulk actions."""

    template_name = "moderation/desk/desk.html"
    results_template_name = "moderation/desk/desk_results.html"
    filterset_class = DeskFilterSet
    paginate_by = 20
    default_ordering = "created_at"
    header_icon = "comment"
    page_title = "Comment desk"
    index_url_name = "comments_desk"
    index_results_url_name = "comments_desk_results"
    verbose_name_plural = "comments"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.queue = kwargs.get("queue", "pending")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _desk_user(request)
        if self.queue not in QUEUES:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return QUEUES[self.queue][0]

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": desk_url(), "label": "Comment desk"},
            {"url": "", "label": QUEUES[self.queue][0]},
        ]

    def get_index_url(self) -> str:
        return reverse(self.index_url_name, args=[self.queue])

    def get_index_results_url(self) -> str:
        return reverse(self.index_results_url_name, args=[self.queue])

    def get_valid_orderings(self) -> list[str]:
        return ["created_at", "-created_at"]

    def order_queryset(self, queryset: Any) -> Any:
        return queryset.order_by(self.ordering, "pk" if self.ordering == "created_at" else "-pk")

    def get_base_queryset(self) -> QuerySet[Comment]:
        return desk_queryset(desk_queue(user=self.request.user, queue=self.queue))

    def filter_queryset(self, queryset: Any) -> Any:
        if self.filters is not None and not self.filters.is_valid():
            for name, errors in self.filters.errors.items():
                label = self.filters.filters[name].label if name in self.filters.filters else name
                messages.error(self.request, f"{label}: {' '.join(errors)} This filter is ignored.")
            valid = {k: v for k, v in self.filters.form.cleaned_data.items()}
            for name, value in valid.items():
                queryset = self.filters.filters[name].filter(queryset, value)
            return queryset
        return super().filter_queryset(queryset)

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        cards = desk_cards(comments=list(context["object_list"]))
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        here = self.get_index_url() + (f"?{query.urlencode()}" if query else "")
        for index, card in enumerate(cards):
            neighbour = cards[index + 1] if index + 1 < len(cards) else cards[index - 1]
            card.next_url = here + (
                f"#card-{neighbour.comment.pk}" if neighbour is not card else ""
            )
        counts = desk_counts(user=self.request.user)
        context.update(
            cards=cards,
            queue=self.queue,
            queues=[(key, label, counts[key]) for key, (label, _) in QUEUES.items()],
            here=here,
            filter_query=query.urlencode(),
            card_actions=_card_actions(self.queue),
            shortcuts=SHORTCUTS,
            matching=context["paginator"].count if context.get("paginator") else len(cards),
            newest_url=self._ordered("-created_at"),
            oldest_url=self._ordered("created_at"),
            inline_limit=INLINE_LIMIT,
        )
        return context

    def _ordered(self, ordering: str) -> str:
        query = self.request.GET.copy()
        for name in ("_w_filter_fragment", "p"):
            query.pop(name, None)
        query["ordering"] = ordering
        return f"{self.get_index_url()}?{query.urlencode()}"


def _card_actions(queue: str) -> list[tuple[str, str, str]]:
    if queue in ("spam", "trash"):
        names = ["restore", "approve", "spam" if queue == "trash" else "trash"]
    elif queue == "pending":
        # Everything here is held already: "Hold" would change nothing.
        names = ["approve", "spam", "trash"]
    else:
        names = ["approve", "hold", "spam", "trash"]
    labels = dict(DESK_ACTION_LABELS)
    if queue == "reported":
        # As its cards say: approving a reported comment keeps it up and dismisses its reports.
        labels["approve"] = "Keep"
    return [(name, labels[name], SHORTCUTS.get(name, "")) for name in names]


@require_POST
def desk_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One decision from a card (a plain POST form: works without JavaScript)."""
    comment = comment_or_404(request, pk)
    action = request.POST.get("action", "")
    back = next_url(request, desk_url())
    if action not in CARD_ACTIONS:
        messages.error(request, "Unknown action; nothing was changed.")
        return HttpResponseRedirect(back)
    if action in ("feature", "unfeature"):
        desk_feature(comment=comment, featured=action == "feature", actor=request.user)
    else:
        before = comment.status
        desk_decide(
            comment=comment,
            action=action,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
        text = f"{CARD_ACTIONS[action]}: {comment_by(comment)}"
        decided_message(request, comment, text, back, before=before)
        return HttpResponseRedirect(back)
    messages.success(request, f"{CARD_ACTIONS[action]}: {comment_by(comment)}")
    return HttpResponseRedirect(back)


def decided_message(
    request: HttpRequest, comment: Comment, text: str, back: str, *, before: str
) -> None:
    """The message after a decision on one comment, with "Undo" when the decision changed the
    comment's status from ``before`` (a click on a stale card may change nothing: then there is
    nothing of this moderator's to take back)."""
    event = desk_last_decision(comment=comment)
    if (
        event is None
        or comment.status == before
        or event.actor_id != request.user.pk
        or event.from_status != before
        or event.created_at != comment.moderated_at
    ):
        messages.success(request, text)
        return
    html = render_to_string(
        "moderation/desk/undo_message.html",
        # Back to the comment's own card: after the undo it is where it was.
        {"message": text, "comment": comment, "event": event, "next": _at_card(back, comment)},
        request=request,
    )
    messages.success(request, html)


# After "Undone: comment by Graham T." — where the comment is now.
UNDONE: dict[str, str] = {
    Comment.Status.PENDING: "It is held again.",
    Comment.Status.APPROVED: "It is published again.",
    Comment.Status.SPAM: "It is back in Spam.",
    Comment.Status.TRASH: "It is back in Trash.",
}


def _at_card(url: str, comment: Comment) -> str:
    return f"{url.split('#', 1)[0]}#card-{comment.pk}"


@require_POST
def desk_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a decision just made on one comment (the "Undo" in the message after it)."""
    comment = comment_or_404(request, pk)
    back = next_url(request, _at_card(desk_url(), comment))
    event_id = _positive_int(request.POST.get("event"), default=None, high=2**63 - 1)
    try:
        if event_id is None:
            raise DeskError("Nothing to undo; nothing was changed.")
        desk_undo(comment=comment, event_id=event_id, actor=request.user)
    except DeskError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Undone: {comment_by(comment)} {UNDONE[comment.status]}")
    return HttpResponseRedirect(back)


@require_POST
def desk_bulk_view(request: HttpRequest) -> HttpResponse:
    """A decision on the ticked comments, or on every comment matching the queue and filters."""
    user = _desk_user(request)
    queue = request.POST.get("queue", "pending")
    if queue not in QUEUES:
        queue = "pending"
    back = next_url(request, desk_url(queue))
    action = request.POST.get("action", "")
    if action not in DESK_ACTION_LABELS:
        messages.error(request, "Choose what to do with the comments.")
        return HttpResponseRedirect(back)
    if request.POST.get("scope") == "all":
        filters = DeskFilterSet(data=QueryDict(request.POST.get("filters", "")), request=request)
        if not filters.is_valid():
            messages.error(request, "The filter is not valid any more; nothing was changed.")
            return HttpResponseRedirect(back)
        matching = filters.filter_queryset(desk_queue(user=user, queue=queue))
        ids = list(matching.values_list("pk", flat=True))
        description = (
            f"{DESK_ACTION_LABELS[action]}: all {len(ids):,} matching in {QUEUES[queue][0]}"
        )
    else:
        ids = sorted(
            {
                n
                for n in (
                    _positive_int(v, default=None, high=2**31 - 1)
                    for v in request.POST.getlist("ids")
                )
                if n
            }
        )
        description = f"{DESK_ACTION_LABELS[action]}: {len(ids):,} selected"
    if not ids:
        messages.warning(request, "No comments were selected; nothing was changed.")
        return HttpResponseRedirect(back)
    outcome = desk_bulk_start(
        comment_ids=ids,
        action=action,
        actor=user,
        reason=request.POST.get("reason", ""),
        description=description,
    )
    if isinstance(outcome, DeskBulkJob):
        return HttpResponseRedirect(reverse("comments_desk_job", args=[outcome.pk]))
    messages.success(
        request, f"{description}: {outcome.changed:,} changed in {outcome.chunks} step(s)."
    )
    return HttpResponseRedirect(back)


def desk_job_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _desk_user(request)
    job = get_object_or_404(DeskBulkJob, pk=pk)
    if job.created_by_id != user.pk and not user.is_superuser:
        raise Http404
    running = job.state in (DeskBulkJob.State.QUEUED, DeskBulkJob.State.RUNNING)
    return TemplateResponse(
        request,
        "moderation/desk/desk_job.html",
        {
            "job": job,
            "running": running,
            "percent": round(100 * job.done / job.total) if job.total else 100,
            "desk_url": desk_url(),
            "chunk_size": CHUNK_SIZE,
        },
    )


def desk_workload_view(request: HttpRequest) -> HttpResponse:
    user = _desk_user(request)
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    target = CommentSettings.for_site(site).decision_target_hours if site else 24
    days = _positive_int(request.GET.get("days"), default=14, high=90) or 14
    workload = desk_workload(user=user, target_hours=target, days=days)
    peak = max([n for _, n in workload.queue_sizes] + [1])
    most = max([max(per_day, default=0) for _, per_day, _ in workload.decisions] + [1])
    return TemplateResponse(
        request,
        "moderation/desk/desk_workload.html",
        {
            "workload": workload,
            "days": days,
            "bars": [(d, n, round(100 * n / peak)) for d, n in workload.queue_sizes],
            "most": most,
            "desk_url": desk_url(),
        },
    )
