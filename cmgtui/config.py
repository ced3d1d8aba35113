"""User configuration: key map overrides read from ``config.toml``.

Example::

    [keymap]
    nav_next = "ctrl+n"
    help = "f1,question_mark"

Keys are binding ids (the help screen lists them); values are Textual key names, several
separated by commas. A broken file, an unknown id or a value that is not a key is reported
by name and ignored (the rest of the key map still applies), never fatal. The file is read
through :mod:`cmgtui.safe_read`, so a FIFO or device in its place cannot stall the start.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cmgtui import paths
from cmgtui.safe_read import ReadRefused, read_checked

MAX_CONFIG_BYTES = 1024 * 1024

#: A Textual key name: letters, digits, '_' and '+' (e.g. ctrl+n, f1, question_mark).
_KEY_NAME = re.compile(r"^[a-z0-9_+]+$|^.$")


@dataclass
class Config:
    """What was read from the configuration file, plus any problem found in it."""

    keymap: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def _key_problem(value: object) -> str | None:
    """Why ``value`` is not a comma-separated list of key names (None when it is)."""
    if not isinstance(value, str):
        return f"is {value!r}, not a key string such as \"ctrl+n\""
    keys = [key.strip() for key in value.split(",")]
    bad = [key for key in keys if not key or not _KEY_NAME.match(key)]
    if bad:
        return f"= {value!r} holds {', '.join(repr(k) for k in bad)}, not a key name such as ctrl+n or f5"
    return None


def check_keymap(raw: object, known_ids: Iterable[str], where: str) -> tuple[dict[str, str], list[str]]:
    """The usable part of a ``[keymap]`` table, and one message per entry that can't be used."""
    if not isinstance(raw, dict):
        return {}, [f"{where}: [keymap] must be a table of binding ids and keys; ignored."]
    known = set(known_ids)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in raw.items():
        if binding_id not in known:
            problems.append(f"{where}: [keymap] {binding_id} is not a binding id (F1 lists them); ignored.")
        elif (problem := _key_problem(value)) is not None:
            problems.append(f"{where}: [keymap] {binding_id} {problem}; ignored.")
        else:
            keymap[binding_id] = ",".join(key.strip() for key in str(value).split(","))
    return keymap, problems


def load_config(known_ids: Callable[[], Iterable[str]]) -> Config:
    """Read the configuration file; a missing file gives defaults.

    ``known_ids`` gives the binding ids a key map may name; it is called only when the file
    has a ``[keymap]`` table (the App passes the help screen's list, which imports every pane).
    """
    path = paths.config_file()
    try:
        raw = tomllib.loads(read_checked(path, limit=MAX_CONFIG_BYTES).decode("utf-8"))
    except ReadRefused as exc:
        if exc.code == "missing" and not path.is_symlink():
            return Config()
        return Config(problem=f"{path} could not be read ({exc.reason}); using default keys.")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        return Config(problem=f"{path} could not be read ({type(exc).__name__}: {exc}); using default keys.")
    if "keymap" not in raw:
        return Config()
    keymap, problems = check_keymap(raw["keymap"], known_ids(), str(path))
    return Config(keymap=keymap, problem="\n".join(problems) or None)
