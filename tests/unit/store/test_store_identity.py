"""The file is the identity: names, locks, logs and temp files follow the file, never its content."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from cmgtui import activity, paths
from cmgtui.profile_file import StoreError
from cmgtui.store import ProfileStore


def _make(name: str, region: str = "westus") -> None:
    store = ProfileStore()
    profile = store.create(name)
    profile.region = region
    store.save(profile)


def test_a_hand_made_copy_never_writes_over_the_original() -> None:
    """Issue 13's first attack: copy shared.json to copy.json, open both, save the copy."""
    _make("shared", "eastus")
    folder = paths.profiles_dir()
    (folder / "copy.json").write_bytes((folder / "shared.json").read_bytes())
    store = ProfileStore()
    holder = store.open("shared")
    original = (folder / "shared.json").read_bytes()
    try:
        second = store.open("copy")
        assert not second.read_only and second.profile.name == "copy"
        assert second.notices and "'shared'" in second.notices[0]
        second.profile.region = "westeurope"
        store.save(second.profile)
        activity.append(second.profile.name, "profile", "changed the region")
        second.close()
    finally:
        holder.close()
    assert (folder / "shared.json").read_bytes() == original
    assert json.loads((folder / "copy.json").read_text())["region"] == "westeurope"
    assert json.loads((folder / "copy.json").read_text())["name"] == "copy"
    assert paths.activity_log("copy").exists() and not paths.activity_log("shared").exists()


def test_a_matching_name_gives_no_notice() -> None:
    _make("plain")
    opened = ProfileStore().open("plain")
    opened.close()
    assert opened.notices == ()


def test_lock_files_are_private_and_go_with_rename_and_delete() -> None:
    old_umask = os.umask(0o022)
    try:
        _make("first")
        session = ProfileStore().open("first")
        assert stat.S_IMODE(paths.profile_lock("first").stat().st_mode) == 0o600
        session.close()
    finally:
        os.umask(old_umask)
    activity.append("first", "profile", "hello")
    store = ProfileStore()
    store.rename("first", "second")
    assert not paths.profile_lock("first").exists()
    assert not paths.profile_file("first").exists() and paths.activity_log("second").exists()
    store.delete("second")
    assert sorted(p.name for p in paths.profiles_dir().iterdir()) == []


def test_opening_a_missing_profile_leaves_no_lock_file() -> None:
    with pytest.raises(StoreError, match="does not exist"):
        ProfileStore().open("ghost")
    assert not paths.profile_lock("ghost").exists()


def test_delete_holds_the_lock_while_it_removes_the_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """A session opening in the middle of a delete must not get a writable profile."""
    _make("doomed")
    seen: list[bool] = []
    real_unlink = Path.unlink

    def unlink_after_a_racing_open(self: Path, missing_ok: bool = False) -> None:
        if self == paths.profile_file("doomed") and not seen:
            racer = ProfileStore().open("doomed")
            seen.append(racer.read_only)
            racer.close()
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink_after_a_racing_open)
    ProfileStore().delete("doomed")
    assert seen == [True]
    assert not paths.profile_file("doomed").exists() and not paths.profile_lock("doomed").exists()


def test_stale_temp_files_go_at_the_next_start_unless_a_session_holds_the_profile() -> None:
    _make("idle")
    _make("busy")
    folder = paths.profiles_dir()
    session = ProfileStore().open("busy")  # its own save in progress may have a temp file
    stale = [folder / ".idle.json.k1ll3d_a.tmp", folder / ".busy.json.s4v1ng_b.tmp"]
    for path in stale:
        path.write_bytes(b"half a profile")
    unrelated = folder / ".notes.txt.abc.tmp"
    unrelated.write_bytes(b"not ours")
    try:
        ProfileStore().list()
        assert not stale[0].exists() and stale[1].exists()
    finally:
        session.close()
    ProfileStore().list()
    assert not stale[1].exists() and unrelated.exists()


def test_opening_removes_that_profiles_temp_files() -> None:
    _make("mine")
    leftover = paths.profiles_dir() / ".mine.json.abcdefgh.tmp"
    leftover.write_bytes(b"{")
    ProfileStore().open("mine").close()
    assert not leftover.exists()


def test_create_import_and_duplicate_refuse_a_name_another_session_holds() -> None:
    _make("taken")
    ProfileStore().delete("taken")
    holder_lock = ProfileStore()._lock("taken")  # a session about to create 'taken'
    holder_lock.acquire()
    try:
        with pytest.raises(StoreError, match="open in another"):
            ProfileStore().create("taken")
    finally:
        holder_lock.release()
    assert ProfileStore().create("taken").name == "taken"
