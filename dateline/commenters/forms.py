from django import forms

from dateline.comments.models import EMAIL_MAX

from .models import PrivacyRequest


class PrivacyRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=EMAIL_MAX,
        help_text="The address you gave when you commented. We send the link there.",
    )
    kind = forms.ChoiceField(
        label="What would you like?",
        choices=[
            (PrivacyRequest.Kind.EXPORT, "A copy of everything you hold about me (a JSON file)"),
            (PrivacyRequest.Kind.ERASE, "Erase my name, address and details from my comments"),
        ],
        widget=forms.RadioSelect,
        initial=PrivacyRequest.Kind.EXPORT,
    )


class StaffPrivacyForm(forms.Form):
    email = forms.EmailField(label="Commenter's email address", max_length=EMAIL_MAX)
    action = forms.ChoiceField(
        choices=[("export", "Download their data"), ("erase", "Erase their data")],
        widget=forms.RadioSelect,
        initial="export",
    )
    keep_text = forms.BooleanField(
        label="Keep the text of their comments (anonymised)", required=False
    )
    confirm = forms.BooleanField(label="I have checked the request is genuine", required=True)
