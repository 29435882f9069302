"""The reader's search form: every field optional, every bad value a message, never an error page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Author, SectionPage
from .search import MAX_QUERY_LENGTH


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search articles"), required=False, strip=True)
    section = forms.ChoiceField(
        label=_("Section"),
        required=False,
        error_messages={"invalid_choice": _("There is no section “%(value)s”.")},
    )
    author = forms.ChoiceField(
        label=_("Author"),
        required=False,
        error_messages={"invalid_choice": _("There is no author “%(value)s”.")},
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DayInput(),
        error_messages={"invalid": _("Enter the first day as a date, e.g. 2025-01-31.")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=DayInput(),
        error_messages={"invalid": _("Enter the last day as a date, e.g. 2025-12-31.")},
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("relevance", _("Best match")), ("recent", _("Newest first"))],
        error_messages={
            "invalid_choice": _("There is no order “%(value)s”: the best matches come first.")
        },
    )

    def __init__(
        self, data: Any, *, sections: list[SectionPage], authors: list[Author], **kwargs: Any
    ) -> None:
        # The query string may repeat a field or carry NUL characters: take the last value,
        # without NULs, cut to a sane length.
        cleaned = {
            key: str(data.get(key, "")).replace("\x00", "")[: MAX_QUERY_LENGTH * 2]
            for key in self.base_fields
            if key in data
        }
        super().__init__(cleaned, auto_id="search-%s", **kwargs)
        self.sections = {s.slug: s for s in sections}
        self.authors = {a.slug: a for a in authors}
        section_field = self.fields["section"]
        author_field = self.fields["author"]
        assert isinstance(section_field, forms.ChoiceField)
        assert isinstance(author_field, forms.ChoiceField)
        section_field.choices = [("", _("All sections"))] + [(s.slug, s.title) for s in sections]
        author_field.choices = [("", _("All authors"))] + [(a.slug, a.name) for a in authors]
        self.fields["q"].widget.input_type = "search"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The last day is before the first day."))
        return data

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = f"search-{name}-error"
                if isinstance(widget, forms.DateInput):
                    # Keep what the reader typed: a date input can't hold an invalid value.
                    widget.input_type = "text"

    def value(self, name: str) -> Any:
        """A valid field's value, or None (an invalid one is reported, and ignored)."""
        if name in self.errors:
            return None
        return self.cleaned_data.get(name) or None
