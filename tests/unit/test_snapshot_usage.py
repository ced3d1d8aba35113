"""The unused-snapshot finder of ``tests/conftest.py`` (syrupy skips its own under xdist)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from tests.conftest import unowned_snapshots


def _item(module: Path, name: str, snapshot: bool = True) -> SimpleNamespace:
    return SimpleNamespace(path=module, name=name, fixturenames=["snap_compare"] if snapshot else [])


def test_files_of_collected_modules_without_a_test_are_unused(tmp_path: Path) -> None:
    shell, part1, gone = tmp_path / "test_shell.py", tmp_path / "test_part1.py", tmp_path / "test_gone.py"
    shell.touch()
    part1.touch()
    for folder, names in {"test_shell": ["test_a[80x24]", "test_renamed"], "test_part1": ["test_b"],
                          "test_gone": ["test_c"]}.items():
        (tmp_path / "__snapshots__" / folder).mkdir(parents=True)
        for name in names:
            (tmp_path / "__snapshots__" / folder / f"{name}.svg").touch()
    unused = unowned_snapshots([_item(shell, "test_a[80x24]"), _item(shell, "test_plain", snapshot=False)])
    snapshots = tmp_path / "__snapshots__"
    # test_part1.py exists but was not collected: its files are not judged.
    assert unused == {str(snapshots / "test_shell" / "test_renamed.svg"),
                      str(snapshots / "test_gone" / "test_c.svg")}
    assert not gone.exists()


def test_nothing_is_unused_when_every_file_has_its_test(tmp_path: Path) -> None:
    module = tmp_path / "test_shell.py"
    module.touch()
    (tmp_path / "__snapshots__" / "test_shell").mkdir(parents=True)
    (tmp_path / "__snapshots__" / "test_shell" / "test_a.svg").touch()
    assert unowned_snapshots([_item(module, "test_a")]) == set()
    assert unowned_snapshots([]) == set()
