"""Deterministic set-up for snapshot tests: a private home, UTC local time, no blink."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from cmgtui import paths
from cmgtui.model import AzureEnvironment, Profile, VmSize
from cmgtui.store import ProfileStore
from tests.app.conftest import quiet

FIXED_MTIME = 1_780_000_000  # 2026-05-28, far from any real run's clock


@contextmanager
def local_time_in_utc() -> Iterator[None]:
    """Local time is UTC inside the block (timestamps on screen do not depend on the host).

    The C library reads ``TZ`` only on ``time.tzset()``, so the previous zone is put back and
    re-read afterwards: later tests in the same process see the host's zone again.
    """
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = previous
        time.tzset()


@pytest.fixture(autouse=True)
def utc_local_time() -> Iterator[None]:
    """Every snapshot is taken in UTC local time."""
    with local_time_in_utc():
        yield


@pytest.fixture
def relative_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home given as the relative path ``cmgtui-home`` from the test's own folder.

    For screens that show the home path: the text on screen is the same in every run while the
    folder itself stays private to the test.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CMGTUI_HOME", "cmgtui-home")
    return tmp_path / "cmgtui-home"


def contoso_profile(name: str = "contoso") -> Profile:
    """A believable half-finished plan, the same in every snapshot."""
    profile = Profile(name=name, environment=AzureEnvironment.PUBLIC, region="westus")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.gateway.peak_concurrent_clients = 12_000
    profile.gateway.vm_size = VmSize.STANDARD
    profile.gateway.vm_instances = 2
    profile.site.cmgcp_servers = ["cmgcp01.contoso.com"]
    profile.site.site_version = 2309
    profile.checklist.environment.confirmed = True
    profile.checklist.region.confirmed = True
    profile.checklist.region.note = "closest to the main office"
    return profile


def save_profiles(*profiles: Profile) -> None:
    """Save profiles with fixed modification times (newest first in the given order)."""
    store = ProfileStore()
    for age, profile in enumerate(profiles):
        store.save(profile)
        stamp = FIXED_MTIME - age * 3600
        os.utime(paths.profile_file(profile.name), (stamp, stamp))


async def settle(pilot: Pilot) -> None:
    """Stop cursor blinking and wait until what the last key started has finished."""
    await quiet(pilot)
    for editor in pilot.app.query(Input):
        editor.cursor_blink = False
    for screen in pilot.app.screen_stack:
        for editor in screen.query(Input):
            editor.cursor_blink = False
    await pilot.pause()
