"""The Autosaver's promise: a slow older snapshot never lands after a newer one."""

from __future__ import annotations

import threading

from cmgtui.autosave import Autosaver
from cmgtui.model import Profile
from cmgtui.store import ProfileStore


def test_snapshots_are_copies_numbered_in_order() -> None:
    saver = Autosaver(ProfileStore())
    profile = Profile(name="plan", region="westus")
    (first, copy), (second, _) = saver.snapshot(profile), saver.snapshot(profile)
    profile.region = "eastus"
    assert (first, second) == (1, 2) and copy.region == "westus"


def test_an_older_snapshot_written_late_is_dropped() -> None:
    store = ProfileStore()
    saver = Autosaver(store)
    profile = Profile(name="plan", region="westus")
    old = saver.snapshot(profile)
    profile.region = "eastus"
    new = saver.snapshot(profile)
    assert saver.write(*new) is True
    assert saver.write(*old) is False  # arrived after the newer one: not written
    assert store.load("plan").region == "eastus"


def test_a_slow_older_write_cannot_overtake_a_newer_one() -> None:
    """The older write is inside ``save`` when the newer one starts: the newer waits, then lands."""
    store = ProfileStore()
    in_save, release = threading.Event(), threading.Event()
    saved: list[str] = []
    real_save = store.save

    def slow_save(profile: Profile) -> None:
        if profile.region == "westus":
            in_save.set()
            assert release.wait(10)
        real_save(profile)
        saved.append(profile.region)

    store.save = slow_save  # type: ignore[method-assign]
    saver = Autosaver(store)
    profile = Profile(name="plan", region="westus")
    old = saver.snapshot(profile)
    profile.region = "eastus"
    new = saver.snapshot(profile)
    older = threading.Thread(target=saver.write, args=old)
    older.start()
    assert in_save.wait(10)
    newer = threading.Thread(target=saver.write, args=new)
    newer.start()
    newer.join(0.2)
    assert newer.is_alive()  # it waits for the older write instead of racing it
    release.set()
    older.join(10)
    newer.join(10)
    assert saved == ["westus", "eastus"]
    assert ProfileStore().load("plan").region == "eastus"
