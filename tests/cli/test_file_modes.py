"""Private by default: every file a command writes is 0600 (umask 022 or not), unless --mode names one."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmgtui import activity, paths
from cmgtui.cli import main
from cmgtui.panes.automation import write_text_file
from cmgtui.private_files import make_dirs
from cmgtui.store import ProfileStore


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The usual umask, which on its own would give 0644 files."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _complete_profile() -> None:
    from tests.unit.powershell.profiles import public_entra_2309  # one the script generator accepts

    profile = public_entra_2309()
    profile.name = "good"
    ProfileStore().save(profile)


@pytest.mark.parametrize(
    "argv",
    [["profiles", "export", "good"], ["report", "--profile", "good"], ["report", "--profile", "good", "--format", "html"],
     ["script", "--profile", "good"]],
    ids=["export", "report", "report-html", "script"],
)
def test_outputs_are_0600_even_over_an_existing_0644_file(argv: list[str], tmp_path: Path) -> None:
    _complete_profile()
    fresh, existing = tmp_path / "fresh.out", tmp_path / "existing.out"
    existing.write_text("old")
    os.chmod(existing, 0o644)
    assert main([*argv, "-o", str(fresh)]) == 0
    assert main([*argv, "-o", str(existing)]) == 0
    assert _mode(fresh) == 0o600 and _mode(existing) == 0o600
    assert existing.read_text(encoding="utf-8-sig") != "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_named_mode_is_honoured_and_a_bad_one_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().create("good")
    target = tmp_path / "shared-report.md"
    assert main(["report", "--profile", "good", "-o", str(target), "--mode", "644"]) == 0
    assert _mode(target) == 0o644
    with pytest.raises(SystemExit) as caught:
        main(["report", "--profile", "good", "-o", str(target), "--mode", "rw-r--r--"])
    assert caught.value.code == 2 and "octal file mode" in capsys.readouterr().err


def test_profile_lock_activity_and_tui_outputs_are_private(tmp_path: Path) -> None:
    ProfileStore().create("good")
    ProfileStore().open("good").close()
    activity.append("good", "profile", "opened")
    folder = make_dirs(tmp_path / "new" / "handoff")
    write_text_file(folder / "script.ps1", "Write-Host hi", "utf-8-sig")
    modes = {
        "profile": _mode(paths.profile_file("good")),
        "lock": _mode(paths.profile_lock("good")),
        "activity": _mode(paths.activity_log("good")),
        "tui script": _mode(folder / "script.ps1"),
        "created folder": _mode(folder),
        "created parent": _mode(tmp_path / "new"),
        "profiles folder": _mode(paths.profiles_dir()),
    }
    assert modes == {"profile": 0o600, "lock": 0o600, "activity": 0o600, "tui script": 0o600,
                     "created folder": 0o700, "created parent": 0o700, "profiles folder": 0o700}
