"""config.toml: a missing file gives defaults; a bad one is reported, ignored, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmgtui.config import load_config

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
