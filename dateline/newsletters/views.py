"""HTTP for readers (subscribe, confirm, manage, unsubscribe) and for the mail provider (the
bounce webhook). Each view parses input, calls one service or selector, responds.

Every answer here is private (``Cache-Control: private, no-store``): none is kept by the page
cache or a front cache. The signup form on cached pages carries no token; like the comment form
(docs/decisions/0003-comment-form-csrf.md) its post is checked by ``Origin`` for anonymous
readers and by Django's CSRF token for signed-in ones.
"""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dateline.core.errors import ServiceError
from dateline.core.frontcache import private_view as private
from dateline.core.net import client_ip, ip_prefix, same_origin

from .forms import BounceEvent, ManageLinkForm, PreferencesForm, SubscribeForm
from .models import Subscriber, Subscription
from .selectors import pending_newsletters, subscriber_for_email, subscriber_preferences
from .services import (
    PreferencesChange,
    account_subscriber,
    address_suppress,
    subscriber_forget,
    subscriber_preferences_set,
    subscription_confirm,
    subscription_request,
    subscriptions_stop,
)
from .tasks import send_confirmation
from .tokens import (
    manage_token,
    subscriber_from_confirm_token,
    subscriber_from_manage_token,
    subscriptions_from_unsubscribe_token,
)


def _forgery_check(request: HttpRequest) -> HttpResponse | None:
    """Newsroom users (Django's session): the CSRF token. Anonymous readers and readers signed
    in by the reader cookie, who post the form of a cached page: the request's origin."""
    if request.user.is_authenticated and not getattr(request, "reader_signed_in", False):
        return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})  # type: ignore[arg-type]
    if not same_origin(request):
        return _message(
            request,
            "This form was sent from another site",
            "Please subscribe from a page of this site.",
            status=403,
        )
    return None


def _message(request: HttpRequest, title: str, text: str, *, status: int = 200) -> HttpResponse:
    return render(
        request, "newsletters/message.html", {"title": title, "text": text}, status=status
    )


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletters/invalid_link.html", status=400)


def _user_email(request: HttpRequest) -> str:
    return (getattr(request.user, "email", "") or "") if request.user.is_authenticated else ""


@private
@csrf_exempt  # the form on cached pages has no token: _forgery_check (Origin, or the token)
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The form (GET, or what the pages' small form posts to). Known address or not, the
    answer is the same: check your inbox."""
    if request.method == "GET":
        form = SubscribeForm(
            initial={"email": _user_email(request), "newsletters": request.GET.getlist("n")}
        )
        return render(request, "newsletters/subscribe.html", {"form": form})
    refused = _forgery_check(request)
    if refused is not None:
        return refused
    form = SubscribeForm(request.POST)
    if form.is_valid() and not form.is_bot:
        try:
            subscription_request(
                email=form.cleaned_data["email"],
                newsletter_ids=form.cleaned_data["newsletters"],
                network=ip_prefix(client_ip(request)),
            )
        except ServiceError as exc:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                form.add_error(None, exc.message)
            response = render(
                request, "newsletters/subscribe.html", {"form": form}, status=exc.status
            )
            for name, value in exc.headers().items():
                response[name] = value
            return response
    if form.is_valid():
        return HttpResponseRedirect(reverse("newsletters:check_inbox"), status=303)
    return render(request, "newsletters/subscribe.html", {"form": form}, status=400)


@private
def check_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletters/check_inbox.html")


@private
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The double opt-in link lands here; only the button (a POST) confirms, so a mail
    scanner that opens the link confirms nothing."""
    subscriber = subscriber_from_confirm_token(token)
    if subscriber is None:
        return _invalid_link(request)
    pending = pending_newsletters(subscriber=subscriber)
    if request.method == "POST":
        shown = {n.pk for n in pending}
        chosen = [int(i) for i in request.POST.getlist("n") if i.isdigit() and int(i) in shown]
        subscription_confirm(subscriber=subscriber, newsletter_ids=chosen)
        return render(
            request,
            "newsletters/confirmed.html",
            {
                "newsletters": [n for n in pending if n.pk in chosen],
                "manage_url": reverse("newsletters:manage_link", args=[manage_token(subscriber)]),
            },
        )
    return render(
        request,
        "newsletters/confirm.html",
        {
            "pending": pending,
            "manage_url": reverse("newsletters:manage_link", args=[manage_token(subscriber)]),
        },
    )


@private
@csrf_exempt  # RFC 8058: the mail client's one-click POST carries no token and no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with a button (link checkers open links). POST: unsubscribe, whether from
    that button or from the mail client's one-click (``List-Unsubscribe=One-Click``)."""
    subscriptions = subscriptions_from_unsubscribe_token(token)
    if subscriptions is None:
        return _invalid_link(request)
    names = [s.newsletter.name for s in subscriptions]
    if request.method == "POST":
        subscriptions_stop(subscriptions=subscriptions)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Unsubscribed.\n", content_type="text/plain; charset=utf-8")
        subscriber = subscriptions[0].subscriber if subscriptions else None
        return render(
            request,
            "newsletters/unsubscribed.html",
            {
                "names": names,
                "manage_url": reverse("newsletters:manage_link", args=[manage_token(subscriber)])
                if subscriber
                else "",
            },
        )
    # Opened again after the button: what is already stopped is not offered again.
    running = (Subscription.Status.PENDING, Subscription.Status.CONFIRMED)
    names = [s.newsletter.name for s in subscriptions if s.status in running]
    return render(request, "newsletters/unsubscribe.html", {"names": names})


def _preferences_page(
    request: HttpRequest,
    subscriber: Subscriber | None,
    *,
    proven: bool,
    email: str = "",
) -> HttpResponse:
    """The checkboxes and, on POST, their change (the subscriber is made for a signed-in
    reader's address when they tick a first newsletter)."""
    change: PreferencesChange | str | None = None
    status = 200
    # Bound on every POST: unticking every box sends no field at all.
    form = PreferencesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            if subscriber is None:
                wanted = form.cleaned_data["newsletters"]
                if wanted:
                    subscriber = subscription_request(email=email, newsletter_ids=wanted)
                    change = "awaiting"
            else:
                change = subscriber_preferences_set(
                    subscriber=subscriber, wanted=form.cleaned_data["newsletters"], proven=proven
                )
        else:
            status = 400
    return render(
        request,
        "newsletters/manage.html",
        {
            "preferences": subscriber_preferences(subscriber=subscriber),
            "form": form,
            "change": change,
            "masked": _masked(subscriber.email if subscriber else email),
            "can_forget": proven and subscriber is not None,
        },
        status=status,
    )


def _masked(email: str) -> str:
    """j•••@example.com: enough to recognise the address, not to harvest it."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else ""


@private
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """``newsletters:manage``: a signed-in reader's newsletters; anyone else asks for a link.
    A reader's account proved its address, so their ticks start at once; a newsroom user's
    address (set by whoever made the account) still gets the confirmation mail."""
    email = _user_email(request)
    if email:
        reader = bool(getattr(request, "reader_signed_in", False))  # readers.middleware
        ticked = request.method == "POST" and bool(request.POST.getlist("newsletters"))
        subscriber = (
            account_subscriber(email=email)
            if reader and ticked
            else subscriber_for_email(email=email)
        )
        return _preferences_page(request, subscriber, proven=reader, email=email)
    form = ManageLinkForm(request.POST or None)
    if request.method == "POST":
        refused = _forgery_check(request)
        if refused is not None:
            return refused
        if form.is_valid():
            # The same answer either way; a known address gets the mail (throttled).
            subscriber = subscriber_for_email(email=form.cleaned_data["email"])
            if subscriber is not None:
                send_confirmation.enqueue(subscriber.pk)
            return HttpResponseRedirect(reverse("newsletters:check_inbox"), status=303)
        return render(request, "newsletters/manage_request.html", {"form": form}, status=400)
    return render(request, "newsletters/manage_request.html", {"form": form})


@private
@require_http_methods(["GET", "POST"])
def manage_link(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = subscriber_from_manage_token(token)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST" and request.POST.get("forget") == "1":
        subscriber_forget(subscriber=subscriber)
        return _message(
            request,
            "Your address is forgotten",
            "We sent our last mail to it: it is no longer on any of our lists, and its "
            "subscriptions are gone. You can subscribe again at any time.",
        )
    return _preferences_page(request, subscriber, proven=True)


@csrf_exempt  # a provider's server posts here; the token is the credential
@require_POST
def bounce_webhook(request: HttpRequest) -> HttpResponse:
    """Bounces and complaints from the mail provider: ``{"email": …, "type": "bounce"}`` or
    ``{"events": [...]}``, with ``Authorization: Bearer <DATELINE_NEWSLETTER_WEBHOOK_TOKEN>``.
    Off (404) while no token is configured. Unknown addresses are accepted and change
    nothing (the provider needs no answer about who subscribes)."""
    expected = settings.DATELINE_NEWSLETTER_WEBHOOK_TOKEN
    if not expected:
        return JsonResponse({"ok": False, "message": "Not found."}, status=404)
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"ok": False, "message": "A valid token is required."}, status=401)
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"ok": False, "message": "The body is not JSON."}, status=400)
    events = payload.get("events", [payload]) if isinstance(payload, dict) else payload
    if not isinstance(events, list) or not events or len(events) > 1000:
        return JsonResponse(
            {"ok": False, "message": "Send an event or a list of 1 to 1000 events."}, status=400
        )
    forms = [BounceEvent(e if isinstance(e, dict) else {}) for e in events]
    errors = {str(n): f.errors.get_json_data() for n, f in enumerate(forms) if not f.is_valid()}
    if errors:
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    stopped = sum(
        address_suppress(
            email=f.cleaned_data["email"], kind=f.cleaned_data["type"], source="webhook"
        )
        for f in forms
    )
    response = JsonResponse({"ok": True, "events": len(forms), "stopped": stopped})
    patch_cache_control(response, private=True, no_store=True)
    return response
