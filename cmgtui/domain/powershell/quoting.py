"""Safe PowerShell literals for values that come from a profile.

Every value the administrator typed (names, paths, GUIDs) reaches the generated script only
through :func:`ps_string`, a single-quoted PowerShell string. Inside single quotes PowerShell
expands nothing (no ``$variable``, no ``$(subexpression)``, no backtick escapes); the only
way out is a quote character. PowerShell accepts four Unicode quotes as single quotes besides
the ASCII one (U+2018, U+2019, U+201A, U+201B), so each of them is doubled too. Text that goes
into a comment passes through :func:`ps_comment_text`, which removes every line break, so a
hostile value can never end a comment and start a command.
"""

from __future__ import annotations

import re

#: Characters PowerShell's tokenizer treats as a single quote (see about_Quoting_Rules).
SINGLE_QUOTES = ("'", "\u2018", "\u2019", "\u201a", "\u201b")

#: Characters that end a line (or a comment) for PowerShell or for an editor.
_LINE_BREAKS = re.compile("[\r\n\u0085\u2028\u2029\x0b\x0c]")
#: Control characters other than tab, which have no business in a name or path.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]")


def has_control_characters(value: str) -> bool:
    """True when ``value`` holds a line break or another control character (tab excepted)."""
    return bool(_CONTROL.search(value))


def ps_string(value: str) -> str:
    """``value`` as a single-quoted PowerShell string literal that evaluates to exactly it.

    Raises ValueError for control characters: a line break inside a name or path is a
    mistake, and :func:`cmgtui.domain.powershell.script.missing_values` reports it first.
    """
    if has_control_characters(value):
        raise ValueError("A value for the script contains a line break or control character.")
    escaped = value
    for quote in SINGLE_QUOTES:
        escaped = escaped.replace(quote, quote * 2)
    return f"'{escaped}'"


def ps_string_array(values: list[str]) -> str:
    """A PowerShell array expression ``@('a', 'b')`` of quoted strings (``@()`` when empty)."""
    return "@(" + ", ".join(ps_string(v) for v in values) + ")"


def ps_bool(value: bool) -> str:
    """``$true`` or ``$false``."""
    return "$true" if value else "$false"


def ps_comment_text(value: str) -> str:
    """``value`` made safe for the inside of a ``#`` comment: one line, no block-comment end."""
    flat = _LINE_BREAKS.sub(" ", value)
    flat = _CONTROL.sub("", flat)
    # '#>' would close a comment-based help block; break it up.
    return flat.replace("#>", "# >")
