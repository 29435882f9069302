"""Comments to HTML: the thread's nodes through the Jinja2 template `comments/nodes.html`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.utils.safestring import SafeString, mark_safe

from .selectors import CommentNode


def _nodes_template() -> Any:
    # Straight from the Jinja2 engine (no search through the Django engine first). Jinja keeps
    # the compiled template; with DEBUG it also reloads it when the file changes.
    return cast(Jinja2, engines["jinja2"]).env.get_template("comments/nodes.html")


def render_comment_nodes(
    nodes: Iterable[CommentNode],
    *,
    own_tokens: Mapping[int, str] | None = None,
    comments_open: bool | None = None,
) -> SafeString:
    """``nodes`` and their replies as ``<li>`` items of a thread. ``own_tokens`` gives the edit
    token of the reader's own comments; ``comments_open=False`` leaves out the Reply links."""
    html = _nodes_template().render(
        nodes=nodes, own_tokens=own_tokens or {}, comments_open=comments_open
    )
    return mark_safe(html)  # noqa: S308 (autoescaped template; bodies sanitised by nh3)
