"""HTTP for posting to the conversation (the reader's own likes, reports, edits and
subscriptions: ``reader_views``). Each view parses input, calls one service or selector,
responds.

Posting works without JavaScript (POST, then 303 to the comment) and with it (the same URL
answers JSON when asked for it). See docs/decisions/0003-comment-form-csrf.md for why the
anonymous form carries no CSRF token and what protects it instead.
"""

from __future__ import annotations

from typing import Any

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
from django.views.decorators.http import require_GET, require_POST

from dateline.core.converters import parse_id
from dateline.core.middleware import answers_database_unavailable
from dateline.core.net import same_origin
from dateline.news.models import ArticlePage
from dateline.news.selectors import live_article

from .errors import CommentError, Nudged
from .forms import (
    CONSENT_FIELD,
    NUDGE_FIELD,
    CommentForm,
)
from .guards import form_stamp
from .models import Comment
from .ownership import own_comment_ids, own_token
from .rendering import render_comment_nodes
from .responses import error_response, wants_json, with_params
from .screening import Submission
from .selectors import CommentNode, access_comment, comment_permalink, readable_comments
from .services import PostResult, comment_policy_for, comment_post, edit_window_open
from .services.subscriptions import CONFIRM_NOTICE
from .submissions import submission_from_request, submission_nudged
from .unavailable import comment_post_unavailable

AUTHOR_COOKIES = ("comment_author", "comment_author_email", "comment_author_url")
COOKIE_AGE = 365 * 24 * 3600


def _forgery_check(request: HttpRequest) -> HttpResponse | None:
    """Signed-in users: Django's CSRF token. Anonymous readers (who may have the page from the
    shared cache, without a token), and readers signed in by the reader cookie (the same cached
    page; their SameSite cookie is read only for a post from this site, ``readers.middleware``):
    the request must come from this site."""
    if request.user.is_authenticated and not getattr(request, "reader_signed_in", False):
        return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})  # type: ignore[arg-type]
    if not same_origin(request):
        return error_response(
            request,
            "This form was sent from another site, so it was refused. Please post from the article page.",
            status=403,
        )
    return None


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
    if wants_json(request):
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


def _post_refused(
    request: HttpRequest, form: CommentForm, article: ArticlePage, exc: CommentError
) -> HttpResponse:
    """The form back after the service refused the comment: the message at its field when it
    names one of the form's, the status and Retry-After the error carries. Nothing is stored
    for a nudge either: the form comes back with the note next to the text."""
    if isinstance(exc, Nudged):
        form.show_nudge()
    elif exc.field in form.fields and exc.status == 400:
        form.add_error(exc.field, exc.message)
    return _form_failed(
        request, form, article, status=exc.status, message=exc.message, retry_after=exc.retry_after
    )


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
        return error_response(
            request, "This comment form does not belong to an article.", status=400
        )
    article = live_article(article_id)
    if article is None:
        return error_response(
            request, "The article you are commenting on cannot be found.", status=404
        )
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
            raise Nudged
        result = comment_post(submission=submission)
    except CommentError as exc:
        # A database that does not answer is core.middleware's (a 503, the form kept).
        return _post_refused(request, form, article, exc)
    return _posted(request, result, submission=submission, consent=data.get(CONSENT_FIELD, False))


def _posted(
    request: HttpRequest, result: PostResult, *, submission: Submission, consent: bool
) -> HttpResponse:
    """The answer to a comment stored (or found stored): its permalink, or JSON for the script."""
    comment = result.comment
    if not result.authored_here:
        # The same text from the same address, but not from this browser: no edit rights, and
        # nothing about a comment that is not public.
        return _already_posted(request, comment)
    token = own_token(comment.pk)
    if wants_json(request):
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
                "message": (
                    "Your comment is published."
                    if comment.status == Comment.Status.APPROVED
                    else "Your comment is awaiting moderation."
                )
                + (f" {CONFIRM_NOTICE}" if result.confirm_sent else ""),
            },
            status=201 if result.created else 200,
        )
    else:
        url = with_params(comment_permalink(comment=comment), own=token)
        if result.confirm_sent:
            # The page says so at the top of the conversation, only with ?own= (a page of the
            # reader's own, never a shared cache's: comments_tags.comment_section).
            url = with_params(url.partition("#")[0], notify="confirm") + "#comment-notice"
        response = HttpResponseRedirect(url, status=303)
    _remember_author(response, consent=consent, request=request, submission=submission)
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
    if wants_json(request):
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
        # A page that says so, not a silent redirect: the reader (another browser, or the same
        # one after the retry window) would otherwise look for a comment that is not public yet.
        response = render(
            request,
            "comments/message.html",
            {
                "title": "Already posted",
                "message": message
                + ("" if public else " It is waiting for a moderator and appears once approved."),
                "back": comment_permalink(comment=comment)
                if public
                else f"{comment.article.url}#comments",
            },
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
    # A comment marked as spam too: its author sees it as awaiting moderation (Comment.AWAITING).
    readable = readable_comments(statuses=[Comment.Status.APPROVED, *Comment.AWAITING])
    comments = readable.filter(pk__in=tokens)
    items = []
    for comment in comments:
        html = one_comment_html(comment, own_tokens=tokens)
        items.append(
            {
                "id": comment.pk,
                "article": comment.article_id,
                "parent": comment.parent_id,
                "status": public_status(comment),
                "editable": edit_window_open(comment),
                "html": html,
            }
        )
    response = JsonResponse({"comments": items})
    patch_cache_control(response, private=True, no_store=True)
    return response
