"""Signals of live coverage, for apps that must not be known here.

``breaking_news``
    Sent once, after the transaction commits, each time an editor sets a breaking-news flag:
    a new flag that is on, or a cleared one switched on again, or the story of a flag that is
    on changed. Arguments: ``sender`` (the ``BreakingNews`` model class), ``page`` (the story,
    a live ``news.ArticlePage`` or ``live.LivePage``, as its own type), ``alert`` (the
    ``BreakingNews`` row: ``headline``, ``starts_at``, ``expires_at``). The banner itself needs
    no receiver. The newsletters connect to it to mail breaking-news subscribers
    (docs/live.md, "Breaking news").
"""

from __future__ import annotations

from django.dispatch import Signal

breaking_news = Signal()
