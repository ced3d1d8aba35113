"""Deterministic set-up for snapshot tests: fixed home folder, clock-free content, no blink."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from cmgtui import paths
from cmgtui.model import AzureEnvironment, Profile, VmSize
from cmgtui.store import ProfileStore

SNAPSHOT_HOME = Path("/tmp/cmgtui-snapshot-home")
FIXED_MTIME = 1_780_000_000  # 2026-05-28, far from any real run's clock


@pytest.fixture(autouse=True)
def snapshot_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fixed CMGTUI_HOME (its path is shown on screen) and UTC local time."""
    shutil.rmtree(SNAPSHOT_HOME, ignore_errors=True)
    monkeypatch.setenv("CMGTUI_HOME", str(SNAPSHOT_HOME))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield SNAPSHOT_HOME
    shutil.rmtree(SNAPSHOT_HOME, ignore_errors=True)


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
    """Stop cursor blinking and let pending refreshes run."""
    await pilot.pause()
    for editor in pilot.app.query(Input):
        editor.cursor_blink = False
    for screen in pilot.app.screen_stack:
        for editor in screen.query(Input):
            editor.cursor_blink = False
    await pilot.pause()
