"""User configuration: key map overrides and the theme, in ``config.toml``.

Example::

    [keymap]
    nav_next = "ctrl+n"
    help = "f1,question_mark"

    [ui]
    theme = "nord"

Keys are binding ids (the help screen lists them); values are Textual key names, several
separated by commas. ``[ui] theme`` is written by cmgtui when a theme is chosen (command
palette, "Theme") with :func:`save_theme`, which changes that one value and keeps the
rest of the file as the user wrote it, comments included. The file's shape is the pydantic model :class:`ConfigFile`
(``extra="forbid"``: a key cmgtui does not know is an error, not silently ignored). Every
problem is reported naming the file and the key (an unknown setting, a value that is not a
key, a binding id that does not exist) and that entry is ignored: the rest of the file still
applies and the app starts, never fatal. The file is read through :mod:`cmgtui.safe_read`, so
a FIFO or device in its place cannot stall the start.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, ValidationError

from cmgtui import paths
from cmgtui.safe_read import ReadRefused, read_checked

MAX_CONFIG_BYTES = 1024 * 1024

#: A Textual key name: letters, digits, '_' and '+' (e.g. ctrl+n, f1, question_mark).
_KEY_NAME = re.compile(r"^[a-z0-9_+]+$|^.$")


def _key_list(value: str) -> str:
    """``value`` as a clean comma-separated list of key names; ValueError naming the bad ones."""
    keys = [key.strip() for key in value.split(",")]
    bad = [key for key in keys if not key or not _KEY_NAME.match(key)]
    if bad:
        raise ValueError(f"holds {', '.join(repr(k) for k in bad)}, not a key name such as ctrl+n or f5")
    return ",".join(keys)


KeyList = Annotated[StrictStr, AfterValidator(_key_list)]


class UiSettings(BaseModel):
    """``[ui]``: how the app looks."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when a config file is read

    theme: StrictStr | None = Field(default=None, description="a Textual theme name, as the palette lists them")


class ConfigFile(BaseModel):
    """What ``config.toml`` may hold."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when a config file is read

    keymap: dict[str, KeyList] = Field(default_factory=dict,
                                       description="binding id -> key names, comma-separated")
    ui: UiSettings = Field(default_factory=UiSettings)


@dataclass
class Config:
    """What was read from the configuration file, plus any problem found in it."""

    keymap: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    problem: str | None = None


def _shown(value: object) -> str:
    return repr(value)[:60]


def _describe(error: dict[str, Any], raw: dict[str, Any], where: str) -> str:
    """One line naming the file and the key of a validation error, in the user's terms."""
    loc = error["loc"]
    if loc[0] == "ui" and (len(loc) > 1 or error["type"] != "extra_forbidden"):
        if len(loc) == 1:
            return f"{where}: [ui] must be a table such as theme = \"nord\"; ignored."
        if error["type"] == "extra_forbidden" or loc[1] != "theme":
            return f"{where}: [ui] {_shown(loc[1]).strip(chr(39))} is not a setting cmgtui knows (theme); ignored."
        return f"{where}: [ui] theme is {_shown(raw.get('ui', {}).get('theme'))}, not a theme name such as \"nord\"; ignored."
    if error["type"] == "extra_forbidden":
        known = ", ".join(f"[{name}]" for name in ConfigFile.model_fields)
        return f"{where}: {_shown(loc[0]).strip(chr(39))} is not a setting cmgtui knows ({known}); ignored."
    if len(loc) == 1:  # the table itself
        return f"{where}: [{loc[0]}] must be a table of binding ids and keys; ignored."
    binding_id = str(loc[1])
    value = raw.get(loc[0], {}).get(binding_id)
    if isinstance(value, str):
        problem = f"= {_shown(value)} {str(error.get('ctx', {}).get('error', error['msg']))}"
    else:
        problem = f"is {_shown(value)}, not a key string such as \"ctrl+n\""
    return f"{where}: [{loc[0]}] {binding_id} {problem}; ignored."


def parse_config(raw: dict[str, Any], where: str) -> tuple[ConfigFile, list[str]]:
    """The usable part of a parsed ``config.toml`` and one message per entry that can't be used."""
    problems: list[str] = []
    usable = dict(raw)
    for _ in range(len(raw) + sum(len(v) for v in raw.values() if isinstance(v, dict)) + 1):
        try:
            return ConfigFile.model_validate(usable), problems
        except ValidationError as exc:
            for error in exc.errors():
                problems.append(_describe(error, usable, where))
                loc = error["loc"]
                if len(loc) >= 2 and isinstance(usable.get(loc[0]), dict):
                    usable[loc[0]] = {k: v for k, v in usable[loc[0]].items() if k != loc[1]}
                else:
                    usable.pop(loc[0], None)
    return ConfigFile(), problems


def check_keymap(keymap: dict[str, str], known_ids: Iterable[str], where: str) -> tuple[dict[str, str], list[str]]:
    """The entries of ``keymap`` that name a binding id, and one message per entry that does not."""
    known = set(known_ids)
    usable = {binding_id: keys for binding_id, keys in keymap.items() if binding_id in known}
    problems = [f"{where}: [keymap] {binding_id} is not a binding id (F1 lists them); ignored."
                for binding_id in keymap if binding_id not in known]
    return usable, problems


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
    except UnicodeDecodeError as exc:
        return Config(problem=f"{path} could not be read (it is not UTF-8 text: byte {exc.start}); "
                      "using default keys.")
    except tomllib.TOMLDecodeError as exc:
        return Config(problem=f"{path} could not be read (not valid TOML: {exc}); using default keys.")
    except RecursionError:
        return Config(problem=f"{path} could not be read (it is nested too deeply); using default keys.")
    settings, problems = parse_config(raw, str(path))
    keymap: dict[str, str] = {}
    if settings.keymap:
        keymap, unknown = check_keymap(settings.keymap, known_ids(), str(path))
        problems += unknown
    return Config(keymap=keymap, theme=settings.ui.theme, problem="\n".join(problems) or None)


def save_theme(theme: str) -> str | None:
    """Record ``theme`` as ``[ui] theme`` in the configuration file, keeping everything else in it
    as written; the problem, in the user's terms, when it could not be (None when saved).

    A file cmgtui cannot read as TOML is left untouched rather than replaced.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from cmgtui.private_files import make_dirs, write_atomic

    path = paths.config_file()
    try:
        text = read_checked(path, limit=MAX_CONFIG_BYTES).decode("utf-8")
    except ReadRefused as exc:
        if exc.code != "missing" or path.is_symlink():
            return f"{path} could not be read ({exc.reason}), so the theme was not saved in it."
        text = ""
    except UnicodeDecodeError:
        return f"{path} is not UTF-8 text, so the theme was not saved in it."
    try:
        document = tomlkit.parse(text)
        ui = document.get("ui")
        if ui is None:
            document["ui"] = {"theme": theme}
        elif isinstance(ui, dict):
            ui["theme"] = theme
        else:
            return f"{path}: ui is not a table, so the theme was not saved in it."
        data = tomlkit.dumps(document).encode("utf-8")
    except (TOMLKitError, RecursionError) as exc:
        return f"{path} is not valid TOML ({exc}), so the theme was not saved in it; fix the file and choose the theme again."
    try:
        make_dirs(path.parent)
        write_atomic(path, data, mode=0o644)
    except OSError as exc:
        return f"The theme could not be saved in {path} ({exc.strerror or exc})."
    return None
