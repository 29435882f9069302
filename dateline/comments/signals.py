"""Signals the comment engine sends for other apps (which it must not import)."""

from django.dispatch import Signal

# Sent by ``services.comments_decide`` (inside its transaction) once per status reached, after a
# person or a rule decided on comments. ``comment_ids``: every comment decided on (a reported
# comment that keeps its status included); ``held_ids``: those that were pending before.
# Arguments: comment_ids, held_ids, to_status, actor (None for a rule or the commenter), reason.
comments_moderated = Signal()
