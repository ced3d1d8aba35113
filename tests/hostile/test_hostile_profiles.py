"""Hostile profile files: every front end reports them, none crashes, hangs or changes them.

Each case plants one corpus file as ``victim.json`` next to a good profile and drives the
store, the picker's summary read and every CLI command that reads profiles, in-process with
a timeout per case (a hang fails the case instead of the run).
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmgtui import activity, paths
from cmgtui.cli import main
from cmgtui.profile_file import ProfileDamaged, ProfileParseError, StoreError, read_profile_summary
from cmgtui.store import ProfileStore, write_atomic
from tests.hostile.corpus import NAMES_INSIDE, REGULAR, SPECIAL, bounded, fingerprint, plant

DAMAGED = [*REGULAR, *SPECIAL]

READ_COMMANDS = [
    ["profiles", "show", "victim"],
    ["profiles", "export", "victim"],
    ["report", "--profile", "victim"],
    ["script", "--profile", "victim"],
    ["check", "--profile", "victim"],
]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def _victim(kind: str, outside: Path) -> Path:
    good = ProfileStore().create("good")
    good.region = "westus"
    ProfileStore().save(good)
    path = paths.profile_file("victim")
    plant(path, kind, outside)
    return path


@pytest.mark.parametrize("kind", DAMAGED)
def test_store_quarantines_with_a_reason_and_leaves_the_file(kind: str, outside: Path) -> None:
    path = _victim(kind, outside)
    before = fingerprint(path)
    with pytest.raises(StoreError) as caught:
        bounded(lambda: ProfileStore().load("victim"))
    message = str(caught.value)
    assert "quarantined: " in message and "Traceback" not in message
    assert isinstance(caught.value, ProfileDamaged)
    assert fingerprint(path) == before
    with pytest.raises(ProfileParseError):
        bounded(lambda: read_profile_summary(path))
    assert "victim" in [info.name for info in bounded(ProfileStore().list)]


@pytest.mark.parametrize("kind", DAMAGED)
@pytest.mark.parametrize("argv", READ_COMMANDS, ids=lambda argv: " ".join(argv[:2]))
def test_every_cli_command_prints_the_reason_and_exits_2(
    kind: str, argv: list[str], outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _victim(kind, outside)
    before = fingerprint(path)
    assert bounded(lambda: main(argv)) == 2
    err = capsys.readouterr().err
    assert "quarantined: " in err and err.count("\n") <= 2
    assert fingerprint(path) == before


@pytest.mark.parametrize("kind", DAMAGED)
def test_profiles_list_shows_damaged_files_with_their_reason(
    kind: str, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _victim(kind, outside)
    before = fingerprint(path)
    assert bounded(lambda: main(["profiles", "list", "--format", "json"])) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["good"]["damaged"] is None
    assert rows["victim"]["damaged"]
    assert fingerprint(path) == before
    assert not (paths.home() / "quarantine").exists() or not list((paths.home() / "quarantine").iterdir())


@pytest.mark.parametrize("kind", sorted(REGULAR))
def test_quarantine_keeps_one_copy_per_content_named_with_the_reason(kind: str, outside: Path) -> None:
    path = _victim(kind, outside)
    for _ in range(3):
        with pytest.raises(ProfileDamaged):
            ProfileStore().load("victim")
    copies = list(paths.quarantine_dir().iterdir())
    assert len(copies) == 1, copies
    assert copies[0].read_bytes() == path.read_bytes()
    assert stat.S_IMODE(copies[0].stat().st_mode) == 0o600
    code = copies[0].name.split(".")[1]
    assert code in {"too-large", "too-deep", "not-json", "not-utf8", "not-a-profile", "schema", "migration", "invalid"}
    path.write_bytes(path.read_bytes() + b" ")  # new damaged content: a second copy
    with pytest.raises(ProfileDamaged):
        ProfileStore().load("victim")
    assert len(list(paths.quarantine_dir().iterdir())) == 2


@pytest.mark.parametrize("kind", SPECIAL)
def test_special_files_are_never_copied_aside(kind: str, outside: Path) -> None:
    _victim(kind, outside)
    with pytest.raises(ProfileDamaged) as caught:
        bounded(lambda: ProfileStore().load("victim"))
    assert caught.value.quarantined is None
    folder = paths.quarantine_dir()
    assert not folder.exists() or list(folder.iterdir()) == []


@pytest.mark.parametrize("kind", sorted(NAMES_INSIDE))
def test_the_file_name_decides_the_profile_name(kind: str, outside: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _victim(kind, outside)
    good_before = fingerprint(paths.profile_file("good"))
    victim_before = fingerprint(paths.profile_file("victim"))
    assert main(["profiles", "show", "victim"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["name"] == "victim"
    assert "note: " in captured.err and "the file name decides" in captured.err
    assert fingerprint(paths.profile_file("victim")) == victim_before  # a read-only command writes nothing
    store = ProfileStore()
    opened = bounded(lambda: store.open("victim"))
    try:
        assert opened.profile.name == "victim"
        assert opened.notices and "the file name decides" in opened.notices[0]
        assert "\x1b" not in opened.notices[0] and "\x00" not in opened.notices[0]
        opened.profile.region = "eastus"
        store.save(opened.profile)
        activity.append(opened.profile.name, "profile", "saved")
    finally:
        opened.close()
    assert store.load("victim").region == "eastus"
    assert fingerprint(paths.profile_file("good")) == good_before
    assert paths.activity_log("victim").exists() and not paths.activity_log("good").exists()
    everything = {p.name for p in paths.home().parent.rglob("*")}
    assert not {"escape", "escape.json", "passwd"} & everything
    assert json.loads(paths.profile_file("victim").read_text())["name"] == "victim"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
PROFILE_KEYS = st.sampled_from(
    ["name", "schema_version", "checklist", "notes", "region", "environment", "site", "certificate", "gateway",
     "entra", "evidence", "drafts", "created", "modified", "azure_environment", "vm_instances", "cmgcp_server"]
)
PROFILE_SHAPES = st.fixed_dictionaries(
    {"schema_version": st.sampled_from([1, 2, 0, 3, "2", None, True])},
    optional={"name": JSON_VALUES},
).flatmap(lambda base: st.dictionaries(PROFILE_KEYS, JSON_VALUES, max_size=6).map(lambda extra: base | extra))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=st.one_of(PROFILE_SHAPES, JSON_VALUES))
def test_any_json_shape_opens_or_is_quarantined(shape: object, cmgtui_home: Path) -> None:
    path = paths.profile_file("fuzzed")
    data = json.dumps(shape).encode()
    write_atomic(path, data)
    try:
        profile = ProfileStore().load("fuzzed")
    except ProfileDamaged as exc:
        assert "quarantined: " in str(exc)
    else:
        assert profile.name == "fuzzed"
        ProfileStore().save(profile)  # what loads must also save
        data = path.read_bytes()
        assert ProfileStore().load("fuzzed").name == "fuzzed"
    assert path.read_bytes() == data


@pytest.mark.parametrize("kind", DAMAGED)
def test_a_damaged_profile_can_be_deleted_without_touching_what_it_points_to(
    kind: str, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _victim(kind, outside)
    targets_before = {p.name: fingerprint(p) for p in outside.iterdir()}
    code = bounded(lambda: main(["profiles", "delete", "victim", "--yes"]))
    err = capsys.readouterr().err
    if kind == "directory":
        assert code == 2 and "remove it by hand" in err and path.is_dir()
    else:
        assert code == 0 and not path.exists() and not path.is_symlink()
    assert {p.name: fingerprint(p) for p in outside.iterdir()} == targets_before
    assert not paths.profile_lock("victim").exists() or kind == "directory"
