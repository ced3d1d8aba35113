"""config.toml: a missing file gives defaults; a bad one is reported, ignored, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmgtui.config import load_config, save_theme

KNOWN_IDS = {"nav_next", "help"}


def _known() -> set[str]:
    return KNOWN_IDS


def _write(home: Path, content: bytes) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_bytes(content)
    return path


def test_missing_file_gives_the_default_keys(cmgtui_home: Path) -> None:
    config = load_config(_known)
    assert config.keymap == {} and config.problem is None


def test_keymap_is_read(cmgtui_home: Path) -> None:
    _write(cmgtui_home, b'[keymap]\nnav_next = "ctrl+n"\nhelp = "f1,question_mark"\n')
    config = load_config(_known)
    assert config.keymap == {"nav_next": "ctrl+n", "help": "f1,question_mark"} and config.problem is None


@pytest.mark.parametrize(("content", "says"), [
    (b'[keymap\nnav_next = "ctrl+n"\n', "could not be read"),
    (b'\xff\xfe[keymap]\n', "could not be read"),
    (b'keymap = "ctrl+n"\n', "[keymap] must be a table of binding ids and keys"),
    (b'[keymap]\nnav_next = 3\n', "[keymap] nav_next is 3, not a key string"),
    (b'[keymap]\nno_such_id = "f5"\n', "[keymap] no_such_id is not a binding id"),
])
def test_a_bad_file_is_reported_with_its_path_and_ignored(cmgtui_home: Path, content: bytes, says: str) -> None:
    path = _write(cmgtui_home, content)
    config = load_config(_known)
    assert config.keymap == {}
    assert config.problem is not None and str(path) in config.problem and says in config.problem
    assert "Traceback" not in config.problem
    assert path.read_bytes() == content  # never rewritten


@pytest.mark.parametrize(("content", "says"), [
    (b'theme = "dark"\n', "theme is not a setting cmgtui knows ([keymap], [ui])"),
    (b'[keymp]\nnav_next = "ctrl+n"\n', "keymp is not a setting cmgtui knows"),
    (b'[keymap]\nnav_next = ""\n', "[keymap] nav_next = '' holds '', not a key name"),
    (b'[keymap]\nnav_next = "ctrl+n, !!"\n', "[keymap] nav_next = 'ctrl+n, !!' holds '!!'"),
    (b'[keymap]\n[keymap.nav_next]\na = 1\n', "[keymap] nav_next is {'a': 1}, not a key string"),
    (b'keymap = ["ctrl+n"]\n', "[keymap] must be a table of binding ids and keys"),
])
def test_an_unknown_key_or_bad_value_is_named_with_the_file(cmgtui_home: Path, content: bytes, says: str) -> None:
    """The file is read with a pydantic model that forbids unknown keys: each problem names the
    file and the key, in the user's terms (no exception or pydantic type names)."""
    path = _write(cmgtui_home, content)
    config = load_config(_known)
    assert config.keymap == {}
    assert config.problem is not None and config.problem.startswith(f"{path}: ") and says in config.problem
    for leaked in ("ValidationError", "extra_forbidden", "Input should", "pydantic", "Traceback"):
        assert leaked not in config.problem


def test_the_usable_entries_still_apply_beside_bad_ones(cmgtui_home: Path) -> None:
    path = _write(cmgtui_home, b'colour = 1\n[keymap]\nnav_next = " ctrl+n , f6"\nhelp = 3\nno_such_id = "f5"\n')
    config = load_config(_known)
    assert config.keymap == {"nav_next": "ctrl+n,f6"}
    assert config.problem is not None
    lines = config.problem.splitlines()
    assert len(lines) == 3 and all(line.startswith(f"{path}: ") and line.endswith("; ignored.") for line in lines)


# -- [ui] theme -------------------------------------------------------------------------------

def test_the_theme_is_read(cmgtui_home: Path) -> None:
    _write(cmgtui_home, b'[ui]\ntheme = "nord"\n')
    config = load_config(_known)
    assert config.theme == "nord" and config.problem is None


@pytest.mark.parametrize(("content", "says"), [
    (b'[ui]\ntheme = 3\n', "[ui] theme is 3, not a theme name"),
    (b'[ui]\ncolour = "red"\n', "[ui] colour is not a setting cmgtui knows (theme)"),
    (b'ui = "nord"\n', "[ui] must be a table"),
])
def test_a_bad_ui_table_is_named_and_ignored(cmgtui_home: Path, content: bytes, says: str) -> None:
    path = _write(cmgtui_home, content)
    config = load_config(_known)
    assert config.theme is None and config.problem is not None
    assert says in config.problem and str(path) in config.problem


def test_saving_the_theme_creates_the_file(cmgtui_home: Path) -> None:
    assert save_theme("nord") is None
    assert load_config(_known).theme == "nord"


def test_saving_the_theme_keeps_the_users_comments_keys_and_layout(cmgtui_home: Path) -> None:
    mine = (b'# my keys\n[keymap]\nnav_next = "ctrl+n"  # faster\n\n[ui]\ntheme = "gruvbox"\n')
    path = _write(cmgtui_home, mine)
    assert save_theme("nord") is None
    assert path.read_bytes() == mine.replace(b'"gruvbox"', b'"nord"')
    config = load_config(_known)
    assert config.theme == "nord" and config.keymap == {"nav_next": "ctrl+n"}


@pytest.mark.parametrize(("content", "says"), [
    (b'[keymap\n', "is not valid TOML"),
    (b'ui = 3\n', "ui is not a table"),
    (b'\xff\xfe', "is not UTF-8 text"),
])
def test_a_file_cmgtui_cannot_read_is_never_replaced(cmgtui_home: Path, content: bytes, says: str) -> None:
    path = _write(cmgtui_home, content)
    problem = save_theme("nord")
    assert problem is not None and says in problem and "not saved" in problem
    assert path.read_bytes() == content
