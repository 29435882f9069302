"""The admin's form for a live update (no model imports: models.py uses it)."""

from __future__ import annotations

from typing import Any

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm


class LiveUpdateForm(WagtailAdminModelForm):
    """Carries the version of the update the form was opened on (``opened_version``), so a
    save on top of someone else's newer change is refused instead of undoing it."""

    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields["opened_version"].initial = self.instance.updated_at.isoformat()
