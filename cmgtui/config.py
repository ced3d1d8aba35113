"""User configuration: key map overrides read from ``config.toml``.

Example::

    [keymap]
    nav_next = "ctrl+n"
    help = "f1,question_mark"

Keys are binding ids (the help screen lists them); values are Textual key names, several
separated by commas. A broken file is reported and ignored, never fatal.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from cmgtui import paths


@dataclass
class Config:
    """What was read from the configuration file, plus any problem found in it."""

    keymap: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def load_config() -> Config:
    """Read the configuration file; a missing file gives defaults."""
    path = paths.config_file()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(problem=f"{path} could not be read ({exc}); using default keys.")
    keymap = raw.get("keymap", {})
    if not isinstance(keymap, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()
    ):
        return Config(problem=f"{path}: [keymap] must map binding ids to key strings; ignored.")
    return Config(keymap=dict(keymap))
