"""HTTP for the conversation. Each view parses input, calls one service or selector, responds.

Posting works without JavaScript (POST, then 303 to the comment) and with it (the same URL
answers JSON when asked for it). See docs/decisions/0003-comment-form-csrf.md for why the
anonymous form carries no CSRF token and what protects it instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db import DatabaseError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dateline.core.converters import parse_id
from dateline.core.middleware import answers_database_unavailable
from dateline.core.net import client_ip, ip_prefix, same_origin
from dateline.news.models import ArticlePage
from dateline.news.selectors import live_article

from .forms import (
    CONSENT_FIELD,
    NUDGE_FIELD,
    NUDGE_SUMMARY,
    CommentForm,
    EditForm,
    ReportForm,
)
from .guards import EXPIRED_MESSAGE, CommentRateLimited, FormExpired, form_stamp
from .models import Comment
from .ownership import own_comment_id, own_comment_ids, own_token
from .rendering import render_comment_nodes
from .rules import Submission
from .selectors import CommentNode, access_comment, comment_permalink, readable_comments
from .services import (
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    CommentError,
    CommentRefused,
    CommentsClosed,
    NotAllowed,
    ParentUnavailable,
    RateLimited,
    comment_delete_by_author,
    comment_edit_by_author,
    comment_like,
    comment_policy_for,
    comment_post,
    comment_report,
    comment_unlike,
    edit_window_open,
    subscriber_confirm,
    subscriber_from_token,
    subscriber_unsubscribe,
)
from .submissions import submission_from_request, submission_nudged
from .text import reader_key
from .unavailable import comment_post_unavailable

AUTHOR_COOKIES = ("comment_author", "comment_author_email", "comment_author_url")
COOKIE_AGE = 365 * 24 * 3600


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _forgery_check(request: HttpRequest) -> HttpResponse | None:
    """Signed-in readers: Django's CSRF token. Anonymous readers (who may have the page from the
    shared cache, without a token): the request must come from this site."""
    if request.user.is_authenticated:
        return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})  # type: ignore[arg-type]
    if not same_origin(request):
        return _error(
            request,
            "This form was sent from another site, so it was refused. Please post from the article page.",
            status=403,
        )
    return None


def _error(
    request: HttpRequest, message: str, *, status: int, retry_after: int | None = None
) -> HttpResponse:
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"ok": False, "message": message}, status=status)
    else:
        response = render(
            request,
            "comments/message.html",
            {"title": "We could not do that", "message": message},
            status=status,
        )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _with_params(url: str, **params: Any) -> str:
    base, _, anchor = url.partition("#")
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}{urlencode(params)}" + (f"#{anchor}" if anchor else "")


def _form_failed(
    request: HttpRequest,
    form: CommentForm,
    article: ArticlePage,
    *,
    status: int,
    message: str = "",
    retry_after: int | None = None,
) -> HttpResponse:
    """The form comes back with what the reader typed and each error (or the nudge) next to its
    field."""
    if _wants_json(request):
        answer: dict[str, Any] = {
            "ok": False,
            "message": message or "Please correct the marked fields.",
            "errors": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
            # A signed timestamp, so the page's script can send the form again.
            "stamp": form.fresh_stamp,
        }
        if form.nudge:
            answer["nudge"] = {
                "field": "comment",
                "message": form.nudge,
                "name": NUDGE_FIELD,
                "value": form.data.get(NUDGE_FIELD, ""),
            }
        response: HttpResponse = JsonResponse(answer, status=status)
    else:
        # "0" (the form's "not a reply") or anything but an id: no query, no reply.
        reply_to = access_comment(comment_id=form.data.get("comment_parent"))
        response = render(
            request,
            "comments/post_failed.html",
            {
                "form": form,
                "article": article,
                "message": message,
                "reply_to": reply_to,
                "policy": comment_policy_for(article),
            },
            status=status,
        )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    patch_cache_control(response, private=True, no_store=True)
    return response


def one_comment_html(comment: Comment, *, own_tokens: dict[int, str]) -> str:
    """One comment as the thread shows it, for the page's script (the thread's own template)."""
    return render_comment_nodes([CommentNode(comment, own=True)], own_tokens=own_tokens)


# The database not answering: the form comes back filled in, with a 503 (core.middleware).
@answers_database_unavailable(comment_post_unavailable)
@csrf_exempt  # checked in _forgery_check, for signed-in readers with Django's CSRF token
@require_POST
def comment_post_view(request: HttpRequest) -> HttpResponse:
    refused = _forgery_check(request)
    if refused is not None:
        return refused
    article_id = parse_id(request.POST.get("comment_post_ID"))
    if article_id is None:
        return _error(request, "This comment form does not belong to an article.", status=400)
    article = live_article(article_id)
    if article is None:
        return _error(request, "The article you are commenting on cannot be found.", status=404)
    user = request.user
    form = CommentForm(
        _posted_data(request),
        signed_in=user.is_authenticated,
        require_identity=comment_policy_for(article).require_name_email,
    )
    if not form.is_valid():
        return _form_failed(request, form, article, status=400)
    data = form.cleaned_data
    try:
        submission = submission_from_request(
            request,
            user=user,
            article=article,
            name=data.get("author", ""),
            email=data.get("email", ""),
            url=data.get("url", ""),
            body=data["comment"],
            parent_id=form.parent_id,
            idempotency_key=data.get("comment_key", ""),
            notify=data.get("subscribe", False),
            form=form.data,
        )
        if submission_nudged(submission, acknowledged=form.nudge_acknowledged):
            # Nothing is stored: the form comes back, like any other it cannot take as it is.
            form.show_nudge()
            return _form_failed(request, form, article, status=400, message=NUDGE_SUMMARY)
        result = comment_post(submission=submission)
    except FormExpired:
        return _form_failed(request, form, article, status=400, message=EXPIRED_MESSAGE)
    except CommentRateLimited as exc:
        return _form_failed(
            request, form, article, status=429, message=exc.message, retry_after=exc.retry_after
        )
    except CommentsClosed as exc:
        return _form_failed(request, form, article, status=403, message=exc.message)
    except CommentRefused as exc:
        if exc.field:
            form.add_error(exc.field, exc.message)
        return _form_failed(
            request, form, article, status=400 if exc.field else 403, message=exc.message
        )
    except ParentUnavailable as exc:
        form.add_error("comment_parent", exc.message)
        return _form_failed(request, form, article, status=400, message=exc.message)
    except DatabaseError:
        # Locked or unreachable: nothing was stored; the reader keeps the text and retries.
        return _form_failed(
            request,
            form,
            article,
            status=503,
            retry_after=10,
            message="We could not save your comment just now. Nothing was lost: your text is below. Please try again in a few seconds.",
        )
    comment = result.comment
    if not result.authored_here:
        # The same text from the same address, but not from this browser: no edit rights, and
        # nothing about a comment that is not public.
        return _already_posted(request, comment)
    token = own_token(comment.pk)
    if _wants_json(request):
        html = one_comment_html(comment, own_tokens={comment.pk: token})
        response: HttpResponse = JsonResponse(
            {
                "ok": True,
                "id": comment.pk,
                # Spam is "awaiting moderation" to its author, as WordPress has it: a robot
                # learns nothing from the answer.
                "status": public_status(comment),
                "parent": comment.parent_id,
                "token": token,
                "html": html,
                "message": "Your comment is published."
                if comment.status == Comment.Status.APPROVED
                else "Your comment is awaiting moderation.",
            },
            status=201 if result.created else 200,
        )
    else:
        response = HttpResponseRedirect(
            _with_params(comment_permalink(comment=comment), own=token), status=303
        )
    _remember_author(
        response, consent=data.get(CONSENT_FIELD, False), request=request, submission=submission
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def public_status(comment: Comment) -> str:
    """The status its author is told: approved or pending (never "spam")."""
    return (
        Comment.Status.APPROVED
        if comment.status == Comment.Status.APPROVED
        else Comment.Status.PENDING
    )


@require_GET
def comment_stamp_view(request: HttpRequest) -> HttpResponse:
    """A fresh signed timestamp for a form shown from the page cache (the page's script asks
    when the reader starts writing), so "sent too fast" and "expired" count from then."""
    response = JsonResponse({"stamp": form_stamp()})
    patch_cache_control(response, private=True, no_store=True)
    return response


def _posted_data(request: HttpRequest) -> QueryDict:
    """The form fields. A body that is not UTF-8 is decoded with replacement characters, so the
    form says what it could not read (instead of Django reading it as Latin-1 and storing
    garbled text)."""
    if request.content_type == "application/x-www-form-urlencoded":
        try:
            request.body.decode("utf-8")
        except UnicodeDecodeError:
            return QueryDict(request.body.decode("utf-8", "replace"))
    return request.POST


def _already_posted(request: HttpRequest, comment: Comment) -> HttpResponse:
    message = "This comment has already been posted."
    public = comment.status == Comment.Status.APPROVED
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {
                "ok": True,
                "duplicate": True,
                "message": message,
                "id": comment.pk if public else None,
                "status": comment.status if public else None,
            }
        )
    else:
        response = HttpResponseRedirect(
            comment_permalink(comment=comment) if public else f"{comment.article.url}#comments",
            status=303,
        )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _remember_author(
    response: HttpResponse, *, consent: bool, request: HttpRequest, submission: Submission
) -> None:
    """Name, email and website go into cookies only when the reader ticked the box; without the
    tick, any earlier ones are removed and no cookie is set."""
    if consent and not request.user.is_authenticated:
        for name, value in zip(
            AUTHOR_COOKIES, (submission.name, submission.email, submission.url), strict=True
        ):
            response.set_cookie(
                name, value, max_age=COOKIE_AGE, samesite="Lax", secure=request.is_secure()
            )
    else:
        for name in AUTHOR_COOKIES:
            if name in request.COOKIES:
                response.delete_cookie(name, samesite="Lax")


@require_GET
def comment_permalink_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment(comment_id=comment_id)
    if comment is None or not comment.article.live:
        raise Http404
    return HttpResponseRedirect(comment_permalink(comment=comment))


@require_GET
def own_comments_view(request: HttpRequest) -> HttpResponse:
    """The reader's own recent comments (from the tokens their browser kept), for the page's
    script to show pending ones and edit links. Private, never cached."""
    tokens = own_comment_ids(request.GET.getlist("own"))
    readable = readable_comments(statuses=[Comment.Status.PENDING, Comment.Status.APPROVED])
    comments = readable.filter(pk__in=tokens)
    items = []
    for comment in comments:
        html = one_comment_html(comment, own_tokens=tokens)
        items.append(
            {
                "id": comment.pk,
                "article": comment.article_id,
                "parent": comment.parent_id,
                "status": comment.status,
                "editable": edit_window_open(comment),
                "html": html,
            }
        )
    response = JsonResponse({"comments": items})
    patch_cache_control(response, private=True, no_store=True)
    return response


def _voter(request: HttpRequest, purpose: str) -> str:
    token = (request.POST.get("voter") or "")[:128]
    if not token:
        token = f"{ip_prefix(client_ip(request))}|{request.headers.get('User-Agent', '')[:200]}"
    return reader_key(purpose, token)


@csrf_exempt  # anonymous action on cached pages; checked by origin
@require_POST
def comment_like_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    if not same_origin(request):
        return _error(
            request, "This like was sent from another site, so it was refused.", status=403
        )
    comment = access_comment(comment_id=comment_id)
    if comment is None:
        return _error(request, "This comment cannot be liked.", status=404)
    # The page's script sends undo=1 when the reader presses a like button that is pressed.
    undo = request.POST.get("undo") == "1"
    react = comment_unlike if undo else comment_like
    try:
        likes = react(comment=comment, voter=_voter(request, "like"), ip=client_ip(request))
    except RateLimited as exc:
        return _error(request, exc.message, status=429, retry_after=exc.retry_after)
    if _wants_json(request):
        return JsonResponse({"ok": True, "likes": likes, "liked": not undo})
    return HttpResponseRedirect(comment_permalink(comment=comment), status=303)


@csrf_exempt  # anonymous action on cached pages; checked by origin
@require_http_methods(["GET", "POST"])
def comment_report_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment(comment_id=comment_id)
    if comment is None:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if not same_origin(request):
            return _error(
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
            except RateLimited as exc:
                return _error(request, exc.message, status=429, retry_after=exc.retry_after)
            except CommentError as exc:
                form.add_error(exc.field, exc.message)
            else:
                if _wants_json(request):
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
        if _wants_json(request):
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
            return _error(
                request, "This edit was sent from another site, so it was refused.", status=403
            )
        if form.is_valid():
            try:
                comment_edit_by_author(comment=comment, body=form.cleaned_data["comment"])
            except NotAllowed as exc:
                form.add_error(exc.field or None, exc.message)
            else:
                return HttpResponseRedirect(
                    _with_params(comment_permalink(comment=comment), own=token), status=303
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
        return _error(
            request, "This request was sent from another site, so it was refused.", status=403
        )
    try:
        comment_delete_by_author(comment=comment)
    except NotAllowed as exc:
        return _error(request, exc.message, status=403)
    if _wants_json(request):
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
        return _error(
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
        valid = subscriber_from_token(token, purpose=UNSUBSCRIBE_SALT) is not None
        return render(
            request,
            "comments/subscription.html",
            {"action": "unsubscribe", "valid": valid},
            status=200 if valid else 400,
        )
    if subscriber_unsubscribe(token=token) is None:
        return _error(request, "This unsubscribe link is not valid.", status=400)
    return render(
        request,
        "comments/message.html",
        {"title": "Unsubscribed", "message": "We will not email you about replies any more."},
    )
