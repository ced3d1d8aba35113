"""Copying through the terminal, said as it is.

Textual copies by sending the text to the terminal in an OSC 52 sequence; the terminal puts it
on the clipboard of the machine the user sits at (over SSH too). Some terminals ignore it, and
tmux or screen drop it unless set to pass it on, so a copy is never claimed as arrived.
"""

from __future__ import annotations

from textual.app import App

#: What every copy says after the thing copied.
HOW_COPY_WORKS = ("sent to your clipboard through the terminal (OSC 52). Some terminals, and tmux or "
                  "screen unless set to pass it on, drop it: if nothing arrives, save it to a file instead.")


def copy_through_terminal(app: App[object], text: str, what: str) -> None:
    """Copy ``text`` and say how the copy travels (``what`` names it, e.g. "The script")."""
    app.copy_to_clipboard(text)
    app.notify(f"{what}: {HOW_COPY_WORKS}", timeout=8)
