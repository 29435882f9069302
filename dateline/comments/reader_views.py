"""HTTP for what readers do with comments already posted: likes, reports, editing or deleting
their own, and reply subscriptions. Each view parses input, calls one service, responds."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dateline.core.net import client_ip, ip_prefix, same_origin

from .errors import CommentError
from .forms import EditForm, ReportForm
from .models import Comment, Subscriber
from .ownership import own_comment_id
from .responses import error_response, refused_response, wants_json, with_params
from .selectors import access_comment, comment_permalink
from .services import (
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    NotAllowed,
    comment_delete_by_author,
    comment_edit_by_author,
    comment_like,
    comment_likes_carry_over,
    comment_report,
    comment_unlike,
    edit_window_open,
    subscriber_confirm,
    subscriber_from_token,
    subscriber_unsubscribe,
)
from .text import account_key, reader_key

# A token as comments.js makes one (crypto.randomUUID(), or the time and hex digits): letters,
# digits and dashes only, so never a network's key ("203.0.113.0/24|<browser>").
_BROWSER_TOKEN = re.compile(r"[0-9A-Za-z_-]{1,128}")


def _voter(request: HttpRequest, purpose: str) -> str:
    """This browser's key: the token its script keeps, or without one its network and
    browser's name (a key its readers share)."""
    token = (request.POST.get("voter") or "")[:128]
    if not _BROWSER_TOKEN.fullmatch(token):
        # No token, or not one the page's script makes: the network's key, so no client can
        # pass another network's key off as its own token.
        token = f"{ip_prefix(client_ip(request))}|{request.headers.get('User-Agent', '')[:200]}"
    return reader_key(purpose, token)


def _reader_id(request: HttpRequest) -> int | None:
    """The user id of the reader signed in by the reader cookie (``readers.middleware`` reads
    it for a post from this site), else None. A newsroom session is not a reader's."""
    if not getattr(request, "reader_signed_in", False) or not request.user.is_authenticated:
        return None
    return int(request.user.pk)


def _like_voter(request: HttpRequest) -> tuple[str, bool]:
    """Whose like this is: the signed-in reader's account (the same key in every browser,
    docs/decisions/0083), else this browser's; and whether it is the account's."""
    reader_id = _reader_id(request)
    if reader_id is not None:
        return account_key("like", reader_id), True
    return _voter(request, "like"), False


@csrf_exempt  # anonymous action on cached pages; checked by origin
@require_POST
def comment_like_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    if not same_origin(request):
        return error_response(
            request, "This like was sent from another site, so it was refused.", status=403
        )
    comment = access_comment(comment_id=comment_id)
    if comment is None:
        return error_response(request, "This comment cannot be liked.", status=404)
    # The page's script sends undo=1 when the reader presses a like button that is pressed.
    undo = request.POST.get("undo") == "1"
    react = comment_unlike if undo else comment_like
    voter, account = _like_voter(request)
    try:
        likes = react(comment=comment, voter=voter, ip=client_ip(request))
    except CommentError as exc:
        return refused_response(request, exc)
    if wants_json(request):
        # "account": the like is the signed-in reader's, remembered by the server (and told
        # by /readers/state/), not by this browser's list.
        answer = JsonResponse({"ok": True, "likes": likes, "liked": not undo, "account": account})
        patch_cache_control(answer, private=True, no_store=True)
        return answer
    # Without JavaScript the cached page cannot show this reader's like: a page of their own
    # says what happened and offers the opposite (take it back, like again).
    response = render(
        request,
        "comments/liked.html",
        {
            "comment": comment,
            "liked": not undo,
            "likes": likes,
            "back": comment_permalink(comment=comment),
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@csrf_exempt  # a reader's action on cached pages; checked by origin
@require_POST
def likes_carry_over_view(request: HttpRequest) -> HttpResponse:
    """The page's script, once it knows its reader is signed in, hands over the likes this
    browser made before: from then on they are the account's (docs/decisions/0083)."""
    if not same_origin(request):
        return error_response(
            request, "This request was sent from another site, so it was refused.", status=403
        )
    reader_id = _reader_id(request)
    if reader_id is None:
        return error_response(request, "Sign in to keep your likes with your account.", status=403)
    if not request.POST.get("voter"):
        # Without the script's token the key is the network's, shared with other readers.
        return error_response(request, "No likes of this browser to carry over.", status=400)
    try:
        moved = comment_likes_carry_over(
            from_voter=_voter(request, "like"),
            to_voter=account_key("like", reader_id),
            ip=client_ip(request),
        )
    except CommentError as exc:
        return refused_response(request, exc)
    answer = JsonResponse({"ok": True, "carried_over": moved})
    patch_cache_control(answer, private=True, no_store=True)
    return answer


@csrf_exempt  # anonymous action on cached pages; checked by origin
@require_http_methods(["GET", "POST"])
def comment_report_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment(comment_id=comment_id)
    if comment is None:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if not same_origin(request):
            return error_response(
                request, "This report was sent from another site, so it was refused.", status=403
            )
        if form.is_valid():
            try:
                comment_report(
                    comment=comment,
                    reporter=_voter(request, "report"),
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    ip=client_ip(request),
                )
            except CommentError as exc:
                if exc.status != 400:
                    return refused_response(request, exc)
                form.add_error(exc.field, exc.message)
            else:
                if wants_json(request):
                    return JsonResponse(
                        {"ok": True, "message": "Thank you. A moderator will look at this comment."}
                    )
                return render(
                    request,
                    "comments/message.html",
                    {
                        "title": "Thank you",
                        "message": "A moderator will look at this comment.",
                        "back": comment_permalink(comment=comment),
                    },
                )
        if wants_json(request):
            return JsonResponse(
                {"ok": False, "errors": {k: [str(e) for e in v] for k, v in form.errors.items()}},
                status=400,
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "comments/report.html", {"form": form, "comment": comment}, status=status
    )


def _own_comment(request: HttpRequest, comment_id: int) -> tuple[Comment, str]:
    token = request.POST.get("own") or request.GET.get("own") or ""
    if own_comment_id(token, max_age=24 * 3600) != comment_id:
        raise Http404
    # Every status: a comment held or marked as spam reads as "awaiting moderation" to its
    # author, so the edit form answers as for any comment past its edit window.
    comment = access_comment(comment_id=comment_id, statuses=Comment.Status.values)
    if comment is None:
        raise Http404
    return comment, token


@csrf_exempt  # proven by the signed token only its author's browser has; checked by origin
@require_http_methods(["GET", "POST"])
def comment_edit_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, token = _own_comment(request, comment_id)
    form = EditForm(request.POST or None, initial={"comment": comment.body, "own": token})
    status = 200
    if request.method == "POST":
        if not same_origin(request):
            return error_response(
                request, "This edit was sent from another site, so it was refused.", status=403
            )
        if form.is_valid():
            try:
                comment_edit_by_author(comment=comment, body=form.cleaned_data["comment"])
            except NotAllowed as exc:
                form.add_error(exc.field or None, exc.message)
            else:
                return HttpResponseRedirect(
                    with_params(comment_permalink(comment=comment), own=token), status=303
                )
        status = 400
    response = render(
        request,
        "comments/edit.html",
        {"form": form, "comment": comment, "open": edit_window_open(comment)},
        status=status,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@csrf_exempt  # proven by the signed token only its author's browser has; checked by origin
@require_POST
def comment_delete_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, _token = _own_comment(request, comment_id)
    if not same_origin(request):
        return error_response(
            request, "This request was sent from another site, so it was refused.", status=403
        )
    try:
        comment_delete_by_author(comment=comment)
    except NotAllowed as exc:
        return refused_response(request, exc)
    if wants_json(request):
        return JsonResponse({"ok": True})
    return HttpResponseRedirect(f"{comment.article.url}#comments", status=303)


@require_http_methods(["GET", "POST"])
def subscription_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    # GET shows a button: mail scanners that open links must not confirm for the reader.
    if request.method == "GET":
        valid = (
            subscriber_from_token(token, purpose=CONFIRM_SALT, max_age=7 * 24 * 3600) is not None
        )
        return render(
            request,
            "comments/subscription.html",
            {"action": "confirm", "valid": valid},
            status=200 if valid else 400,
        )
    subscriber = subscriber_confirm(token=token)
    if subscriber is None:
        return error_response(
            request,
            "This confirmation link is not valid any more. Ask for replies again when you next comment.",
            status=400,
        )
    return render(
        request,
        "comments/message.html",
        {
            "title": "Confirmed",
            "message": "You will get an email when someone replies to your comments. Every email has a link to stop them.",
        },
    )


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a page or token
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        subscriber = subscriber_from_token(token, purpose=UNSUBSCRIBE_SALT)
        valid = subscriber is not None
        return render(
            request,
            "comments/subscription.html",
            {
                "action": "unsubscribe",
                "valid": valid,
                # Opened again after the button: nothing left to stop, no button to press.
                "stopped": subscriber is not None
                and subscriber.status == Subscriber.Status.UNSUBSCRIBED,
            },
            status=200 if valid else 400,
        )
    if subscriber_unsubscribe(token=token) is None:
        return error_response(request, "This unsubscribe link is not valid.", status=400)
    return render(
        request,
        "comments/message.html",
        {"title": "Unsubscribed", "message": "We will not email you about replies any more."},
    )
