"""A hostile ``config.toml`` is reported and ignored at start-up, never waited on or fatal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cmgtui import paths
from cmgtui.config import load_config
from tests.hostile.corpus import bounded


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "deep", "not-utf8", "huge"])
def test_bad_config_file_gives_default_keys_and_a_reason(kind: str) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    elif kind == "deep":
        path.write_text("a = " + "[" * 5000 + "]" * 5000)
    elif kind == "not-utf8":
        path.write_bytes(b'[keymap]\nhelp = "\xff"\n')
    else:
        path.write_bytes(b"#" * (2 * 1024 * 1024))
    config = bounded(lambda: load_config(set))
    assert config.keymap == {} and config.problem and str(path) in config.problem


def test_missing_config_file_is_silent(cmgtui_home: Path) -> None:
    assert load_config(set).problem is None
