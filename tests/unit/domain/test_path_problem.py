"""The one path check behind every path field and prompt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cmgtui.domain.validate import PathUse, path_problem


def test_empty_names_what_is_wanted() -> None:
    assert path_problem("  ", PathUse.READ, "a root CA certificate (.cer)") == \
        "Enter the path of a root CA certificate (.cer)."


def test_read_needs_an_existing_readable_file(tmp_path: Path) -> None:
    cer = tmp_path / "root.cer"
    assert "doesn't exist; check the path" in (path_problem(str(cer), PathUse.READ) or "")
    cer.write_text("x")
    assert path_problem(str(cer), PathUse.READ) is None
    assert "is a folder" in (path_problem(str(tmp_path), PathUse.READ) or "")
    if os.geteuid() != 0:  # root reads any file
        cer.chmod(0)
        assert "can't be read" in (path_problem(str(cer), PathUse.READ) or "")


@pytest.mark.parametrize("use", [PathUse.WRITE, PathUse.CREATE])
def test_a_file_to_write_needs_an_existing_folder(tmp_path: Path, use: PathUse) -> None:
    assert path_problem(str(tmp_path / "script.ps1"), use) is None
    assert "doesn't exist" in (path_problem(str(tmp_path / "nope" / "script.ps1"), use) or "")
    assert "is a folder" in (path_problem(str(tmp_path), use) or "")


def test_only_create_refuses_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "secret.txt"
    existing.write_text("old")
    assert path_problem(str(existing), PathUse.WRITE) is None
    assert "already exists" in (path_problem(str(existing), PathUse.CREATE) or "")


def test_a_folder_may_be_made_inside_an_existing_one(tmp_path: Path) -> None:
    assert path_problem(str(tmp_path / "handoff"), PathUse.FOLDER) is None
    assert path_problem(str(tmp_path), PathUse.FOLDER) is None
    assert "name a folder in an existing one" in (path_problem(str(tmp_path / "a" / "b"), PathUse.FOLDER) or "")
    (tmp_path / "file").write_text("x")
    assert "is a file; name a folder" in (path_problem(str(tmp_path / "file"), PathUse.FOLDER) or "")
