"""Moving in and moving out: WordPress (WXR) and Disqus imports, a WXR export.

Imports read the file twice, streaming: the first pass checks it and gathers the small things
(authors, categories, tags, attachments); the second writes, in one transaction. A malformed
file raises :class:`~dateline.portability.parsing.ExportFileError` before anything is written.
Every imported thing is recorded in :class:`~dateline.portability.models.ImportedObject`, so a
second run of the same file finds it and changes nothing.

``wxr`` is the WordPress import (its first pass in ``wxr.index``, its second in ``wxr.terms``,
``wxr.writing`` and ``wxr.redirects``); ``disqus`` the Disqus import; ``common`` what they
share. The export is ``..exporting``.
"""

from ..exporting import wxr_export
from ..parsing import ExportFileError
from ..summary import Summary
from .disqus import article_for_url, disqus_import
from .wxr import wxr_import

__all__ = [
    "ExportFileError",
    "Summary",
    "article_for_url",
    "disqus_import",
    "wxr_export",
    "wxr_import",
]
