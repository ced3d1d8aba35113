"""Locate files that ship with the package (the TCSS styles).

In a built wheel the styles live inside the package (``cmgtui/styles``); in a source
checkout they live in the top-level ``styles/`` folder beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """The folder holding the ``.tcss`` files, installed or from the source tree."""
    installed = _PACKAGE / "styles"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "styles"


def stylesheets() -> list[Path]:
    """Every stylesheet the app loads, in a stable order."""
    return sorted(styles_dir().glob("*.tcss"))
