"""The readers' forms: asking for a sign-in link, the link's landing page, the reader's page."""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from dateline.comments.models import EMAIL_MAX, URL_MAX

from .models import BIO_MAX, DISPLAY_NAME_MAX
from .services import display_name_clean


def _no_control_characters(value: str, *, allow_newlines: bool = False) -> None:
    """Line breaks (a header injection: "Name\\r\\nBcc: …"), other control characters and
    invisible formatting characters are refused, with a message by the field."""
    for ch in value:
        if allow_newlines and ch in "\r\n":
            continue
        if unicodedata.category(ch).startswith("C"):
            raise ValidationError(
                "Use letters, digits, spaces and punctuation only: line breaks, control "
                "characters and invisible characters are not allowed here.",
                code="control",
            )


def clean_display_name(value: str, *, required: bool) -> str:
    _no_control_characters(value)
    cleaned = display_name_clean(value)
    if len(" ".join(value.split())) > DISPLAY_NAME_MAX:
        raise ValidationError(f"Keep the name to {DISPLAY_NAME_MAX} characters.", code="max_length")
    if required and not cleaned:
        raise ValidationError("Please give the name to show with your comments.", code="required")
    if "@" in cleaned:
        # An address as a name would publish it next to every comment.
        raise ValidationError('A name cannot contain "@": it would be shown to everyone.')
    return cleaned


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=EMAIL_MAX,
        error_messages={
            "required": "Please give your email address.",
            "invalid": "Please give a complete email address, like name@example.org.",
        },
    )
    display_name = forms.CharField(
        label="Name to show with your comments",
        required=False,
        max_length=DISPLAY_NAME_MAX * 2,  # checked on the cleaned name below
        strip=False,
        help_text="Only if you are new here. You can change it later.",
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        _no_control_characters(email)
        return email.strip()

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data.get("display_name") or "", required=False)


class LinkForm(forms.Form):
    """The landing page's button; a new account may choose its name there."""

    display_name = forms.CharField(required=False, max_length=DISPLAY_NAME_MAX * 2, strip=False)

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data.get("display_name") or "", required=False)


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=DISPLAY_NAME_MAX * 2,
        strip=False,
        help_text="Shown with your comments.",
        error_messages={"required": "Please give the name to show with your comments."},
    )
    website = forms.CharField(label="Website", required=False, max_length=URL_MAX)
    bio = forms.CharField(
        label="About you",
        required=False,
        max_length=BIO_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Keep it to {BIO_MAX} characters."},
    )
    notify_replies = forms.BooleanField(
        label="Email me when someone replies to my comments", required=False
    )

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data.get("display_name") or "", required=True)

    def clean_website(self) -> str:
        value = (self.cleaned_data.get("website") or "").strip()
        if not value:
            return ""
        _no_control_characters(value)
        if "://" not in value:
            value = "https://" + value
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ValidationError(
                "Please give a web address, like https://example.org.", code="invalid"
            ) from None
        if len(value) > URL_MAX:
            raise ValidationError(f"Keep the address to {URL_MAX} characters.")
        return value

    def clean_bio(self) -> str:
        value = self.cleaned_data.get("bio") or ""
        _no_control_characters(value, allow_newlines=True)
        return value.strip()
