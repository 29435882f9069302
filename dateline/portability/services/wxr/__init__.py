"""The WordPress (WXR) import.

``index`` is its first pass (it reads and checks the whole file and gathers the small things);
the second pass maps WordPress's terms to ours (``terms``: authors, categories as sections,
tags), writes the posts with their comments (``writing``) and their old addresses as
redirects (``redirects``); ``importing`` runs both in one transaction.
"""

from .importing import wxr_import

__all__ = ["wxr_import"]
