"""The desk's forms for one comment in the Wagtail admin: a staff edit that keeps the original,
a staff reply, a ban. Each calls the desk's service (``desk``); the queue, its actions and the
bulk path are in ``admin_views``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from dateline.comments.errors import CommentError
from dateline.comments.forms import StoredLength
from dateline.comments.models import BODY_MAX
from dateline.comments.text import normalise_text

from .desk import DeskError, desk_ban, desk_ban_sweep, desk_edit, desk_reply
from .desk_selectors import commenter_standing_counts
from .desk_views import comment_by, comment_or_404, desk_url, next_url
from .models import CommentBan, DeskBulkJob


def _body_field(label: str, *, rows: int) -> forms.CharField:
    """A staff text, checked like the reader's: as typed (``max_length``) and as it will be
    stored (NFC can make it longer; the reader form's ``StoredLength``), so a text the database
    would refuse is an error at the field, with the text kept."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=BODY_MAX,
        validators=[
            StoredLength(
                limit=BODY_MAX,
                normalise=normalise_text,
                message="The text is %(length)d characters long once some of its characters "
                "are written in their standard form; the limit is %(limit)d.",
            )
        ],
        error_messages={
            "max_length": "The text is %(show_value)d characters long; the limit is %(limit_value)d."
        },
    )


class EditForm(forms.Form):
    body = _body_field("Comment", rows=8)
    reason = forms.CharField(label="Why (kept in the log)", required=False, max_length=500)


class ReplyForm(forms.Form):
    body = _body_field("Your reply", rows=6)


@require_http_methods(["GET", "POST"])
def desk_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = comment_or_404(request, pk)
    back = next_url(request, desk_url())
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            desk_edit(
                comment=comment,
                body=form.cleaned_data["body"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DeskError as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(request, f"Edited: {comment_by(comment)}")
            return HttpResponseRedirect(back)
    return TemplateResponse(
        request,
        "moderation/desk/desk_edit.html",
        {"comment": comment, "form": form, "next": back, "revisions": comment.revisions.all()},
        status=400 if form.errors else 200,
    )


@require_POST
def desk_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a staff reply from a card; a reply that cannot be posted comes back on its own page
    with the reason at the text, and the text kept (400)."""
    parent = comment_or_404(request, pk)
    back = next_url(request, desk_url())
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            result = desk_reply(parent=parent, body=form.cleaned_data["body"], actor=request.user)
        except CommentError as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(
                request,
                format_html(
                    "Replied to {}. <a href='{}'>See it on the page</a>.",
                    parent.author_name,
                    result.comment.get_absolute_url(),
                ),
            )
            return HttpResponseRedirect(back)
    return TemplateResponse(
        request,
        "moderation/desk/desk_reply.html",
        {"comment": parent, "form": form, "next": back},
        status=400,
    )


class BanForm(forms.Form):
    by_email = forms.BooleanField(label="Ban this email address", required=False, initial=True)
    by_network = forms.BooleanField(label="Ban this network", required=False)
    days = forms.TypedChoiceField(
        label="For",
        coerce=int,
        choices=[
            (1, "1 day"),
            (7, "7 days"),
            (30, "30 days"),
            (365, "a year"),
            (0, "until lifted"),
        ],
        initial=7,
    )
    reason = forms.CharField(label="Reason (shown in the log)", max_length=300)
    earlier = forms.ChoiceField(
        label="Their comments already posted",
        choices=[
            ("", "Leave them as they are"),
            ("spam", "Mark them as spam"),
            ("trash", "Move them to the trash"),
        ],
        required=False,
        initial="",
        widget=forms.Select(attrs={"aria-describedby": "ban-earlier-help"}),
    )

    def __init__(self, *args: Any, network: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not network:
            # No network was kept for this comment (erased, or never recorded): nothing to ban.
            del self.fields["by_network"]


def _ban_said(ban: CommentBan) -> str:
    """What the moderator is told: who is banned, and until when."""
    who = " and ".join(
        part
        for part in (
            f"the address {ban.email_key}" if ban.email_key else "",
            f"the network {ban.ip_prefix}" if ban.ip_prefix else "",
        )
        if part
    )
    until = (
        f"until {timezone.localtime(ban.expires_at):%Y-%m-%d %H:%M}"
        if ban.expires_at
        else "until lifted"
    )
    return f"Banned {who}, {until}."


@require_http_methods(["GET", "POST"])
def desk_ban_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = comment_or_404(request, pk)
    back = next_url(request, desk_url())
    form = BanForm(request.POST or None, network=comment.ip_prefix)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ban = desk_ban(
                actor=request.user,
                reason=data["reason"],
                email_key=comment.email_key if data["by_email"] else "",
                ip_prefix=comment.ip_prefix if data.get("by_network") else "",
                days=data["days"] or None,
                comment=comment,
            )
        except DeskError as exc:
            form.add_error(None, exc.message)
        else:
            said = _ban_said(ban)
            if data["earlier"]:
                swept = desk_ban_sweep(
                    actor=request.user,
                    email_key=comment.email_key,
                    action=data["earlier"],
                    reason=data["reason"],
                )
                if isinstance(swept, DeskBulkJob):
                    messages.success(request, said)
                    return HttpResponseRedirect(reverse("comments_desk_job", args=[swept.pk]))
                done = "marked as spam" if data["earlier"] == "spam" else "moved to the trash"
                said += f" {swept.changed:,} of their comments {done}."
            messages.success(request, said)
            return HttpResponseRedirect(back)
    return TemplateResponse(
        request,
        "moderation/desk/desk_ban.html",
        {
            "comment": comment,
            "form": form,
            "next": back,
            "standing": commenter_standing_counts(user=request.user, email_key=comment.email_key),
        },
        status=400 if form.errors else 200,
    )
