"""The profile store: atomic writes, locks, quarantine, migration and name safety."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cmgtui import paths
from cmgtui.model import AzureEnvironment, Profile
from cmgtui.profile_file import ProfileDamaged, StoreError
from cmgtui.store import ProfileStore, write_atomic

FIXTURES = Path(__file__).parents[2] / "fixtures"


def test_save_and_load_round_trip_with_private_permissions() -> None:
    store = ProfileStore()
    profile = store.create("lab")
    profile.region = "westus"
    profile.environment = AzureEnvironment.PUBLIC
    store.save(profile)

    loaded = store.load("lab")
    assert loaded.region == "westus"
    assert loaded.environment is AzureEnvironment.PUBLIC
    assert stat.S_IMODE(paths.profile_file("lab").stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.profiles_dir().stat().st_mode) == 0o700


def test_crash_between_write_and_replace_keeps_old_file(monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProfileStore()
    profile = store.create("crashy")
    profile.region = "eastus"
    store.save(profile)

    def crash(*_args: object) -> None:
        raise OSError("power cut")

    profile.region = "westeurope"
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", crash)
        with pytest.raises(OSError):
            store.save(profile)

    assert store.load("crashy").region == "eastus"
    leftovers = [p.name for p in paths.profiles_dir().iterdir() if p.suffix == ".tmp"]
    assert leftovers == []


def test_process_killed_mid_save_loses_nothing(cmgtui_home: Path) -> None:
    store = ProfileStore()
    profile = store.create("killed")
    profile.region = "eastus"
    store.save(profile)
    script = (
        "import os\n"
        "from cmgtui.store import ProfileStore\n"
        "s = ProfileStore(); p = s.load('killed'); p.region = 'westus2'\n"
        "os.replace = lambda *a: os._exit(9)\n"
        "s.save(p)\n"
    )
    env = {**os.environ, "CMGTUI_HOME": str(cmgtui_home)}
    done = subprocess.run([sys.executable, "-c", script], env=env, check=False)
    assert done.returncode == 9
    assert store.load("killed").region == "eastus"


def test_second_session_opens_read_only_until_first_closes() -> None:
    store = ProfileStore()
    store.create("shared")
    first = store.open("shared")
    second = store.open("shared")
    assert not first.read_only
    assert second.read_only
    first.close()
    third = store.open("shared")
    assert not third.read_only
    third.close()


def test_open_profile_cannot_be_renamed_or_deleted() -> None:
    store = ProfileStore()
    store.create("busy")
    session = store.open("busy")
    with pytest.raises(StoreError, match="open in another"):
        store.delete("busy")
    with pytest.raises(StoreError, match="open in another"):
        store.rename("busy", "other")
    session.close()
    store.rename("busy", "other")
    assert not store.exists("busy") and store.load("other").name == "other"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2, 3]", "does not hold a profile"),
        (b'{"schema_version": 99, "name": "damaged"}', "newer cmgtui"),
        (b'{"schema_version": 2, "name": "damaged", "environment": "Mars"}', "environment"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
    ],
)
def test_damaged_file_is_quarantined_and_left_untouched(content: bytes, reason: str) -> None:
    path = paths.profile_file("damaged")
    write_atomic(path, content)
    with pytest.raises(ProfileDamaged, match=reason) as caught:
        ProfileStore().load("damaged")
    assert path.read_bytes() == content
    assert caught.value.quarantined is not None
    assert caught.value.quarantined.read_bytes() == content
    assert str(caught.value.quarantined) in str(caught.value)


def test_v1_fixture_migrates_to_current_schema() -> None:
    write_atomic(paths.profile_file("legacy"), (FIXTURES / "profile_v1.json").read_bytes())
    profile = ProfileStore().load("legacy")
    assert profile.schema_version == 3
    assert profile.environment is AzureEnvironment.US_GOVERNMENT
    assert profile.region == "usgovvirginia"
    assert profile.gateway.vm_instances == 2
    assert profile.site.site_code == "ABC"
    assert profile.site.cmgcp_servers == ["cmgcp01.contoso.com"]
    assert profile.certificate.service_name == "GraniteFalls.contoso.com"
    assert profile.checklist.region.confirmed
    assert profile.checklist.region.note == "closest to our data centre"
    assert not profile.checklist.vm_instances.confirmed
    assert profile.optional_feature_enabled


def test_list_is_most_recent_first() -> None:
    store = ProfileStore()
    for name in ("old", "middle", "new"):
        store.create(name)
    for age, name in enumerate(("new", "middle", "old")):
        os.utime(paths.profile_file(name), (1_700_000_000 - age * 100,) * 2)
    assert [info.name for info in store.list()] == ["new", "middle", "old"]


def test_duplicate_copies_values_under_a_new_name() -> None:
    store = ProfileStore()
    original = store.create("prod")
    original.region = "uksouth"
    store.save(original)
    copy = store.duplicate("prod", "prod copy")
    assert copy.region == "uksouth"
    assert store.load("prod copy").name == "prod copy"
    with pytest.raises(StoreError, match="already exists"):
        store.duplicate("prod", "prod copy")


@pytest.mark.parametrize(
    "name", ["../evil", "a/b", "..", ".hidden", "", "   ", "x" * 65, "con", "nul.txt", "trail.", "a\\b"]
)
def test_names_that_could_escape_or_misbehave_are_refused(name: str) -> None:
    with pytest.raises(paths.InvalidProfileName):
        paths.profile_file(name)


def test_saved_file_is_plain_json_with_schema_version() -> None:
    store = ProfileStore()
    store.create("plain")
    data = json.loads(paths.profile_file("plain").read_text())
    assert data["schema_version"] == 3
    assert Profile.model_validate(data).name == "plain"


@pytest.mark.parametrize("fixture", ["profile_v2_complete", "profile_v2_new"])
def test_todays_profiles_open_unchanged_as_a_standalone_primary(fixture: str) -> None:
    """Files written by the single-site cmgtui (schema 2, saved before the hierarchy existed,
    with the rule results that cmgtui gave them) open as a standalone primary with their one
    site, and every rule says what it said before; the hierarchy rules only join in."""
    from datetime import UTC, datetime

    from cmgtui.domain import hierarchy
    from cmgtui.domain.rules import checks
    from cmgtui.model import TopLevelSite

    raw = (FIXTURES / f"{fixture}.json").read_bytes()
    name = json.loads(raw)["name"]
    write_atomic(paths.profile_file(name), raw)
    profile = ProfileStore().load(name)
    assert profile.schema_version == 3
    assert profile.hierarchy.top_level is TopLevelSite.STANDALONE_PRIMARY
    assert profile.hierarchy.child_primaries == [] and profile.hierarchy.secondaries == []
    assert hierarchy.site_count(profile) == 1
    before = json.loads(raw)
    assert profile.site.model_dump(mode="json") == before["site"]
    gateway = profile.gateway.model_dump(mode="json")
    # the one new gateway value, Part 4's cost assumptions, starts at cost.md's figures
    assert gateway.pop("cost") == {"mb_per_client": 100, "content_stored_gb": 0, "content_downloads_gb": 0}
    assert gateway == before["gateway"]
    assert hierarchy.total_peak_clients(profile) == before["gateway"]["peak_concurrent_clients"]
    assert [(cp.site_code, cp.server) for cp in hierarchy.connection_points(profile)] == [
        (before["site"]["site_code"], server) for server in before["site"]["cmgcp_servers"]]
    said = json.loads((FIXTURES / f"{fixture}.rules.json").read_text())
    now = [[r.rule, r.status.value, r.message]
           for r in checks.evaluate(profile, now=datetime(2026, 6, 1, tzinfo=UTC))]
    assert [r for r in now if not r[0].startswith("HIER-")] == said
    ProfileStore().save(profile)
    assert json.loads(paths.profile_file(name).read_text())["hierarchy"]["top_level"] == "standalone_primary"


def test_a_todays_complete_profile_writes_the_same_script() -> None:
    from cmgtui.domain.powershell import generate_script

    raw = json.loads((FIXTURES / "profile_v2_complete.json").read_text())
    write_atomic(paths.profile_file("today-complete"), json.dumps(raw).encode())
    profile = ProfileStore().load("today-complete")
    profile.name = "public-entra-2309"  # the golden file's profile, saved by the single-site cmgtui
    golden = Path(__file__).parents[1] / "powershell" / "golden" / "public-entra-2309.ps1"
    assert generate_script(profile, tool_version="test") == golden.read_text(encoding="utf-8")
