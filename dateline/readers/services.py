"""Every write about reader accounts: asking for a sign-in link, signing in with it (and
creating the account the first time), signing out, the reader's page, export and deletion."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from dateline.commenters.selectors import commenter_export
from dateline.commenters.services import Erasure, commenter_erase
from dateline.comments.models import Subscriber
from dateline.comments.ratelimit import Limit, LimiterUnavailable, duration_text, hit
from dateline.comments.selectors import comments_liked_by_account
from dateline.comments.services import comments_author_renamed
from dateline.comments.text import normalise_email, normalise_name
from dateline.core.net import ip_prefix

from .errors import LinkNotUsable, ProviderAddressUnverified, SignInRateLimited
from .models import (
    DISPLAY_NAME_MAX,
    Reader,
    ReaderIdentity,
    ReaderSession,
    ReaderUser,
    SignInLink,
)
from .tasks import send_sign_in_link
from .tokens import link_max_age, new_session_key, session_key_hash, session_max_age

if TYPE_CHECKING:
    from .oidc import Identity

log = logging.getLogger(__name__)

HOUR = 3600


def _limits() -> tuple[Limit, Limit]:
    from django.conf import settings

    return (
        Limit("reader-signin-address", int(settings.DATELINE_READER_SIGNIN_PER_ADDRESS), HOUR),
        Limit("reader-signin-network", int(settings.DATELINE_READER_SIGNIN_PER_NETWORK), HOUR),
    )


def sign_in_link_request(
    *, email: str, ip: str, display_name: str = "", next_url: str = ""
) -> SignInLink:
    """Record a sign-in link for ``email`` and mail it after commit: a link into the account
    when the address has one, a link that creates it otherwise. The caller answers the same in
    both cases ("check your inbox"), and so does the mail's timing (the task queue sends both).

    Raises SignInRateLimited when the address or the network (``core.net.ip_prefix``) asked
    too often this hour; the limits are counted in Redis or the database
    (``comments.ratelimit``, keyed hashes only) and let requests through when Redis is down."""
    email = email.strip()
    key = normalise_email(email)
    address_limit, network_limit = _limits()
    try:
        over = hit([(address_limit, key), (network_limit, ip_prefix(ip))])
    except LimiterUnavailable:
        log.warning("rate limiter unavailable: sign-in link allowed", exc_info=True)
        over = None
    if over is not None:
        raise SignInRateLimited(
            "Too many sign-in links were asked for from here or for this address. "
            f"Please try again in {duration_text(over.retry_after)}.",
            retry_after=over.retry_after,
        )
    now = timezone.now()
    with transaction.atomic():
        link = SignInLink.objects.create(
            email=email,
            email_key=key,
            reader=Reader.objects.filter(email_key=key).first(),
            display_name=display_name_clean(display_name),
            next_url=next_url[:300],
            created_at=now,
            expires_at=now + link_max_age(),
        )
        transaction.on_commit(lambda: send_sign_in_link.enqueue(link.pk))
    return link


def display_name_clean(name: str) -> str:
    """A display name as stored: cleaned like a commenter's name (no invisible formatting,
    NFC), on one line, cut to the column."""
    return " ".join(normalise_name(name).split())[:DISPLAY_NAME_MAX].strip()


def display_name_from_address(email: str) -> str:
    """A first display name when the reader gave none: "Reader" and a few random characters,
    never a part of the address (which would publish it)."""
    return f"Reader {secrets.token_hex(3)}"


@dataclass(frozen=True)
class SignedIn:
    reader: Reader
    session_key: str  # for the cookie; only its hash is stored
    created: bool  # a new account
    next_url: str


@transaction.atomic
def sign_in_complete(*, link: SignInLink, display_name: str = "") -> SignedIn:
    """Use ``link`` (once: the first caller wins, a second gets LinkNotUsable), create the
    account if the address has none, and start a session. The link forgets its address."""
    now = timezone.now()
    used = SignInLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now, email="", email_key=""
    )
    if used != 1:
        raise LinkNotUsable
    reader = Reader.objects.select_related("user").filter(email_key=link.email_key).first()
    created = reader is None
    if reader is None:
        reader = _reader_create(
            email=link.email,
            email_key=link.email_key,
            display_name=display_name_clean(display_name)
            or link.display_name
            or display_name_from_address(link.email),
        )
    _address_confirmed(email=reader.user.email, email_key=reader.email_key, now=now)
    return _session_start(reader=reader, now=now, created=created, next_url=link.next_url)


def _session_start(*, reader: Reader, now: Any, created: bool, next_url: str) -> SignedIn:
    Reader.objects.filter(pk=reader.pk).update(signed_in_at=now)
    key = new_session_key()
    ReaderSession.objects.create(
        key_hash=session_key_hash(key),
        reader=reader,
        created_at=now,
        expires_at=now + session_max_age(),
    )
    return SignedIn(reader=reader, session_key=key, created=created, next_url=next_url)


@transaction.atomic
def reader_oidc_sign_in(*, identity: Identity, next_url: str = "") -> SignedIn:
    """Sign in the reader an OpenID Connect provider vouched for (``oidc.oidc_identity_verify``):
    the account linked to the provider's (issuer, subject); else, only when the provider says it
    verified the address, the account with that address (created if there is none), linked
    from now on. Raises ProviderAddressUnverified when neither is the case.

    A new account gets a made-up display name, never the provider's name for the person: the
    reader chooses what is published with their comments on their page."""
    now = timezone.now()
    link = (
        ReaderIdentity.objects.select_related("reader__user")
        .filter(issuer=identity.issuer, subject=identity.subject)
        .first()
    )
    if link is not None:
        ReaderIdentity.objects.filter(pk=link.pk).update(signed_in_at=now)
        return _session_start(reader=link.reader, now=now, created=False, next_url=next_url)
    if not (identity.email and identity.email_verified):
        raise ProviderAddressUnverified
    key = normalise_email(identity.email)
    reader = Reader.objects.select_related("user").filter(email_key=key).first()
    created = reader is None
    if reader is None:
        reader = _reader_create(
            email=identity.email,
            email_key=key,
            display_name=display_name_from_address(identity.email),
        )
    try:
        with transaction.atomic():
            ReaderIdentity.objects.create(
                reader=reader,
                issuer=identity.issuer,
                subject=identity.subject,
                created_at=now,
                signed_in_at=now,
            )
    except IntegrityError:
        pass  # the same sign-in finished twice at once: the other one linked it
    # The provider checked the address: reply notifications need no second confirmation.
    _address_confirmed(email=reader.user.email, email_key=reader.email_key, now=now)
    return _session_start(reader=reader, now=now, created=created, next_url=next_url)


def _address_confirmed(*, email: str, email_key: str, now: Any) -> None:
    """The link proved the address: reply notifications the reader asks for need no second
    confirmation mail. An address that unsubscribed stays unsubscribed."""
    subscriber, created = Subscriber.objects.get_or_create(
        email_key=email_key,
        defaults={"email": email, "status": Subscriber.Status.CONFIRMED, "confirmed_at": now},
    )
    if not created and subscriber.status == Subscriber.Status.PENDING:
        Subscriber.objects.filter(pk=subscriber.pk).update(
            status=Subscriber.Status.CONFIRMED, confirmed_at=now
        )


def _reader_create(*, email: str, email_key: str, display_name: str) -> Reader:
    """A user that can only be a reader (no password, not staff, no group) and its profile.
    Its user name is random: it shows nowhere, and is never the address."""
    try:
        with transaction.atomic():
            user = ReaderUser(username=f"reader-{secrets.token_hex(8)}", email=email)
            user.set_unusable_password()
            user.save()
            return Reader.objects.create(user=user, email_key=email_key, display_name=display_name)
    except IntegrityError:
        # Two links for a new address used at once: the other one created the account.
        return Reader.objects.select_related("user").get(email_key=email_key)


def sign_out(*, session_key: str) -> None:
    """End the session this browser holds (other browsers stay signed in)."""
    if session_key:
        ReaderSession.objects.filter(key_hash=session_key_hash(session_key)).delete()


def sign_out_everywhere(*, reader: Reader) -> int:
    """End every session of the account (a phone lost, a shared computer left signed in):
    each browser is asked to sign in again. Returns how many were ended."""
    ended, _ = ReaderSession.objects.filter(reader=reader).delete()
    return ended


@transaction.atomic
def reader_profile_update(
    *, reader: Reader, display_name: str, website: str, bio: str, notify_replies: bool
) -> Reader:
    """Save what the reader typed on their page (validated by ``forms.ProfileForm``). A new
    display name goes on every comment the account wrote, as on the next one."""
    name = display_name_clean(display_name)
    renamed = name != reader.display_name
    reader.display_name = name
    reader.website = website.strip()
    reader.bio = bio.strip()
    reader.notify_replies = notify_replies
    reader.save(update_fields=["display_name", "website", "bio", "notify_replies"])
    if renamed:
        comments_author_renamed(user_id=reader.user_id, name=reader.display_name)
    if notify_replies:
        # Ticked again after a mail's "stop them": the account proved the address, and the
        # reader asked for the mail back here, so it needs no new confirmation.
        Subscriber.objects.filter(
            email_key=reader.email_key,
            status__in=[Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.PENDING],
        ).update(status=Subscriber.Status.CONFIRMED, confirmed_at=timezone.now())
    return reader


def reader_replies_stopped(*, email_key: str) -> int:
    """The address stopped reply notifications from a mail's link: the account with that
    address no longer asks for them (its page and its comment form show the box unticked)."""
    return Reader.objects.filter(email_key=email_key, notify_replies=True).update(
        notify_replies=False
    )


def reader_export(*, reader: Reader) -> dict[str, Any]:
    """Everything kept about the reader: the account, and what the commenters' export holds for
    the address (their comments and what happened to them)."""
    data = commenter_export(email=reader.user.email)
    data["account"] = {
        "email": reader.user.email,
        "display_name": reader.display_name,
        "website": reader.website,
        "bio": reader.bio,
        "notify_replies": reader.notify_replies,
        "created_at": reader.created_at.isoformat(),
        "signed_in_at": reader.signed_in_at.isoformat() if reader.signed_in_at else None,
        "signed_in_browsers": reader.sessions.count(),
        # Likes made while signed in are the account's (docs/decisions/0083).
        "liked_comments": comments_liked_by_account(user_id=reader.user_id),
        "sign_in_providers": [
            {
                "issuer": identity.issuer,
                "subject": identity.subject,
                "linked_at": identity.created_at.isoformat(),
                "signed_in_at": identity.signed_in_at.isoformat(),
            }
            for identity in reader.identities.order_by("pk")
        ],
    }
    return data


@transaction.atomic
def reader_delete(*, reader: Reader, site: Any = None) -> Erasure:
    """Delete the account: its comments are erased as the commenters' erasure does it (name,
    address, network; the text too unless the site keeps text), then the user, its sessions and
    links go."""
    erasure = commenter_erase(email=reader.user.email, site=site)
    user_id = reader.user_id
    ReaderUser.objects.filter(pk=user_id).delete()
    return erasure


def sessions_purge() -> int:
    """Delete expired sessions and links past their lifetime (their addresses with them)."""
    now = timezone.now()
    sessions, _ = ReaderSession.objects.filter(expires_at__lte=now).delete()
    links, _ = SignInLink.objects.filter(expires_at__lte=now).delete()
    return sessions + links
