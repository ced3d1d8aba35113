"""One write lock for every writer of a profile: headless writers at once lose nothing; a
writer that has to give up names who holds the profile; a session re-reads another's write."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cmgtui import paths
from cmgtui.model import Profile
from cmgtui.store import ProfileBusy, ProfileStore


def test_two_writers_at_once_each_keep_their_changes() -> None:
    """Two threads each write 40 evidence keys through ``update``: all 80 are in the file."""
    ProfileStore().create("lab")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        start.wait()
        for i in range(40):
            try:
                ProfileStore().update("lab", lambda p, i=i: p.drafts.__setitem__(f"{tag}{i}", "x"))
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(ProfileStore().load("lab").drafts) == 80


_HOLD = """
import sys, time
from cmgtui.store import ProfileStore
opened = ProfileStore().open("lab")
opened.begin_change()
print("holding", flush=True)
sys.stdin.readline()
opened.close()
"""


def test_a_writer_gives_up_after_waiting_and_names_the_holder() -> None:
    """Another process holds the write lock (a session with an unsaved change): ``update``
    waits the time it is given, then raises ProfileBusy naming that process, and writes nothing."""
    ProfileStore().create("lab")
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, "--flag"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(ProfileBusy) as caught:
            ProfileStore().update("lab", lambda p: setattr(p, "region", "westus"), wait=0.3)
        message = str(caught.value)
        assert f"process {holder.pid} on {socket.gethostname()} (-c --flag)" in message
        assert "Waited 0.3 s" in message and "run this again" in message
        assert ProfileStore().load("lab").region == ""
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    # gone: its note went with it, and the next writer goes straight in
    assert not paths.profile_write_lock("lab").with_name(".lab.write.lock.holder").exists()
    ProfileStore().update("lab", lambda p: setattr(p, "region", "westus"), wait=0)
    assert ProfileStore().load("lab").region == "westus"


def test_a_killed_holder_leaves_the_profile_writable() -> None:
    ProfileStore().create("lab")
    holder = subprocess.Popen([sys.executable, "-c", _HOLD], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    holder.kill()
    holder.wait(timeout=30)
    ProfileStore().update("lab", lambda p: setattr(p, "region", "westus"), wait=5)
    assert ProfileStore().load("lab").region == "westus"


def test_a_session_re_reads_before_its_next_change_instead_of_overwriting() -> None:
    ProfileStore().create("lab")
    opened = ProfileStore().open("lab")
    try:
        same = opened.profile
        ProfileStore().update("lab", lambda p: setattr(p.entra.server_app, "app_id", "from-the-cli"))
        assert opened.changed_on_disk()
        assert opened.begin_change() is True  # re-read
        assert opened.profile is same and same.entra.server_app.app_id == "from-the-cli"
        same.region = "northeurope"
        ProfileStore().save(same)
        opened.note_written()
        opened.end_change()
        assert not opened.changed_on_disk()
    finally:
        opened.close()
    saved = ProfileStore().load("lab")
    assert (saved.region, saved.entra.server_app.app_id) == ("northeurope", "from-the-cli")


def test_update_of_a_missing_profile_says_so_and_leaves_no_lock() -> None:
    with pytest.raises(Exception, match="does not exist"):
        ProfileStore().update("ghost", lambda p: None)
    assert not paths.profile_write_lock("ghost").exists()


def test_the_holder_note_is_private(cmgtui_home: Path) -> None:
    ProfileStore().create("lab")
    opened = ProfileStore().open("lab")
    try:
        opened.begin_change()
        note = paths.profile_write_lock("lab").with_name(".lab.write.lock.holder")
        assert note.stat().st_mode & 0o777 == 0o600
        assert str(os.getpid()) in note.read_text()
        assert isinstance(opened.profile, Profile)
    finally:
        opened.close()
    assert not note.exists()
