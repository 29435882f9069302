"""Signals the comment engine sends for other apps (which it must not import)."""

from django.dispatch import Signal

# Sent by ``services.comments_decide`` (inside its transaction) once per status reached, after a
# person or a rule decided on comments. ``comment_ids``: every comment decided on (a reported
# comment that keeps its status included); ``held_ids``: those that were pending before.
# Arguments: comment_ids, held_ids, to_status, actor (None for a rule or the commenter), reason.
comments_moderated = Signal()

# Sent by ``services.subscriber_unsubscribe`` when an address stops reply notifications from a
# mail's link (a reader account with that address unticks its "email me replies").
# Arguments: email_key.
replies_stopped = Signal()
