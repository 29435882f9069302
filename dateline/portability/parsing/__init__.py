"""Streaming readers for WordPress (WXR) and Disqus export files.

Both read with lxml's ``iterparse`` set up for files from elsewhere: no DTD loaded, no entity
expanded, nothing fetched over the network, libxml2's size limits left on. Each record is handed
over as soon as its element ends and the element is then dropped, so memory stays flat however
large the file is. A malformed file raises :class:`ExportFileError` naming the line.

``reading`` holds what both share; ``wxr`` and ``disqus`` one reader each.
"""

from .disqus import DisqusPost, DisqusReader, DisqusThread, parse_iso
from .reading import ExportFileError
from .wxr import WxrAuthor, WxrComment, WxrItem, WxrReader, WxrTerm, parse_wp_date

__all__ = [
    "DisqusPost",
    "DisqusReader",
    "DisqusThread",
    "ExportFileError",
    "WxrAuthor",
    "WxrComment",
    "WxrItem",
    "WxrReader",
    "WxrTerm",
    "parse_iso",
    "parse_wp_date",
]
