"""User configuration: key map overrides read from ``config.toml``.

Example::

    [keymap]
    nav_next = "ctrl+n"
    help = "f1,question_mark"

Keys are binding ids (the help screen lists them); values are Textual key names, several
separated by commas. A broken file is reported and ignored, never fatal; it is read through
:mod:`cmgtui.safe_read`, so a FIFO or device in its place cannot stall the start.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from cmgtui import paths
from cmgtui.safe_read import ReadRefused, read_checked

MAX_CONFIG_BYTES = 1024 * 1024


@dataclass
class Config:
    """What was read from the configuration file, plus any problem found in it."""

    keymap: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def load_config() -> Config:
    """Read the configuration file; a missing file gives defaults."""
    path = paths.config_file()
    try:
        raw = tomllib.loads(read_checked(path, limit=MAX_CONFIG_BYTES).decode("utf-8"))
    except ReadRefused as exc:
        if exc.code == "missing" and not path.is_symlink():
            return Config()
        return Config(problem=f"{path} could not be read ({exc.reason}); using default keys.")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        return Config(problem=f"{path} could not be read ({type(exc).__name__}: {exc}); using default keys.")
    keymap = raw.get("keymap", {})
    if not isinstance(keymap, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()
    ):
        return Config(problem=f"{path}: [keymap] must map binding ids to key strings; ignored.")
    return Config(keymap=dict(keymap))
