"""A rotated client secret is never lost: Day two's "New secret" killed at every step, then run again.

The gap (issue 19): a rotation killed after the new secret's file was written but before the
profile recorded its key ID made the next run remove that key as undelivered, leaving the file
the user chose holding a dead secret. Now the file is recorded in the operations journal before
Graph's ``addPassword`` is sent, and the next run adopts the key the file holds, recognised by the
``hint`` Graph keeps of every password: "Contains the first three characters of the password"
(microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/resources/passwordcredential.md).

A real process runs the rotation service (what the Day two pane runs) against the session's
sandbox tenant and records the result in the profile; it is killed with SIGKILL while the
sandbox holds one Graph request (performed or not), or right after the file was written. Then
the rotation runs again. Afterwards every secret of the rotation that exists in the tenant
exists, whole, in the file the user chose for it, and the profile knows it; no file holds a
secret the tenant no longer has.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import multiprocessing
import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from cmgtui.cloud.app_registration import AppSpec, create_apps
from cmgtui.cloud.credentials import SignInMethod, open_session
from cmgtui.cloud.graph import GraphGateway
from cmgtui.cloud.journal import OperationsJournal
from cmgtui.cloud.secret_rotation import ROTATION_SECRET_NAME
from cmgtui.commands.common import run_signed_in, save_profile_change
from cmgtui.domain.runbooks.rotate_secret import pending_rotation
from cmgtui.model.enums import EntraPath
from cmgtui.sandbox import server as sandbox_server
from cmgtui.sandbox.server import SandboxServer
from cmgtui.services import rotate_secret
from cmgtui.store import ProfileStore

from .test_secret_delivery import Gate, KillPoint, _server_keys

PRELOAD_PACKAGES = ("cmgtui", "msgraph", "kiota", "azure", "msal", "httpx", "httpcore", "anyio")
#: The log line after which the file holds the secret and the profile does not know it yet.
AFTER_THE_FILE = "Secret written to"


def _rotate(name: str, secret_file: Path, pause_marker: Path | None = None) -> None:
    """Day two's "New secret" for profile ``name``: the service adds the secret (written to
    ``secret_file`` first), then the profile records it. With ``pause_marker`` the run stops right
    after the file was written, says so by creating the marker, and waits to be killed."""
    profile = ProfileStore().load(name)

    async def job(session: Any, log: Any) -> rotate_secret.SecretAdded:
        def logged(line: str) -> None:
            log(line)
            if pause_marker is not None and line.startswith(AFTER_THE_FILE):
                pause_marker.touch()
                time.sleep(120)

        async with GraphGateway(session) as graph:
            return await rotate_secret.add_secret(graph, profile, secret_file, log=logged)

    added = asyncio.run(run_signed_in(profile, True, None, None, job))
    save_profile_change(name, lambda saved: rotate_secret.record_added(saved, added))


def _child(env: dict[str, str], name: str, secret_file: str, marker: str, stderr: str) -> None:
    os.environ.clear()
    os.environ.update(env)
    fd = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    _rotate(name, Path(secret_file), Path(marker) if marker else None)
    os._exit(0)


def _new_imported_app(sandbox: SandboxServer, tmp_path: Path) -> None:
    """Profile "ops" whose imported server app has one secret, the site's current one."""

    async def make() -> Any:
        assert sandbox.ca_path is not None
        session = open_session(SignInMethod.SANDBOX, sandbox_url=sandbox.url, ca_path=sandbox.ca_path)
        async with GraphGateway(session) as graph:
            return await create_apps(graph, AppSpec(secret_months=12), OperationsJournal(tmp_path / "made.jsonl"))

    made = asyncio.run(make())
    profile = ProfileStore().create("ops")
    profile.entra.path = EntraPath.IMPORT
    server = profile.entra.server_app
    server.object_id, server.app_id = made.apps.server.object_id, made.apps.server.app_id
    server.secret_key_id = made.secret.key_id
    server.secret_expiry = datetime.fromisoformat(made.secret.end_date_time)
    ProfileStore().save(profile)


@pytest.fixture
def tenant(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> SandboxServer:
    """The sandbox without replication lag, attached to by every run of the test, with "ops"."""
    sandbox.reset()
    sandbox.state.scenario.behaviour.replication_reads = 0
    assert sandbox.ca_path is not None
    monkeypatch.setenv("CMGTUI_SANDBOX_URL", sandbox.url)
    monkeypatch.setenv("CMGTUI_SANDBOX_CA", str(sandbox.ca_path))
    _new_imported_app(sandbox, tmp_path)
    return sandbox


@pytest.fixture(scope="module")
def forkserver(sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory,
               ) -> multiprocessing.context.ForkServerContext:
    """A fork server that has imported every module a whole rotation imports (one warm-up run)."""
    home = tmp_path_factory.mktemp("warm-home")
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(io.StringIO()):
        patch.setenv("CMGTUI_HOME", str(home))
        patch.setenv("CMGTUI_SANDBOX_URL", sandbox.url)
        patch.setenv("CMGTUI_SANDBOX_CA", str(sandbox.ca_path))
        sandbox.reset()
        _new_imported_app(sandbox, home)
        _rotate("ops", home / "warm.txt")
    sandbox.reset()
    modules = sorted(name for name in sys.modules if name.split(".")[0].startswith(PRELOAD_PACKAGES))
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(modules)
    return context


KILL_POINTS: list[KillPoint | str] = [
    KillPoint("GET", "/v1.0/applications/", 1, True, "reading the app before adding"),
    KillPoint("POST", "/addPassword", 1, False, "asking for the secret"),
    KillPoint("POST", "/addPassword", 1, True, "secret added, answer lost"),
    AFTER_THE_FILE,
]


def _killed_run(context: Any, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, point: KillPoint | str,
                secret_file: Path, tmp_path: Path) -> None:
    """Run the rotation in its own process and SIGKILL it at ``point``."""
    marker = tmp_path / "paused"
    stderr = tmp_path / "killed.err"
    gate = Gate(point) if isinstance(point, KillPoint) else None
    original = sandbox_server._Handler._dispatch
    if gate is not None:
        monkeypatch.setattr(sandbox_server._Handler, "_dispatch",
                            lambda handler, request: gate.dispatch(original, handler, request))
    child = context.Process(target=_child, args=(dict(os.environ), "ops", str(secret_file),
                                                 "" if gate else str(marker), str(stderr)))
    child.start()
    try:
        if gate is not None:
            assert gate.reached.wait(120), f"the run never reached {point}: {stderr.read_text()[-2000:]}"
        else:
            deadline = time.monotonic() + 120
            while not marker.exists():
                assert time.monotonic() < deadline and child.is_alive(), stderr.read_text()[-2000:]
                time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        assert child.exitcode == -signal.SIGKILL
    finally:
        if gate is not None:
            gate.release.set()
        if child.is_alive():
            child.kill()
        monkeypatch.setattr(sandbox_server._Handler, "_dispatch", original)


def _whole(path: Path) -> str:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return text.removesuffix("\n") if text.endswith("\n") else ""


def _assert_every_secret_is_in_its_file(sandbox: SandboxServer, files: list[Path], old_key: str) -> None:
    keys = _server_keys(sandbox)
    profile = ProfileStore().load("ops")
    pending = pending_rotation(profile)
    assert old_key in [k["keyId"] for k in keys], "the site's current secret is never touched"
    rotated = [k for k in keys if k["displayName"] == ROTATION_SECRET_NAME]
    assert len(rotated) == 1, f"the tenant holds {len(rotated)} rotation secrets"
    key = rotated[0]
    assert pending is not None and pending.new_key_id == key["keyId"], "the profile knows the new secret"
    holder = Path(pending.secret_file)
    assert holder in files and _whole(holder).startswith(key["hint"]) and len(_whole(holder)) >= 16
    assert holder.stat().st_mode & 0o777 == 0o600
    for other in files:
        if other != holder:
            assert not other.exists(), f"{other} holds a secret the tenant no longer has"
    assert _whole(holder) not in profile.model_dump_json()


@pytest.mark.parametrize("point", KILL_POINTS, ids=[p.label if isinstance(p, KillPoint) else "file written, "
                                                     "profile not yet" for p in KILL_POINTS])
def test_a_rotation_killed_at_any_step_leaves_every_secret_in_the_file_chosen_for_it(
        point: KillPoint | str, tenant: SandboxServer, forkserver: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    old_key = ProfileStore().load("ops").entra.server_app.secret_key_id
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    _killed_run(forkserver, tenant, monkeypatch, point, first, tmp_path)
    with contextlib.redirect_stderr(io.StringIO()) as err:
        _rotate("ops", second)
    assert "Traceback" not in err.getvalue()
    _assert_every_secret_is_in_its_file(tenant, [first, second], old_key)
    if point == AFTER_THE_FILE:
        assert first.exists() and not second.exists(), "the secret the first run wrote is kept, none added"
        assert "kept as the new secret" in err.getvalue()
