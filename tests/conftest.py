"""Shared fixtures: every test runs with its own CMGTUI_HOME so nothing touches real data."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def cmgtui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, private cmgtui home for the test."""
    home = tmp_path / "cmgtui-home"
    monkeypatch.setenv("CMGTUI_HOME", str(home))
    return home
