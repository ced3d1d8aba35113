"""A damaged operations journal (issue 18): a non-UTF-8 byte, a line whose ``data`` is a string,
garbage. Each is quarantined once with its reason, the resume says what it could not know, and
neither ``cmgtui entra create`` nor Part 2 (which reads the journal when it is built) shows a
traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui import paths
from cmgtui.cli import main
from cmgtui.model import Profile
from cmgtui.model.enums import EntraPath
from cmgtui.sandbox.server import SandboxServer
from cmgtui.store import ProfileStore

DAMAGE = {
    "non-UTF-8 byte": (b'{"at": "x", "op": "\xff", "event": "done"}', "not UTF-8 text"),
    "data is a string": (b'{"at": "x", "op": "OP", "event": "done", "step": "server_app", "data": "oops"}',
                         "'data' is not an object"),
    "garbage": (b"\x00\x01 not a journal line", "not JSON"),
}


def _damaged_journal(name: str, bad: bytes) -> Path:
    """A creation that stopped after its server app was asked for, with one damaged line."""
    path = paths.operations_journal(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    begin = {"at": "2026-01-01T00:00:00+00:00", "op": "OP", "event": "begin", "step": "",
             "data": {"kind": "create_apps", "inputs": {"server_name": "CMG-ServerApp",
                                                         "client_name": "CMG-ClientApp"}}}
    intent = dict(begin, event="intent", step="server_app", data={"name": "CMG-ServerApp"})
    path.write_bytes(b"\n".join([json.dumps(begin).encode(), bad,
                                 json.dumps(intent).encode()]) + b"\n")
    return path


@pytest.mark.parametrize("kind", DAMAGE)
def test_entra_create_quarantines_a_damaged_journal_once_and_says_what_it_lost(
        kind: str, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.reset()
    assert sandbox.ca_path is not None
    monkeypatch.setenv("CMGTUI_SANDBOX_URL", sandbox.url)
    monkeypatch.setenv("CMGTUI_SANDBOX_CA", str(sandbox.ca_path))
    ProfileStore().create("lab")
    bad, reason = DAMAGE[kind]
    _damaged_journal("lab", bad)
    assert main(["entra", "create", "--profile", "lab", "--sandbox", "--secret-file", str(tmp_path / "s.txt")]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"line 2: {reason}" in err and "quarantined" in err and "is not known" in err
    copies = list(paths.quarantine_dir().glob("lab.journal.damaged.*"))
    assert len(copies) == 1 and bad in copies[0].read_bytes()
    assert (tmp_path / "s.txt").exists()
    # Reported once: the next run finds a whole journal and says nothing of it.
    assert main(["entra", "create", "--profile", "lab", "--sandbox", "--secret-file", str(tmp_path / "t.txt")]) == 0
    assert "damaged" not in capsys.readouterr().err
    assert len(list(paths.quarantine_dir().glob("lab.journal.damaged.*"))) == 1


@pytest.mark.app
async def test_part2_opens_on_a_damaged_journal_and_offers_the_resume_with_what_it_lost() -> None:
    from cmgtui.app import CmgApp
    from tests.app.conftest import ready, screen_text

    profile = Profile(name="sandbox", last_screen="entra")
    profile.entra.path = EntraPath.CREATE_HERE
    ProfileStore().save(profile)
    _damaged_journal("sandbox", DAMAGE["data is a string"][0])
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=(120, 50)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        note = str(app.screen.query_one("#p2-pending").render())
        assert "did not finish" in note and "'data' is not an object" in note and "is not known" in note
        assert "Traceback" not in screen_text(app)
