"""Text that wraps only between tokens, so identifiers are read whole at any width.

Rich wraps at spaces and folds a word longer than the line anywhere, which splits a GUID, an
FQDN, a thumbprint or an App ID URI in the middle. :class:`TokenWrap` keeps every
space-separated token whole on one line when it fits; a token longer than the line (a long
URI, a path or KEY=value) is broken only after a ``/``, ``\\`` or ``=``, and folded only when one of its
segments can't fit. Used for command lines, the values to carry into Configuration Manager,
endpoint lists and log lines.
"""

from __future__ import annotations

import re

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

from cmgtui.domain.display_text import visible

#: Where a token longer than the line may break: after a path separator or a key's "=".
_PATH_BREAK = re.compile(r"(?<=[/\\=])")


def _pieces(token: str, width: int) -> list[str]:
    """``token`` cut into lines of at most ``width``, preferring cuts after path separators."""
    if len(token) <= width:
        return [token]
    lines: list[str] = []
    current = ""
    for segment in _PATH_BREAK.split(token):
        while len(segment) > width:  # one segment wider than the line: fold it
            if current:
                lines.append(current)
                current = ""
            lines.append(segment[:width])
            segment = segment[width:]
        if len(current) + len(segment) > width:
            lines.append(current)
            current = segment
        else:
            current += segment
    if current:
        lines.append(current)
    return lines


def token_lines(text: str, width: int, indent: int = 0) -> list[str]:
    """``text`` wrapped to ``width`` columns between tokens; continuation lines are indented."""
    width = max(width, 8)
    indent = min(indent, width // 2)
    out: list[str] = []
    for paragraph in text.split("\n"):
        lines: list[str] = []
        current: str | None = None
        for token in paragraph.split(" "):
            candidate = (" " * indent if lines else "") + token if current is None else f"{current} {token}"
            if len(candidate) <= width:
                current = candidate
                continue
            if current is not None:
                lines.append(current)
            prefix = " " * indent if lines else ""
            pieces = _pieces(token, width - len(prefix))
            for piece in pieces[:-1]:
                lines.append(prefix + piece)
                prefix = " " * indent
            current = prefix + pieces[-1]
        lines.append(current or "")
        out.extend(lines)
    return out


class TokenWrap:
    """A Rich renderable: ``text`` wrapped between tokens at the width it is given.

    ``text`` is shown as text: its control characters are made visible
    (:func:`~cmgtui.domain.display_text.visible`), since log lines, names and paths pass here.
    """

    def __init__(self, text: str, style: str | Style = "", indent: int = 0) -> None:
        self.text = visible(text, keep_lines=True)
        self.style = style
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in token_lines(self.text, options.max_width, self.indent):
            yield Text(line, style=self.style, no_wrap=True, overflow="crop")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((len(part) for part in self.text.split()), default=0)
        return Measurement(min(longest, options.max_width), min(len(self.text), options.max_width))
