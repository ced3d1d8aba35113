"""Hostile strings for every display path, and the checks that what reaches a terminal is text.

A log line, a tenant, subscription or app name, a path or a profile value may carry terminal
escape sequences (OSC 52 writes the clipboard, OSC 0 the window title, OSC 8 plants a link,
``ESC [ 2 J`` clears the screen), Textual markup (``[/x]`` crashes, ``[@click=app.quit]`` runs
an action) or Markdown (a link or HTML in the steps handed to a Global Administrator).
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

OSC52 = "\x1b]52;c;SElKQUNLRUQ=\x07"
OSC0 = "\x1b]0;pwned-title\x07"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\"
CLEAR = "\x1b[2J\x1b[H"
C1_CSI = "\x9b2J"
BIDI = "\u202egnp.exe"
BELL_DEL = "\x07\x7f"
TERMINAL_ATTACKS = (OSC52, OSC0, OSC8, CLEAR, C1_CSI, BIDI, BELL_DEL)

MARKUP_ATTACKS = ("[/x]", "[@click=app.quit]quit[/]", "[link=https://evil.example]x[/link]", "[$accent]x",
                  "[b]bold", "tail\\")
MARKDOWN_ATTACKS = ("[click](https://evil.example/)", "<img src=x onerror=alert(1)>", "*em* _u_",
                    "`code` ``x``", "![i](https://evil.example/i.png)", "<https://evil.example/>")

ONE_LINE = "CMG" + "".join(TERMINAL_ATTACKS) + "".join(MARKUP_ATTACKS) + "".join(MARKDOWN_ATTACKS)
"""Every attack in one string without a line break: a name, a path, a log message."""

#: What must never reach a terminal: C0 controls but line feed and tab, DEL, C1 controls, bidi
#: controls, the Unicode line and paragraph separators, lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\u2028\u2029\ud800-\udfff]")
#: The sequences Textual writes in a frame itself: colours (SGR) and "move to row;column".
_TEXTUAL_OWN = re.compile(r"\x1b\[[0-9;:]*m|\x1b\[\d+;\d+H")

_pieces = st.sampled_from([*TERMINAL_ATTACKS, *MARKUP_ATTACKS, *MARKDOWN_ATTACKS, "\\", "[", "]", "\n", "\r"])
hostile_text = st.lists(st.one_of(_pieces, st.text(max_size=8)), min_size=1, max_size=8).map("".join)
"""Random text interleaved with the attacks above (hypothesis strategy)."""


def unsafe_characters(text: str) -> list[str]:
    """The characters in ``text`` that would drive a terminal (empty when it is plain text)."""
    return _UNSAFE.findall(text)


def terminal_leaks(sequence: str) -> list[str]:
    """What a Textual frame ``sequence`` sends beyond its own CSI sequences, line feeds and
    text: escape and control characters that came from the data."""
    return unsafe_characters(_TEXTUAL_OWN.sub("", sequence).replace("\r", ""))


def app_frame(app: object) -> str:
    """The full frame the App would write to the terminal now (escape sequences included)."""
    screen = app.screen  # type: ignore[attr-defined]
    screen._refresh_layout(screen.size)
    return screen._compositor.render_full_update().render_segments(app.console)  # type: ignore[attr-defined]
