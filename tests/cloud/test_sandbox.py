"""The sandbox itself: fault syntax, auth, ARM/Graph error shapes, and ``cmgtui sandbox serve``."""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cmgtui.sandbox.faults import FaultPlan, FaultSyntaxError, parse_faults
from cmgtui.sandbox.server import SandboxServer


def _get(sandbox: SandboxServer, path: str, token: str | None = None) -> tuple[int, dict]:
    assert sandbox.ca_path is not None
    context = ssl.create_default_context(cafile=str(sandbox.ca_path))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(sandbox.url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, context=context) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_parse_faults_reads_every_key() -> None:
    plan = parse_faults("latency=200, throttle=3,retry-after=2,errors=1,error-status=503,"
                        "match=/providers/,drop=POST /v1.0/applications,drop-when=before,drop-skip=1")
    assert (plan.latency_ms, plan.throttle, plan.retry_after, plan.errors, plan.error_status) == (
        200, 3, 2, 1, 503)
    assert (plan.match, plan.drop, plan.drop_when, plan.drop_skip) == (
        "/providers/", "POST /v1.0/applications", "before", 1)


@pytest.mark.parametrize("spec, fragment", [
    ("latency", "needs key=value"), ("latency=fast", "whole number"), ("speed=1", "Unknown fault"),
    ("drop-when=later", "before' or 'after"), ("error-status=200", "400-599"), ("throttle=-1", "negative"),
])
def test_parse_faults_rejects_bad_input(spec: str, fragment: str) -> None:
    with pytest.raises(FaultSyntaxError, match=fragment):
        parse_faults(spec)


def test_fault_plan_counts_down_and_honours_match_and_skip() -> None:
    plan = FaultPlan(throttle=1, errors=1, match="/x", drop="POST /v1.0/apps", drop_skip=1)
    assert plan.decide("GET", "/y").status is None
    assert plan.decide("GET", "/x").status == 429
    assert plan.decide("GET", "/x").status == 500
    assert plan.decide("GET", "/x").status is None
    assert not plan.decide("POST", "/v1.0/apps").drop_after
    assert not plan.decide("POST", "/v1.0/apps/1/addPassword").drop_after  # exact path only
    assert plan.decide("POST", "/v1.0/apps").drop_after
    assert not plan.decide("POST", "/v1.0/apps").drop_after
    wildcard = FaultPlan(drop="GET /subscriptions/*", drop_when="before")
    assert not wildcard.decide("GET", "/subscriptions").drop_before
    assert wildcard.decide("GET", "/subscriptions/1/locations").drop_before


def test_requests_without_a_valid_token_get_401_in_each_service_shape(sandbox: SandboxServer) -> None:
    status, body = _get(sandbox, "/subscriptions?api-version=2022-12-01")
    assert status == 401 and body["error"]["code"] == "ExpiredAuthenticationToken"
    status, body = _get(sandbox, "/v1.0/organization", token="made-up")
    assert status == 401 and body["error"]["code"] == "InvalidAuthenticationToken"


def test_arm_requires_api_version(sandbox: SandboxServer) -> None:
    token = sandbox.state.issue_token()
    status, body = _get(sandbox, "/subscriptions", token)
    assert status == 400 and body["error"]["code"] == "MissingApiVersionParameter"


def test_openid_configuration_points_at_the_sandbox(sandbox: SandboxServer) -> None:
    status, body = _get(sandbox, f"/{sandbox.state.tenant_id}/v2.0/.well-known/openid-configuration")
    assert status == 200
    assert body["token_endpoint"] == f"{sandbox.url}/{sandbox.state.tenant_id}/oauth2/v2.0/token"
    assert body["device_authorization_endpoint"].endswith("/oauth2/v2.0/devicecode")


def test_unknown_user_role_is_refused(sandbox: SandboxServer) -> None:
    with pytest.raises(ValueError, match="Unknown directory role"):
        sandbox.state.set_user_roles(["Chief Wizard"])


def test_serve_command_prints_url_and_ca_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = dict(os.environ, CMGTUI_HOME=str(tmp_path), CMGTUI_SANDBOX_FAULTS="latency=1")
    # Ctrl+C as typed in a terminal: the command runs with SIGINT at its default. A suite run as a
    # shell's background job ignores SIGINT (and its children inherit that): the signal would never
    # arrive. A caught signal is reset to its default in the child, an ignored one is not.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "cmgtui", "sandbox", "serve", "--port", "0",
                                 "--role", "Application Developer"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        url_line = proc.stdout.readline()
        ca_line = proc.stdout.readline()
        assert url_line.startswith("Sandbox tenant running at https://127.0.0.1:")
        ca_path = Path(ca_line.split(": ", 1)[1].strip())
        assert ca_path.is_file() and ca_path.parent == tmp_path / "sandbox"
        url = url_line.rsplit(" ", 1)[1].strip()
        context = ssl.create_default_context(cafile=str(ca_path))
        with urllib.request.urlopen(f"{url}/common/discovery/instance", context=context) as answer:
            assert answer.status == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Sandbox stopped." in out and "Traceback" not in err
    assert not ca_path.exists()


def test_serve_command_rejects_bad_faults_in_one_line(tmp_path: Path) -> None:
    env = dict(os.environ, CMGTUI_HOME=str(tmp_path), CMGTUI_SANDBOX_FAULTS="throttle=lots")
    out = subprocess.run([sys.executable, "-m", "cmgtui", "sandbox", "serve"], capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "whole number" in out.stderr


def test_from_environment_reads_the_fault_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CMGTUI_HOME", str(tmp_path))
    monkeypatch.setenv("CMGTUI_SANDBOX_FAULTS", "latency=5,throttle=2")
    server = SandboxServer.from_environment()
    assert (server.faults.latency_ms, server.faults.throttle) == (5, 2)
    with server:
        assert server.ca_path is not None and server.ca_path.parent == tmp_path / "sandbox"
        assert server.url.startswith("https://127.0.0.1:")
    monkeypatch.setenv("CMGTUI_SANDBOX_FAULTS", "latency=soon")
    with pytest.raises(FaultSyntaxError):
        SandboxServer.from_environment()
