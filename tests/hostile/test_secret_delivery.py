"""A client secret is never lost: ``cmgtui entra create`` killed at every journal step, or on a full disk.

The attack (issue 18): killed right after "Client secret added", the tenant kept a secret that no
file held and the rerun added none; on a full disk a 0-byte file was left and the rerun again
added nothing. Here a real ``cmgtui entra create`` process works against the session's sandbox
tenant; the sandbox holds one chosen Graph request (performed or not) while the test kills the
process with SIGKILL, then the command is run again. After every interruption and its rerun,
exactly one secret exists in the tenant, the profile knows its key ID, and exactly one file holds
it (its first characters are the ``hint`` Graph keeps, microsoftgraph/microsoft-graph-docs-contrib
api-reference/v1.0/resources/passwordcredential.md: "Contains the first three characters of the
password"). A full disk is a 4 KiB tmpfs (root only), so the real ``write`` fails with ENOSPC.
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cmgtui import paths
from cmgtui.cli import main
from cmgtui.sandbox import server as sandbox_server
from cmgtui.sandbox.http import graph_error
from cmgtui.sandbox.server import SandboxServer
from cmgtui.store import ProfileStore

#: The packages whose modules the fork server imports once, so each killed process starts with
#: what ``cmgtui entra create`` needs already in memory: the command itself, and the Graph SDK's
#: request builders and models (over a thousand modules it imports lazily, seconds per process).
PRELOAD_PACKAGES = ("cmgtui", "msgraph", "kiota", "azure", "msal", "httpx", "httpcore", "anyio")


def _run_cli(argv: list[str], env: dict[str, str], stderr: str) -> None:
    """The child: ``cmgtui ARGV`` with ``env``, its standard error to the file ``stderr``."""
    os.environ.clear()
    os.environ.update(env)
    fd = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    from cmgtui.cli import main as cli_main

    os._exit(cli_main(argv))


@pytest.fixture(scope="module")
def forkserver(sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory,
               ) -> multiprocessing.context.ForkServerContext:
    """A fork server that has imported every module a full ``cmgtui entra create`` imports.

    One complete run in this process, against the sandbox in a throwaway home, names them; the
    sandbox is reset afterwards, so no test sees that run's apps.
    """
    home = tmp_path_factory.mktemp("warm-home")
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        patch.setenv("CMGTUI_HOME", str(home))
        patch.setenv("CMGTUI_SANDBOX_URL", sandbox.url)
        patch.setenv("CMGTUI_SANDBOX_CA", str(sandbox.ca_path))
        sandbox.reset()
        ProfileStore().create("lab")
        assert main(_create_argv(home / "secret.txt")) == 0
    sandbox.reset()
    modules = sorted(name for name in sys.modules if name.split(".")[0].startswith(PRELOAD_PACKAGES))
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(modules)
    return context


@dataclass(frozen=True)
class KillPoint:
    """Kill the process while the ``occurrence``-th ``method`` request whose path contains
    ``fragment`` is in the sandbox: ``performed`` says whether the tenant changed before it died."""

    method: str
    fragment: str
    occurrence: int
    performed: bool
    label: str


KILL_POINTS = [
    KillPoint("PATCH", "uniqueName=", 1, False, "before the server app exists"),
    KillPoint("PATCH", "uniqueName=", 1, True, "server app made, answer lost"),
    KillPoint("POST", "/addPassword", 1, False, "asking for the secret"),
    KillPoint("POST", "/addPassword", 1, True, "secret added, answer lost"),
    KillPoint("POST", "/v1.0/servicePrincipals", 1, False, "just after the secret was saved"),
    KillPoint("POST", "/v1.0/servicePrincipals", 1, True, "server service principal made"),
    KillPoint("PATCH", "uniqueName=", 2, True, "client app made"),
    KillPoint("PATCH", "/v1.0/applications/", 1, True, "broker redirect set"),
    KillPoint("POST", "/v1.0/servicePrincipals", 2, True, "client service principal made"),
    KillPoint("POST", "/v1.0/oauth2PermissionGrants", 1, True, "first consent granted"),
    KillPoint("POST", "/v1.0/oauth2PermissionGrants", 2, True, "second consent granted"),
    KillPoint("GET", "/v1.0/organization", 3, True, "journal completed, reading the apps back"),
]


class Gate:
    """Holds the request of a :class:`KillPoint` in the sandbox until released."""

    def __init__(self, point: KillPoint) -> None:
        self.point = point
        self.seen = 0
        self.reached = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    def dispatch(self, original: Any, handler: Any, request: Any) -> Any:
        point = self.point
        if request.method == point.method and point.fragment in request.path:
            with self._lock:
                self.seen += 1
                held = self.seen == point.occurrence
            if held:
                response = original(handler, request) if point.performed else None
                self.reached.set()
                self.release.wait(60)
                return response or graph_error(503, "serviceNotAvailable", "The caller went away.")
        return original(handler, request)


@pytest.fixture
def tenant(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    """The sandbox without replication lag, attached to by every ``cmgtui`` run of the test."""
    sandbox.reset()
    sandbox.state.scenario.behaviour.replication_reads = 0
    assert sandbox.ca_path is not None
    monkeypatch.setenv("CMGTUI_SANDBOX_URL", sandbox.url)
    monkeypatch.setenv("CMGTUI_SANDBOX_CA", str(sandbox.ca_path))
    ProfileStore().create("lab")
    yield sandbox


def _create_argv(secret_file: Path) -> list[str]:
    return ["entra", "create", "--profile", "lab", "--sandbox", "--secret-file", str(secret_file)]


def _killed_run(context: Any, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, point: KillPoint,
                secret_file: Path, stderr: Path) -> None:
    """Run ``cmgtui entra create`` in its own process and SIGKILL it at ``point``."""
    gate = Gate(point)
    original = sandbox_server._Handler._dispatch
    monkeypatch.setattr(sandbox_server._Handler, "_dispatch",
                        lambda handler, request: gate.dispatch(original, handler, request))
    child = context.Process(target=_run_cli, args=(_create_argv(secret_file), dict(os.environ), str(stderr)))
    child.start()
    try:
        assert gate.reached.wait(120), f"the run never reached {point.label}: {stderr.read_text()[-2000:]}"
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        assert child.exitcode == -signal.SIGKILL
    finally:
        gate.release.set()
        if child.is_alive():
            child.kill()
        monkeypatch.setattr(sandbox_server._Handler, "_dispatch", original)


def _server_keys(sandbox: SandboxServer) -> list[dict[str, Any]]:
    with sandbox.state.lock:
        servers = [a for a in sandbox.state.applications.values() if a["displayName"] == "CMG-ServerApp"]
        return [dict(p) for a in servers for p in a["passwordCredentials"]]


def _assert_exactly_one_usable_secret(sandbox: SandboxServer, files: list[Path]) -> None:
    """One secret in the tenant, known to the profile, and held by exactly one of ``files``."""
    keys = _server_keys(sandbox)
    assert len(keys) == 1, f"the tenant holds {len(keys)} secrets"
    profile = ProfileStore().load("lab")
    assert profile.entra.server_app.secret_key_id == keys[0]["keyId"]
    holders = [f for f in files if f.exists() and f.read_text(encoding="utf-8").startswith(keys[0]["hint"])]
    assert len(holders) == 1, f"the live secret is in {len(holders)} files"
    text = holders[0].read_text(encoding="utf-8")
    assert len(text.strip()) >= 16 and text.endswith("\n")
    assert holders[0].stat().st_mode & 0o777 == 0o600
    assert text.strip() not in profile.model_dump_json()


@pytest.mark.parametrize("point", KILL_POINTS, ids=[p.label for p in KILL_POINTS])
def test_killed_at_any_step_the_rerun_ends_with_exactly_one_saved_secret(
        point: KillPoint, tenant: SandboxServer, forkserver: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    _killed_run(forkserver, tenant, monkeypatch, point, first, tmp_path / "killed.err")
    assert main(_create_argv(second)) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    _assert_exactly_one_usable_secret(tenant, [first, second])
    # A third run changes nothing: the saved secret is kept, no file is written.
    third = tmp_path / "third.txt"
    assert main(_create_argv(third)) == 0
    assert not third.exists()
    _assert_exactly_one_usable_secret(tenant, [first, second])


def test_killed_after_the_file_was_written_but_before_the_journal_said_so(
        tenant: SandboxServer, forkserver: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The journal is append-only and fsynced per line, so dying between the file's fsync and the
    journal's ``done`` line leaves the journal as it was before that line: the run killed just
    after the secret was saved, with that line (and what followed) taken away."""
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    _killed_run(forkserver, tenant, monkeypatch, KILL_POINTS[4], first, tmp_path / "killed.err")
    journal = paths.operations_journal("lab")
    lines = journal.read_text(encoding="utf-8").splitlines()
    cut = next(i for i, line in enumerate(lines)
               if json.loads(line)["event"] == "done" and json.loads(line)["step"] == "server_secret")
    journal.write_text("\n".join(lines[:cut]) + "\n", encoding="utf-8")
    assert first.exists() and len(_server_keys(tenant)) == 1
    assert main(_create_argv(second)) == 0
    assert "no file received it" in capsys.readouterr().err
    _assert_exactly_one_usable_secret(tenant, [first, second])


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 KiB tmpfs filled to the last byte (needs root; skipped where mounting is not allowed)."""
    mount = tmp_path / "full"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", str(mount)], check=False,
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("mounting a tiny tmpfs needs root")
    try:
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass  # full
        finally:
            os.close(fd)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_removes_the_secret_it_could_not_save_and_says_so(
        tenant: SandboxServer, full_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = full_disk / "secret.txt"
    assert main(_create_argv(target)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "No space left on device" in err
    assert "removed from the server app again" in err
    assert not target.exists(), "no empty or partial secret file is left"
    assert _server_keys(tenant) == [], "no secret exists that no file holds"
    assert ProfileStore().load("lab").entra.server_app.secret_key_id == ""
    elsewhere = tmp_path / "secret.txt"
    assert main(_create_argv(elsewhere)) == 0
    _assert_exactly_one_usable_secret(tenant, [target, elsewhere])
