"""The "Leave a Reply" form: WordPress's field names, our limits, clear messages."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import QueryDict

from dateline.core.converters import parse_id

from .errors import Nudged
from .guards import HONEYPOT_FIELD, STAMP_FIELD, form_stamp
from .models import BODY_MAX, EMAIL_MAX, NAME_MAX, URL_MAX
from .text import (
    body_fingerprint,
    has_invalid_characters,
    normalise_email,
    normalise_name,
    normalise_text,
)

CONSENT_FIELD = "wp-comment-cookies-consent"
UNREADABLE = "\ufffd"
# The nudge (docs/moderation.md, "Nudge"): the form comes back unsaved with this next to the
# comment, and the hidden field says the writer saw it for this text.
NUDGE_FIELD = "comment_nudged"
NUDGE_MESSAGE = Nudged.nudge
NUDGE_SUMMARY = Nudged.default_message


def nudge_acknowledgement(body: str) -> str:
    """What the hidden field carries after a nudge: the text's fingerprint, so sending the same
    text again posts it, and a revised text is looked at afresh."""
    return body_fingerprint(body)[:32]


def _readable(value: str) -> None:
    if has_invalid_characters(value):
        raise ValidationError(
            "Remove the control characters (such as NUL) from this field.", code="control"
        )
    if UNREADABLE in value:
        raise ValidationError(
            "Part of this text could not be read (it was not valid Unicode). Check the marked characters and try again.",
            code="unicode",
        )


class StoredLength:
    """The length check on the text as it will be stored (normalised): a few characters grow
    under NFC (U+0958 becomes two, U+FB2C three), so a text within the limit as typed can be
    over it as stored, and the database would refuse the row. The field's own ``max_length``
    (which every field with this check has) checks the text as typed, and alone says so when
    that is over already."""

    def __init__(self, *, limit: int, normalise: Callable[[str], str], message: str) -> None:
        self.limit = limit
        self.normalise = normalise
        self.message = message

    def __call__(self, value: str) -> None:
        if len(value) > self.limit:
            return  # too long as typed: the field's max_length says so, and only that
        stored = len(self.normalise(value))
        if stored > self.limit:
            raise ValidationError(
                self.message,
                code="stored_length",
                params={"length": stored, "limit": self.limit},
            )


class IdField(forms.Field):
    """A database id in a hidden field (``dateline.core.converters.parse_id``: ASCII digits, 1
    to 2^63 - 1). With ``zero_is_none``, "0" means none (WordPress's "not a reply")."""

    widget = forms.HiddenInput

    def __init__(self, *, zero_is_none: bool = False, **kwargs: Any) -> None:
        self.zero_is_none = zero_is_none
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values or (self.zero_is_none and value in ("0", 0)):
            return None
        number = parse_id(value if isinstance(value, int) else str(value).strip())
        if number is None:
            raise ValidationError("This is not the number of a comment or article.", code="invalid")
        return number


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        max_length=BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45, "maxlength": BODY_MAX}),
        validators=[
            _readable,
            StoredLength(
                limit=BODY_MAX,
                normalise=normalise_text,
                message="Your comment is %(length)d characters long once some of its "
                "characters are written in their standard form; the limit is %(limit)d.",
            ),
        ],
        error_messages={
            "required": "Please write a comment.",
            "max_length": "Your comment is %(show_value)d characters long; the limit is %(limit_value)d.",
        },
    )
    author = forms.CharField(
        label="Name",
        max_length=NAME_MAX,
        validators=[
            _readable,
            StoredLength(
                limit=NAME_MAX,
                normalise=normalise_name,
                message="Your name is %(length)d characters long once some of its characters "
                "are written in their standard form; the limit is %(limit)d.",
            ),
        ],
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": NAME_MAX, "size": 30}),
        error_messages={
            "required": "Please give your name.",
            "max_length": "Your name is %(show_value)d characters long; the limit is %(limit_value)d.",
        },
    )
    email = forms.EmailField(
        label="Email",
        max_length=EMAIL_MAX,
        # The commenter is known by the address in NFKC ("\ufb03" is "ffi"), which must fit too.
        validators=[
            StoredLength(
                limit=EMAIL_MAX,
                normalise=normalise_email,
                message="The email address is %(length)d characters long once some of its "
                "characters are written in their standard form; the limit is %(limit)d.",
            )
        ],
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "maxlength": EMAIL_MAX, "size": 30}
        ),
        error_messages={
            "required": "Please give your email address; it will not be published.",
            "invalid": "Enter a valid email address, like name@example.com.",
            "max_length": "The email address is %(show_value)d characters long; the limit is %(limit_value)d.",
        },
    )
    url = forms.CharField(
        label="Website",
        max_length=URL_MAX,
        required=False,
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message="Enter a website address starting with http:// or https://.",
            )
        ],
        widget=forms.URLInput(attrs={"autocomplete": "url", "maxlength": URL_MAX, "size": 30}),
        error_messages={
            "max_length": "The website address is %(show_value)d characters long; the limit is %(limit_value)d."
        },
    )
    comment_post_ID = IdField()
    comment_parent = IdField(required=False, zero_is_none=True)
    comment_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    subscribe = forms.BooleanField(label="Notify me of replies by email.", required=False)
    # Not length-checked: anything but the acknowledgement of this text only means "not seen".
    comment_nudged = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    def __init__(
        self, *args: Any, signed_in: bool = False, require_identity: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)  # self.fields: a dict of the shared fields
        if signed_in or not require_identity:
            self.fields.update(_identity_optional())
        self.signed_in = signed_in
        self.require_identity = require_identity
        self.nudge = ""  # the nudge shown with the form, when it came back for one
        self._shown_stamp = ""

    @property
    def fresh_stamp(self) -> str:
        """The signed timestamp for the rendered form: a new one (also after a failed post),
        except after a nudge, where the form keeps the one it was shown with, so the time
        spent writing still counts and posting it as it is at once is not "sent too fast"."""
        return self._shown_stamp or form_stamp()

    @property
    def nudge_acknowledged(self) -> bool:
        """The writer was nudged about this very text and sent it again."""
        sent = self.cleaned_data.get(NUDGE_FIELD, "")
        return bool(sent) and sent == nudge_acknowledgement(self.cleaned_data["comment"])

    def show_nudge(self) -> None:
        """Make the form come back with the nudge: its fields as sent, the note, and the hidden
        field acknowledging this text. Call after ``is_valid()``."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        data[NUDGE_FIELD] = nudge_acknowledgement(self.cleaned_data["comment"])
        self.data = data
        self.nudge = NUDGE_MESSAGE
        self._shown_stamp = str(data.get(STAMP_FIELD, ""))

    def clean_url(self) -> str:
        value: str = self.cleaned_data.get("url", "").strip()
        if value and "://" not in value:
            raise ValidationError(
                "Enter a website address starting with http:// or https://.", code="scheme"
            )
        return value

    def clean_author(self) -> str:
        """The one place a commenter's name is cleaned, for the form and the API (which checks
        through this form): without bidi controls and zero-width characters, normalised."""
        name = normalise_name(self.cleaned_data.get("author", ""))
        if not name and self.fields["author"].required:
            raise ValidationError(self.fields["author"].error_messages["required"], code="required")
        return name

    def clean_comment(self) -> str:
        value: str = self.cleaned_data["comment"]
        if not value.strip():
            raise ValidationError("Please write a comment.", code="required")
        return value

    @property
    def consent_checked(self) -> bool:
        return bool(self.data.get(CONSENT_FIELD))

    @property
    def parent_id(self) -> int | None:
        return self.cleaned_data.get("comment_parent") or None

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) pairs for the summary at the top of the form."""
        return [
            (name, str(message)) for name, messages in self.errors.items() for message in messages
        ]


class _SharedFields(dict[str, forms.Field]):
    """Fields every instance shares: ``deepcopy`` (``BaseForm.__init__`` deep-copies a form's
    fields for each instance, so one may change its own) gives a new dict of the same field
    objects, so a form may still put a field of its own in place of one, never change one."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


# The comment form's fields are made once: nothing changes them after they are made, and the deep
# copy Django makes for every form cost more than a post's validation. The names the hidden
# fields need (not Python identifiers, or shared with guards.py) are added here.
CommentForm.base_fields = _SharedFields(
    CommentForm.base_fields,
    **{
        CONSENT_FIELD: forms.BooleanField(
            label="Save my name, email, and website in this browser for the next time I comment.",
            required=False,
        ),
        # Anti-spam (guards.py): the field people never see, and when the form was shown.
        HONEYPOT_FIELD: forms.CharField(required=False, strip=False),
        STAMP_FIELD: forms.CharField(required=False),
    },
)


@lru_cache(maxsize=1)
def _identity_optional() -> dict[str, forms.Field]:
    """Name and email as a signed-in reader's form (or a site that does not ask) has them: not
    required. Made once, like the other fields."""
    fields = {name: copy.deepcopy(CommentForm.base_fields[name]) for name in ("author", "email")}
    for field in fields.values():
        field.required = False
    return fields


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why should a moderator look at this comment?",
        widget=forms.RadioSelect,
        choices=[
            ("spam", "Spam"),
            ("abuse", "Abuse or harassment"),
            ("off-topic", "Off-topic"),
            ("other", "Something else"),
        ],
        error_messages={"required": "Choose a reason."},
    )
    note = forms.CharField(
        label="Anything to add? (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[_readable],
        error_messages={
            "max_length": "Your note is %(show_value)d characters long; the limit is %(limit_value)d."
        },
    )
    voter = forms.CharField(widget=forms.HiddenInput, required=False, max_length=128)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No maxlength: a browser would cut a pasted note at the limit without a word; the
        # server refuses it whole, with the length, and the note is there to shorten.
        self.fields["note"].widget.attrs.pop("maxlength", None)


class EditForm(forms.Form):
    comment = CommentForm.base_fields["comment"]
    own = forms.CharField(widget=forms.HiddenInput, max_length=400)
