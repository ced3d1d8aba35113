"""``--log FILE`` / ``CMGTUI_LOG``: a 0600 debug log of what cmgtui and its SDKs did, with no secret in it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.debug_log import LOGGERS, REDACTED, redact
from cmgtui.store import ProfileStore


def _cmgtui(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cmgtui", *argv], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def loggers_restored() -> Iterator[None]:
    """The log's loggers as they were before the test: a run in this process leaves its handler on them."""
    saved = {name: (logging.getLogger(name).level, list(logging.getLogger(name).handlers)) for name in LOGGERS}
    yield
    for name, (level, handlers) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        for handler in [h for h in logger.handlers if h not in handlers]:
            logger.removeHandler(handler)
            handler.close()


def test_entra_create_logs_its_requests_but_never_the_secret_or_a_token(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        loggers_restored: None) -> None:
    # In this process (the SDKs it loads are loaded once per run, not once per test); the log is
    # started as at the command line, from the same argument list.
    ProfileStore().create("lab")
    log, secret_file = tmp_path / "debug.log", tmp_path / "secret.txt"
    for name in ("CMGTUI_LOG", "CMGTUI_SANDBOX_URL", "CMGTUI_SANDBOX_CA"):
        monkeypatch.delenv(name, raising=False)  # the embedded sandbox, as a fresh process would start
    argv = ["--log", str(log), "entra", "create", "--profile", "lab", "--sandbox", "--secret-file", str(secret_file)]
    monkeypatch.setattr(sys, "argv", ["cmgtui", *argv])
    code = main(argv)
    assert code == 0, capsys.readouterr().err
    text = log.read_text(encoding="utf-8")
    assert log.stat().st_mode & 0o777 == 0o600
    assert "entra create" in text and "exit code 0" in text
    assert "POST https://127.0.0.1" in text and "/v1.0/applications" in text  # the Graph requests are there …
    secret = secret_file.read_text(encoding="utf-8").strip()
    assert secret not in text  # … the one-time secret is not,
    assert "eyJ" not in text  # nor any access token.


def test_the_environment_variable_turns_it_on_and_a_second_run_appends(tmp_path: Path) -> None:
    log = tmp_path / "debug.log"
    for _ in range(2):
        assert _cmgtui("profiles", "list", env={"CMGTUI_LOG": str(log)}).returncode == 0
    assert log.read_text(encoding="utf-8").count("started: profiles list") == 2


def test_an_unwritable_log_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = _cmgtui("--log", str(tmp_path / "missing" / "debug.log"), "profiles", "list")
    assert done.returncode == 2
    assert done.stderr.startswith("cmgtui: cannot write the debug log") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("line", [
    "Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwcyJ9.c2lnbmF0dXJl",
    'Response body: {"keyId": "k", "secretText": "Q~8Qabc.DEF_ghi-123"}',
    "grant_type=password&username=admin&password=S3cret!&client_secret=abc",
    "refresh_token: 0.AAAA-bbb",
])
def test_secrets_in_every_spelling_are_redacted(line: str) -> None:
    text = redact(line)
    assert REDACTED in text
    for secret in ("eyJhdWQ", "Q~8Qabc", "S3cret!", "client_secret=abc", "0.AAAA"):
        assert secret not in text
