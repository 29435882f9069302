"""Signals the comment engine sends for other apps (which it must not import)."""

from django.dispatch import Signal

# Sent after a person or a rule moved comments to ``to_status``. ``held_ids`` are those that
# were pending before. Arguments: held_ids, to_status, actor (None for a rule), reason.
comments_moderated = Signal()
