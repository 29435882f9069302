"""Validation figures in a moderator's words (the learned filters' admin page)."""

from __future__ import annotations

from typing import Any

from django import template

from dateline.moderation.classifier.judging import LEVELS

register = template.Library()


@register.filter
def pct(share: Any) -> str:
    """0.0412 → "4.1 %"; nothing for a missing value."""
    if share is None or share == "":
        return "–"
    return f"{100 * float(share):.1f} %"


@register.filter
def score(value: Any) -> str:
    """A threshold as the rules' reasons print scores (0.79); "below 0.001" for less."""
    if value is None or value == "":
        return "–"
    return f"{float(value):.3f}" if float(value) >= 0.001 else "< 0.001"


@register.simple_tag
def figures_summary(figures: dict[str, Any] | None, kind: str) -> str:
    """A validation report (judging.validation_report) in one line: :func:`figures_short`
    and the share of spam or abuse caught."""
    short = figures_short(figures, kind)
    if short == "–":
        return short
    low, high = LEVELS.get(kind, ("at low", "at high"))
    caught = figures or {}
    return (
        f"{short}; {kind} caught {pct(caught.get('caught_high'))} ({high}), "
        f"{pct(caught.get('caught_low'))} ({low})"
    )


@register.simple_tag
def figures_short(figures: dict[str, Any] | None, kind: str) -> str:
    """The figures two models are compared on: AUC, legitimate stopped at low / at high."""
    if not figures or figures.get("n") is None:
        return "–"
    low, high = LEVELS.get(kind, ("at low", "at high"))
    auc = figures.get("auc")
    return (f"AUC {auc:.4f}" if auc is not None else "AUC –") + (
        f"; legitimate {low} {pct(figures.get('legitimate_over_low'))}, "
        f"{high} {pct(figures.get('legitimate_over_high'))}"
    )
