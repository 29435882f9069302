"""The readers' pages. Each view parses input, calls one service or selector, responds. Every
answer here is one reader's: ``private, no-store``, never in a shared cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dateline.comments.forms import CommentForm
from dateline.comments.selectors import comments_liked_by_account
from dateline.comments.services import comment_policy_for
from dateline.core.converters import parse_id
from dateline.core.frontcache import private_view as private
from dateline.core.net import client_ip
from dateline.news.models import ArticlePage
from dateline.news.selectors import live_article

from .errors import (
    LinkNotUsable,
    ProviderAddressUnverified,
    ProviderSignInFailed,
    ProviderUnavailable,
    SignInRateLimited,
)
from .forms import LinkForm, ProfileForm, SignInForm
from .models import Reader
from .oidc import (
    oidc_identity_verify,
    oidc_provider,
    oidc_providers,
    oidc_redirect,
    pending_sign_in_take,
    provider_endpoints,
    states_load,
    states_write,
)
from .selectors import reader_comments_page, request_reader, sign_in_link_usable
from .services import (
    SignedIn,
    reader_delete,
    reader_export,
    reader_oidc_sign_in,
    reader_profile_update,
    sign_in_complete,
    sign_in_link_request,
    sign_out,
    sign_out_everywhere,
)
from .tokens import COOKIE, HINT_COOKIE, session_max_age

View = Callable[..., HttpResponse]


def safe_next(request: HttpRequest, value: str | None) -> str:
    """A place on this site to go back to after signing in, or ""."""
    value = (value or "").strip()
    if (
        value.startswith("/")
        and not value.startswith("//")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return ""


def _sign_in_url(next_url: str = "") -> str:
    url = reverse("readers:sign_in")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


# --- Signing in ---------------------------------------------------------------------------------


@private
@require_http_methods(["GET", "POST"])
def sign_in_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # Back to where the masthead's "Sign in" was pressed (the link is the same on every
        # cached page, so the page is read from the Referer), unless ?next= says otherwise.
        back = safe_next(request, request.GET.get("next")) or _referer_path(request)
        form = SignInForm(initial={"next": back})
        return _sign_in_page(request, form)
    form = SignInForm(request.POST)
    if not form.is_valid():
        return _sign_in_page(request, form, status=400)
    data = form.cleaned_data
    try:
        sign_in_link_request(
            email=data["email"],
            ip=client_ip(request),
            display_name=data["display_name"],
            next_url=safe_next(request, data.get("next")),
        )
    except SignInRateLimited as exc:
        response = _sign_in_page(request, form, status=exc.status, message=exc.message)
        response["Retry-After"] = str(exc.retry_after)
        return response
    # The same page whether or not the address has an account.
    return render(request, "readers/sent.html", {"minutes": settings.DATELINE_READER_LINK_MINUTES})


def _referer_path(request: HttpRequest) -> str:
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc != request.get_host() or referer.path.startswith("/readers/"):
        return ""
    return safe_next(request, referer.path + (f"?{referer.query}" if referer.query else ""))


def _sign_in_page(
    request: HttpRequest, form: SignInForm, *, status: int = 200, message: str = ""
) -> HttpResponse:
    """The form, with what the reader typed and the errors by their fields."""
    context = {
        "form": form,
        "message": message,
        "reader": request_reader(request),
        "link_minutes": settings.DATELINE_READER_LINK_MINUTES,
        "providers": oidc_providers(),
        "next": safe_next(request, form["next"].value()),
    }
    return render(request, "readers/sign_in.html", context, status=status)


# --- Signing in through an OpenID Connect provider (readers.oidc) -----------------------------

ProviderError = ProviderUnavailable | ProviderSignInFailed | ProviderAddressUnverified


def _provider_failed(request: HttpRequest, exc: ProviderError) -> HttpResponse:
    """A clear page, never a 500: 503 and Retry-After when the provider does not answer, 4xx
    when its answer signs nobody in."""
    context = {"message": exc.message, "unavailable": exc.status == 503}
    response = render(request, "readers/provider_failed.html", context, status=exc.status)
    for name, value in exc.headers().items():
        response[name] = value
    return response


@private
@require_GET
def oidc_start_view(request: HttpRequest, provider: str) -> HttpResponse:
    """ "Sign in with <provider>": off to the provider's sign-in page."""
    found = oidc_provider(provider)
    if found is None:
        raise Http404
    next_url = safe_next(request, request.GET.get("next"))
    try:
        return oidc_redirect(request, provider_endpoints(found), next_url=next_url)
    except ProviderUnavailable as exc:
        return _provider_failed(request, exc)


@private
@require_GET
def oidc_callback_view(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the reader back with a code: verified, then signed in (a new
    account goes to its page, to choose the name shown with comments)."""
    if not oidc_providers():
        raise Http404
    states = states_load(request)
    try:
        pending = pending_sign_in_take(states, request.GET)
        identity = oidc_identity_verify(request=request, pending=pending)
        signed_in = reader_oidc_sign_in(identity=identity, next_url=pending.next_url)
    except (ProviderUnavailable, ProviderSignInFailed, ProviderAddressUnverified) as exc:
        response = _provider_failed(request, exc)
    else:
        if signed_in.created:
            target = reverse("readers:account") + "?welcome=1"
        else:
            target = safe_next(request, signed_in.next_url) or reverse("readers:account")
        response = HttpResponseRedirect(target, status=303)
        _set_cookies(request, response, signed_in)
    states_write(request, response, states)  # a sign-in is finished once, whatever came of it
    return response


@private
@require_http_methods(["GET", "POST"])
def link_view(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link's page. Opening it does nothing (mail scanners open links): the reader
    presses the button, which signs them in."""
    link = sign_in_link_usable(token)
    if link is None:
        return _link_invalid(request)
    if request.method == "GET":
        return render(request, "readers/link.html", {"link": link, "form": LinkForm()})
    form = LinkForm(request.POST)
    if not form.is_valid():
        return render(request, "readers/link.html", {"link": link, "form": form}, status=400)
    try:
        signed_in = sign_in_complete(link=link, display_name=form.cleaned_data["display_name"])
    except LinkNotUsable:
        # Pressed twice, or in two browsers: the first one signed in.
        return _link_invalid(request)
    # Back to what they were doing (the article they wanted to comment on), else their page.
    target = safe_next(request, signed_in.next_url) or reverse("readers:account")
    response = HttpResponseRedirect(target, status=303)
    _set_cookies(request, response, signed_in)
    return response


def _link_invalid(request: HttpRequest) -> HttpResponse:
    """A used or expired link. Opened again in a browser it signed in (the mail's link tapped
    a second time, the button pressed twice), the page says so and leads on, rather than
    asking for a new link the reader does not need."""
    context = {"form": SignInForm(), "reader": request_reader(request)}
    return render(request, "readers/link_invalid.html", context, status=400)


def _set_cookies(request: HttpRequest, response: HttpResponse, signed_in: SignedIn) -> None:
    age = int(session_max_age().total_seconds())
    secure = request.is_secure() or bool(settings.SESSION_COOKIE_SECURE)
    response.set_cookie(
        COOKIE, signed_in.session_key, max_age=age, httponly=True, samesite="Lax", secure=secure
    )
    response.set_cookie(HINT_COOKIE, "1", max_age=age, samesite="Lax", secure=secure)


def _clear_cookies(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")
    response.delete_cookie(HINT_COOKIE, samesite="Lax")


@private
@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    """This browser's session ends; with ``everywhere=1`` (the reader's page), every session of
    the account does."""
    everywhere = request.POST.get("everywhere") == "1"
    reader = request_reader(request) if everywhere else None
    if reader is not None:
        sign_out_everywhere(reader=reader)
    else:
        sign_out(session_key=request.COOKIES.get(COOKIE, ""))
    response = render(request, "readers/signed_out.html", {"everywhere": reader is not None})
    _clear_cookies(response)
    return response


# --- The reader's page ------------------------------------------------------------------------


def _signed_in_or_redirect(request: HttpRequest) -> Reader | HttpResponse:
    reader = request_reader(request)
    if reader is None:
        response = HttpResponseRedirect(_sign_in_url(request.get_full_path()))
        if COOKIE in request.COOKIES:
            _clear_cookies(response)  # an expired or ended session: the script stops asking
        return response
    return reader


def _account_context(request: HttpRequest, reader: Reader, form: ProfileForm) -> dict[str, Any]:
    page, comments = reader_comments_page(reader=reader, page_number=request.GET.get("page"))
    return {"reader": reader, "form": form, "page": page, "comments": comments}


@private
@require_http_methods(["GET", "POST"])
def account_view(request: HttpRequest) -> HttpResponse:
    found = _signed_in_or_redirect(request)
    if isinstance(found, HttpResponse):
        return found
    reader = found
    if request.method == "GET":
        form = ProfileForm(
            initial={
                "display_name": reader.display_name,
                "website": reader.website,
                "bio": reader.bio,
                "notify_replies": reader.notify_replies,
            }
        )
        context = _account_context(request, reader, form)
        context["saved"] = request.GET.get("saved") == "1"
        context["welcome"] = request.GET.get("welcome") == "1"
        return render(request, "readers/account.html", context)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return render(
            request, "readers/account.html", _account_context(request, reader, form), status=400
        )
    reader_profile_update(reader=reader, **form.cleaned_data)
    return HttpResponseRedirect(reverse("readers:account") + "?saved=1", status=303)


@private
@require_POST
def export_view(request: HttpRequest) -> HttpResponse:
    found = _signed_in_or_redirect(request)
    if isinstance(found, HttpResponse):
        return found
    data = reader_export(reader=found)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="my-account-{timezone.now():%Y%m%d}.json"'
    )
    return response


@private
@require_http_methods(["GET", "POST"])
def delete_view(request: HttpRequest) -> HttpResponse:
    found = _signed_in_or_redirect(request)
    if isinstance(found, HttpResponse):
        return found
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        status = 200 if request.method == "GET" else 400
        return render(
            request,
            "readers/delete.html",
            {"reader": found, "missing_confirm": request.method == "POST"},
            status=status,
        )
    erasure = reader_delete(reader=found, site=getattr(request, "site", None))
    response = render(request, "readers/deleted.html", {"erasure": erasure})
    _clear_cookies(response)
    return response


# --- Signed-in state for cached pages ---------------------------------------------------------


def _comment_form_context(
    request: HttpRequest, reader: Reader, article: ArticlePage
) -> dict[str, Any]:
    policy = comment_policy_for(article)
    form = CommentForm(
        initial={
            "comment_post_ID": article.pk,
            "comment_parent": 0,
            "subscribe": reader.notify_replies,
        },
        signed_in=True,
        require_identity=policy.require_name_email,
    )
    return {
        "article": article,
        "form": form,
        "reply_to": None,
        "signed_in": True,
        "policy": policy,
        "user": request.user,
    }


def _comments_open(article: ArticlePage) -> bool:
    policy = comment_policy_for(article)
    return article.comments_open() and not policy.closed_by_age(article, timezone.now())


@private
@require_GET
def state_view(request: HttpRequest) -> HttpResponse:
    """What the page's script fills into a page from the shared cache: who is signed in, for an
    article the ids of its comments the reader liked (with any browser: the likes are the
    account's, docs/decisions/0083), and for an article that only signed-in readers may comment
    on, the form. No address."""
    reader = request_reader(request)
    if reader is None:
        response = JsonResponse({"signed_in": False, "sign_in_url": reverse("readers:sign_in")})
        if COOKIE in request.COOKIES:
            _clear_cookies(response)
        return response
    answer: dict[str, Any] = {
        "signed_in": True,
        "name": reader.display_name,
        "account_url": reverse("readers:account"),
        "notify_replies": reader.notify_replies,
    }
    article_id = parse_id(request.GET.get("article"))
    article = live_article(article_id) if article_id is not None else None
    if article is not None:
        answer["liked"] = comments_liked_by_account(article_id=article.pk, user_id=reader.user_id)
    if (
        article is not None
        and _comments_open(article)
        and comment_policy_for(article).signed_in_only
    ):
        answer["form_html"] = render_to_string(
            "comments/form.html", _comment_form_context(request, reader, article), request=request
        )
    return JsonResponse(answer)


@private
@require_GET
def respond_view(request: HttpRequest, article_id: int) -> HttpResponse:
    """The comment form of an article for the signed-in reader, on a page of its own: where the
    "Sign in to comment" link leads, so a reader without JavaScript can comment on an article
    only signed-in readers may comment on."""
    article = live_article(article_id)
    if article is None:
        raise Http404
    found = _signed_in_or_redirect(request)
    if isinstance(found, HttpResponse):
        return found
    context = _comment_form_context(request, found, article)
    context["comments_open"] = _comments_open(article)
    return render(request, "readers/respond.html", context)
