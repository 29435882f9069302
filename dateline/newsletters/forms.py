"""The reader's forms: subscribe, manage, ask for a manage link. Checkbox values are ids."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import EMAIL_MAX
from .selectors import newsletters_active

# A field people never see (hidden by the stylesheet, skipped by screen readers): a bot that
# fills it gets the usual answer and nothing is stored.
HONEYPOT = "website"


class NewsletterChoiceField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, widget=forms.CheckboxSelectMultiple, **kwargs)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        max_length=EMAIL_MAX,
        label="Your email address",
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter an email address like name@example.com.",
        },
    )
    newsletters = NewsletterChoiceField(
        label="Newsletters",
        error_messages={
            "required": "Please choose at least one newsletter.",
            "invalid_choice": "Please choose from the newsletters listed.",
        },
    )
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["newsletters"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(n.pk, n.name) for n in newsletters_active()]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class PreferencesForm(forms.Form):
    newsletters = NewsletterChoiceField(
        label="Newsletters",
        required=False,
        error_messages={"invalid_choice": "Please choose from the newsletters listed."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["newsletters"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(n.pk, n.name) for n in newsletters_active()]


class ManageLinkForm(forms.Form):
    email = forms.EmailField(
        max_length=EMAIL_MAX,
        label="Your email address",
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter an email address like name@example.com.",
        },
    )


class BounceEvent(forms.Form):
    """One event of the bounce webhook."""

    email = forms.EmailField(max_length=EMAIL_MAX)
    type = forms.ChoiceField(choices=[("bounce", "bounce"), ("complaint", "complaint")])
