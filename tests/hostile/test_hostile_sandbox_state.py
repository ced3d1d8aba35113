"""The sandbox tenant's state file under attack: damaged or foreign content, and two sandboxes
writing it at once.

A damaged or foreign state is reported in plain words by every front that reads it
(``sandbox show``, ``check --sandbox``, ``entra create --sandbox``, the TUI), copied aside once,
left in place, and replaced only by ``cmgtui sandbox reset``. Two embedded sandboxes in one
CMGTUI_HOME (two ``entra create`` runs at once) keep each other's apps.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmgtui import paths
from cmgtui.app import CmgApp
from cmgtui.cli import main
from cmgtui.sandbox.state import STATE_FILE, TenantState
from cmgtui.store import ProfileStore
from tests.app.conftest import until
from tests.hostile.forked_cli import forked_context, run_cli

SIZE = (100, 30)


def _valid_state() -> dict:  # type: ignore[type-arg]
    return TenantState().to_json()


def _populated_state() -> dict:  # type: ignore[type-arg]
    """A valid state holding one object of every kind (shapes as the sandbox stores them)."""
    state = _valid_state()
    state["applications"] = {"o1": {"id": "o1", "appId": "a1", "displayName": "CMG-Server",
                                    "createdDateTime": "2026-12-07T08:00:00Z",
                                    "identifierUris": ["api://x/y"],
                                    "passwordCredentials": [{"keyId": "k1", "hint": "abc",
                                                             "endDateTime": "2027-12-07T08:00:00Z"}]}}
    state["grants"] = {"g1": {"id": "g1", "clientId": "s1", "resourceId": "s2", "consentType": "AllPrincipals",
                              "scope": "User.Read"}}
    state["app_role_assignments"] = [{"principalId": "s1", "principalDisplayName": "CMG-Server",
                                      "resourceId": "s2", "resourceDisplayName": "Microsoft Graph",
                                      "appRoleId": "r1"}]
    return state


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


#: name -> (file content, words the report must hold)
DAMAGED: dict[str, tuple[bytes, str]] = {
    "not-json": (b'{"version": 1, "applications": {', "not valid JSON"),
    "not-utf8": (b"\xff\xfe\x00{}", "not valid JSON"),
    "a-list": (b"[1, 2, 3]", "does not hold a sandbox tenant"),
    "a-profile": (json.dumps({"schema_version": 4, "name": "lab"}).encode(), "state version None"),
    "wrong-version": (json.dumps({**_valid_state(), "version": 2}).encode(), "state version 2"),
    "version-true": (json.dumps({**_valid_state(), "version": True}).encode(), "state version True"),
    "applications-a-list": (json.dumps({**_valid_state(), "applications": [1]}).encode(),
                            "applications: Input should be a valid dictionary"),
    "provider-wrong-type": (json.dumps({**_valid_state(), "providers": {"s": {"Microsoft.Web": "x"}}}).encode(),
                            "providers.s.Microsoft.Web"),
    "roles-not-strings": (json.dumps({**_valid_state(), "user_roles": [{"a": 1}]}).encode(), "user_roles.0"),
    "scenario-wrong": (json.dumps({**_valid_state(), "scenario": {"no_such_key": 1}}).encode(),
                       "its scenario does not read back"),
    "unknown-key": (json.dumps({**_valid_state(), "extra": 1}).encode(), "extra: Extra inputs are not permitted"),
    "deeply-nested": (f'{{"version": 1, "applications": {{"a": {_nested(100_000)}}}}}'.encode(), "nested"),
}


def _plant(content: bytes) -> Path:
    folder = paths.sandbox_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / STATE_FILE
    path.write_bytes(content)
    return path


def _quarantined() -> list[Path]:
    folder = paths.quarantine_dir()
    return sorted(folder.glob("tenant.*.json")) if folder.is_dir() else []


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_show_check_and_entra_report_a_damaged_state_and_leave_it(
        kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, says = DAMAGED[kind]
    path = _plant(content)
    ProfileStore().create("lab")
    runs = {
        "show": ["sandbox", "show"],
        "show-json": ["sandbox", "show", "--format", "json"],
        "check": ["check", "--sandbox", "--profile", "lab"],
        "entra": ["entra", "create", "--profile", "lab", "--sandbox", "--secret-file", str(tmp_path / "s.txt")],
    }
    for what, argv in runs.items():
        assert main(argv) == 2, what
        out = capsys.readouterr()
        assert "can't be used" in out.err and says in out.err, (what, out.err)
        assert "sandbox reset" in out.err and "Traceback" not in out.err + out.out
        assert path.read_bytes() == content, f"{what} changed the file"
    copies = _quarantined()
    assert len(copies) == 1 and copies[0].read_bytes() == content  # one copy, however often it was met
    assert copies[0].stat().st_mode & 0o777 == 0o600
    assert f"A copy is at {copies[0]}" in out.err
    assert not (tmp_path / "s.txt").exists()
    # only when asked: reset replaces it, says what was wrong, and everything works again
    assert main(["sandbox", "reset"]) == 0
    assert "could not be used" in capsys.readouterr().out
    assert main(["sandbox", "show", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["applications"] == []
    assert path.stat().st_mode & 0o777 == 0o600


def test_exception_names_never_reach_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    for kind, (content, _says) in DAMAGED.items():
        _plant(content)
        assert main(["sandbox", "show"]) == 2
        err = capsys.readouterr().err
        for name in ("TypeError", "KeyError", "RecursionError", "ValidationError", "JSONDecodeError"):
            assert name not in err, (kind, err)


async def test_the_tui_says_the_sandbox_state_is_damaged_and_keeps_running() -> None:
    content = b"{ not json"
    path = _plant(content)
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: any("could not start" in n.message for n in app._notifications))
        (note,) = [n for n in app._notifications if "could not start" in n.message]
        assert "can't be used" in note.message and "cmgtui sandbox reset" in note.message
        assert "Traceback" not in note.message and app.is_running
        assert app.cloud.sandbox is None
    assert path.read_bytes() == content


def test_two_sandboxes_writing_at_once_keep_each_others_apps(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Two ``entra create --sandbox`` runs at once, each with its own embedded sandbox on the same
    state file: all four apps are in the tenant afterwards (the last writer used to win)."""
    store = ProfileStore()
    for name in ("east", "west"):
        profile = store.create(name)
        profile.entra.server_app.display_name = f"CMG-Server-{name}"
        profile.entra.client_app.display_name = f"CMG-Client-{name}"
        profile.entra.server_app.app_id_uri = f"https://contoso.com/cmg-{name}"
        store.save(profile)
    assert main(["sandbox", "reset"]) == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMGTUI_SANDBOX_")}
    context = forked_context()  # two real processes, without two interpreters importing the Graph SDK
    runs = [context.Process(target=run_cli, args=(["entra", "create", "--profile", name, "--sandbox", "--secret-file",
                                                   str(tmp_path / f"{name}.txt"), "--format", "json"], env,
                                                  str(tmp_path / f"{name}.out"), str(tmp_path / f"{name}.err")))
            for name in ("east", "west")]
    try:
        for run in runs:
            run.start()
        for run in runs:
            run.join(180)
    finally:
        for run in runs:
            if run.is_alive():
                run.kill()
    results = [((tmp_path / f"{name}.out").read_text(encoding="utf-8"),
                (tmp_path / f"{name}.err").read_text(encoding="utf-8")) for name in ("east", "west")]
    for run, (out, err) in zip(runs, results, strict=True):
        assert run.exitcode == 0, out + err
    capsys.readouterr()
    assert main(["sandbox", "show", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    names = sorted(app["display_name"] for app in shown["applications"])
    assert names == ["CMG-Client-east", "CMG-Client-west", "CMG-Server-east", "CMG-Server-west"]
    for name, (out, _err) in zip(("east", "west"), results, strict=True):
        created = json.loads(out)
        assert store.load(name).entra.server_app.app_id == created["server_app"]["app_id"]


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                     max_leaves=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(sorted(_populated_state())), key=st.text(max_size=8), value=_JSON)
def test_any_value_in_any_field_is_shown_or_reported(field: str, key: str, value: object,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A saved tenant with any JSON value in any field (or inside any object of it): ``sandbox
    show`` prints it or exits 2 with the plain report, never an exception."""
    state = _populated_state()
    target = state[field]
    if isinstance(target, list) and target and isinstance(target[0], dict):
        target[0][key] = value  # inside a stored object (an app role assignment)
    elif isinstance(target, dict) and target and isinstance(next(iter(target.values())), dict):
        next(iter(target.values()))[key] = value  # inside a stored object (an app, a subscription ...)
    else:
        state[field] = value
    _plant(json.dumps(state).encode())
    code = main(["sandbox", "show", "--format", "json"])
    out = capsys.readouterr()
    assert code in (0, 2)
    assert (code == 0 and json.loads(out.out)) or "can't be used" in out.err
    if code == 0:
        assert main(["sandbox", "show"]) == 0
        capsys.readouterr()
