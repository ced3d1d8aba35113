"""Text from outside cmgtui, made safe to show: on a terminal, in Textual markup, in Markdown.

A log line, a tenant or app name from Microsoft Graph, a subscription or resource-group name
from Azure, a path or a profile value is data, never instructions. Shown raw, an escape
sequence in it would drive the terminal (OSC 52 writes the clipboard, OSC 0 the window title,
OSC 8 plants a link, ``ESC [ 2 J`` clears the screen, BEL rings, bidi overrides reorder what
is read), a ``[tag]`` in it would be read as Textual markup (``[/x]`` crashes, ``[@click=…]``
runs an action), and in Markdown a name could carry a link or HTML into steps handed to a
Global Administrator.

Every front passes such strings through one of these functions at the point it shows them:

- :func:`visible` for plain terminal text (CLI text output, ``rich.text.Text`` and Textual
  ``Content`` objects that are not parsed as markup), :func:`visible_in_place` for an
  editable field's display (one character for one);
- :func:`markup_text` for a string placed inside Textual (or Rich) markup;
- :func:`markdown_text` for Markdown prose and :func:`markdown_code` for a Markdown code span.

Control characters become visible placeholders rather than vanishing, so what was in the
data can still be seen: C0 controls and DEL become the Unicode *Control Pictures* (``␛``,
``␇``, ``␊``, ``␡``), C1 controls, bidi controls, the line and paragraph separators and lone surrogates become
``⟨U+XXXX⟩``. JSON output needs none of this: :func:`json.dumps` escapes them already.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SEPARATORS = "\u2028\u2029\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_SEPARATORS}]")
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_SEPARATORS}]")
_CONTROL_PICTURES = 0x2400
_DEL_PICTURE = "\u2421"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _placeholder(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(_CONTROL_PICTURES + code)
    if code == 0x7F:
        return _DEL_PICTURE
    return f"\u27e8U+{code:04X}\u27e9"


def visible(text: object, *, keep_lines: bool = False) -> str:
    """``text`` with every control character replaced by a visible placeholder.

    C0 (ESC, BEL, CR …), DEL, C1 (CSI ``\\x9b``, OSC ``\\x9d`` …), bidi overrides and isolates,
    the Unicode line and paragraph separators, and lone surrogates (undecodable bytes of a
    file name) are replaced. With ``keep_lines`` line
    feeds and tabs are kept (a block of log lines); otherwise the result is one line.
    """
    pattern = _UNSAFE_KEEP_LINES if keep_lines else _UNSAFE
    return pattern.sub(_placeholder, str(text))


def visible_in_place(text: str) -> str:
    """``text`` with every control character replaced by one visible character, so positions
    and lengths stay the same (an editable field, whose cursor counts characters): C0 and DEL
    by their Control Pictures, the others by U+FFFD."""
    return _UNSAFE.sub(lambda m: _placeholder(m) if len(_placeholder(m)) == 1 else "\ufffd", text)


def markup_text(text: object, *, keep_lines: bool = False) -> str:
    """``text`` made :func:`visible` and escaped for Textual markup (``Static``, ``Label``,
    option prompts, palette hits).

    Every ``[`` gets a backslash in front, so nothing in ``text`` opens or closes a tag.
    Textual reads a backslash as an escape only before ``[``; a trailing backslash would
    escape the tag that follows ``text`` in the markup, so a zero-width space is put after it.
    """
    shown = visible(text, keep_lines=keep_lines).replace("[", "\\[")
    return shown + "\u200b" if shown.endswith("\\") else shown


def markdown_text(text: object) -> str:
    """``text`` as inert Markdown prose on one line: no link, image, HTML, emphasis or heading.

    Line breaks become spaces, other control characters placeholders; ``& < >`` become
    entities and Markdown punctuation is backslash-escaped.
    """
    flat = re.sub(r"[\r\n]+", " ", str(text))
    shown = visible(flat).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", shown)


def markdown_code(text: object) -> str:
    """``text`` as a Markdown code span: literal, whatever backticks or HTML it holds."""
    shown = visible(str(text).replace("\r", " ").replace("\n", " "))
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith(("`", " ")) or shown.endswith(("`", " ")) else ""
    return f"{fence}{pad}{shown}{pad}{fence}"
