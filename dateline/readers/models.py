"""Reader accounts: a profile beside Django's user (docs/decisions: readers' accounts), the
one-time sign-in links, and the readers' own sessions (the ``dl_reader`` cookie)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from dateline.comments.models import EMAIL_MAX, URL_MAX

DISPLAY_NAME_MAX = 60
BIO_MAX = 500
IDENTITY_MAX = 255  # OpenID Connect Core 2: a subject is at most 255 ASCII characters


class Reader(models.Model):
    """A reader's account. Its user has no password, no staff flag, no group and no permission:
    it is only ever signed in by the reader cookie (``readers.middleware``), never into
    ``/admin/``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader"
    )
    # The normalised address (comments.text.normalise_email): one account per address. The
    # address as typed is the user's ``email``, which the comment service stores with comments.
    email_key = models.CharField(max_length=EMAIL_MAX, unique=True)
    display_name = models.CharField(_("display name"), max_length=DISPLAY_NAME_MAX)
    website = models.CharField(_("website"), max_length=URL_MAX, blank=True)
    bio = models.TextField(_("about you"), max_length=BIO_MAX, blank=True)
    notify_replies = models.BooleanField(
        _("email me replies to my comments"),
        default=True,
        help_text=_('Ticks "Notify me of replies" on the comment form for you.'),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("display_name"), DISPLAY_NAME_MAX)
                & ~Q(display_name=""),
                name="reader_display_name_valid",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("bio"), BIO_MAX), name="reader_bio_length"
            ),
            models.CheckConstraint(condition=~Q(email_key=""), name="reader_has_address"),
        ]

    def __str__(self) -> str:
        return f"reader {self.pk}"


class ReaderUser(User):
    """Django's user as a reader: comments are signed with the display name (the comment form
    and ``comments.submissions.account_name_clean`` ask for ``get_full_name()``)."""

    class Meta:
        proxy = True

    def get_full_name(self) -> str:
        reader = getattr(self, "reader", None)
        return reader.display_name if reader is not None else super().get_full_name()

    def get_short_name(self) -> str:
        return self.get_full_name()


class SignInLink(models.Model):
    """One emailed link. The link is this row's id signed with the site's secret (no token is
    stored, ``readers.tokens``); ``used_at`` makes it single-use and ``expires_at`` short-lived.
    The address is kept only until the link is used or expires (the constraint insists)."""

    email = models.CharField(max_length=EMAIL_MAX, blank=True)
    email_key = models.CharField(max_length=EMAIL_MAX, blank=True, db_index=True)
    reader = models.ForeignKey(
        Reader, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX, blank=True)
    next_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | (Q(email="") & Q(email_key="")),
                name="sign_in_link_forgets_address",
            ),
        ]

    def __str__(self) -> str:
        return f"sign-in link {self.pk}"


class ReaderSession(models.Model):
    """A signed-in browser. Its cookie holds a random key; only the key's SHA-256 is stored, so
    the table alone signs nobody in. Signing out, or deleting the account, deletes the row."""

    key_hash = models.CharField(max_length=64, unique=True)
    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="sessions")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"session of reader {self.reader_id}"


class ReaderIdentity(models.Model):
    """An account at an OpenID Connect provider that signs this reader in: the provider's
    ``iss`` and the account's ``sub``, which together name one person for good (an address at
    the provider may change hands; docs/decisions/0081)."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="identities")
    issuer = models.CharField(max_length=IDENTITY_MAX)
    subject = models.CharField(max_length=IDENTITY_MAX)
    created_at = models.DateTimeField()
    signed_in_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="reader_identity_unique"),
            models.CheckConstraint(
                condition=~Q(issuer="")
                & ~Q(subject="")
                & LessThanOrEqual(Length("issuer"), IDENTITY_MAX)
                & LessThanOrEqual(Length("subject"), IDENTITY_MAX),
                name="reader_identity_named",
            ),
        ]

    def __str__(self) -> str:
        return f"identity of reader {self.reader_id}"
