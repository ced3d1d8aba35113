"""Hostile CLI input: bad bytes, special files, bad fault settings, closed and broken stdout.

In-process with a timeout per case wherever the behaviour allows it; stdout that is closed or
whose reader leaves can only be shown from outside, so those few cases run a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmgtui import paths
from cmgtui.cli import main
from cmgtui.sandbox.faults import FaultSyntaxError, parse_faults
from cmgtui.services.certificate_files import create_lab_files
from cmgtui.store import ProfileStore
from tests.hostile.corpus import bounded, fingerprint

PASSWORD = "lab-password-123"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lab_pfx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_lab_files(tmp_path_factory.mktemp("lab"), "lab.contoso.com", PASSWORD.encode()).pfx


@pytest.fixture
def specials(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "zero-link"
    link.symlink_to("/dev/zero")
    folder = tmp_path / "folder"
    folder.mkdir()
    return {"fifo": fifo, "dev-zero": Path("/dev/zero"), "zero-link": link, "folder": folder}


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = bounded(lambda: main(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "zero-link", "folder"])
def test_password_file_that_is_not_a_regular_file_is_refused(
    kind: str, lab_pfx: Path, specials: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, ["cert", "lint", str(lab_pfx), "--password-file", str(specials[kind])])
    assert code == 2 and "cannot read the password file" in err


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "zero-link", "folder"])
def test_certificate_that_is_not_a_regular_file_is_refused(
    kind: str, specials: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, ["cert", "lint", str(specials[kind])])
    assert code == 2 and ("not a regular file" in err or "folder" in err)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "zero-link", "folder"])
def test_import_of_a_special_file_is_refused(
    kind: str, specials: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, ["profiles", "import", str(specials[kind])])
    assert code == 2 and "was not imported" in err
    assert ProfileStore().list() == []


@pytest.mark.parametrize(
    "content", [b'{"schema_version":2,"name":"../../escape"}', b'{"schema_version":1,"checklist":[1],"name":"x"}',
                b"[" * 5000, b'{"schema_version":2}']
)
def test_import_of_a_hostile_file_is_refused_and_writes_nothing(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "hostile.json"
    source.write_bytes(content)
    code, _, err = _run(capsys, ["profiles", "import", str(source)])
    assert code == 2 and err.startswith("cmgtui: ")
    assert ProfileStore().list() == [] and source.read_bytes() == content
    assert not [p for p in tmp_path.rglob("*escape*")]  # "../../escape" from the profiles folder is tmp_path/escape


@pytest.mark.parametrize(
    "argv",
    [
        ["cert", "lint", "PFX", "--password-env", "BAD"],
        ["cert", "csr", "--service-name", "a.contoso.com", "--out", "OUT", "--passphrase-env", "BAD"],
        ["cert", "lab", "--service-name", "a.contoso.com", "--out", "OUT", "--password-env", "BAD"],
    ],
    ids=["lint", "csr", "lab"],
)
def test_non_utf8_secret_in_the_environment_is_refused(
    argv: list[str], lab_pfx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(os.environb, b"BAD", b"\xff\xfe-secret-value")
    argv = [str(lab_pfx) if a == "PFX" else str(tmp_path / "out") if a == "OUT" else a for a in argv]
    code, out, err = _run(capsys, argv)
    assert code == 2 and "not UTF-8 text" in err
    assert "secret-value" not in out + err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("spec", "key"),
    [
        ("errors=x", "errors"), ("bogus=1", "bogus"), ("latency=99999999", "latency"),
        ("retry-after=100000", "retry-after"), ("error-status=200", "error-status"), ("drop=nonsense", "drop"),
        ("drop-when=later", "drop-when"), ("throttle=1e3", "throttle"), ("errors=\u0663", "errors"),
        ("match=\x1b[2J", "match"), ("drop-skip=" + "9" * 40, "drop-skip"),
    ],
)
def test_every_bad_fault_setting_is_refused_naming_its_key(
    spec: str, key: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(FaultSyntaxError, match=f"'{key}'"):
        parse_faults(spec)
    monkeypatch.setenv("CMGTUI_SANDBOX_FAULTS", spec)
    for argv in (["check", "--sandbox"], ["--sandbox"], ["sandbox", "serve"]):
        code, _, err = _run(capsys, argv)
        assert code == 2, argv
        assert "CMGTUI_SANDBOX_FAULTS" in err and f"'{key}'" in err


@pytest.mark.parametrize(
    ("flags", "key"),
    [(["--errors", "1", "--error-status", "200"], "error-status"), (["--latency", "600000"], "latency"),
     (["--drop", "not a path"], "drop"), (["--retry-after", "86400"], "retry-after")],
)
def test_sandbox_serve_refuses_bad_flags(flags: list[str], key: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, ["sandbox", "serve", *flags])
    assert code == 2 and f"'{key}'" in err


def test_output_to_a_folder_or_device_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().create("good")
    for target in (str(tmp_path), "/dev/null", str(tmp_path / "missing" / "x.md")):
        code, _, err = _run(capsys, ["report", "--profile", "good", "-o", target])
        assert code == 2 and "Can't write" in err


SAFE_COMMANDS = st.sampled_from([
    ["profiles", "show"], ["profiles", "export"], ["profiles", "import"], ["profiles", "delete"], ["profiles", "list"],
    ["report"], ["script"], ["check"], ["cert", "lint"],
])
ARGUMENTS = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=12),
        st.sampled_from(["--profile", "--format", "json", "-o", "--mode", "--name", "--replace", "--yes",
                         "/dev/zero", "victim", "good", "../../x", "--password-file", "--service-name", "700"]),
    ),
    max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=SAFE_COMMANDS, arguments=ARGUMENTS)
def test_any_arguments_end_in_a_documented_exit_code(
    command: list[str], arguments: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    if not ProfileStore().exists("good"):
        ProfileStore().create("good")
    before = fingerprint(paths.profile_file("good"))
    try:
        code = bounded(lambda: main([*command, *arguments]))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    _, err = capsys.readouterr()
    assert code in {0, 1, 2}
    assert "Traceback" not in err
    if command[-1] not in {"delete", "import"} and "--replace" not in arguments:
        assert not paths.profile_file("good").exists() or fingerprint(paths.profile_file("good")) == before


def _cmgtui(shell: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CMGTUI_HOME": str(home), "PYTHONPATH": str(ROOT), "PW": PASSWORD}
    command = f"{sys.executable} -m cmgtui {shell}"
    return subprocess.run(["/bin/bash", "-c", command], env=env, capture_output=True, text=True, timeout=60)


def test_closed_stdout_exits_quietly_with_the_commands_code(cmgtui_home: Path) -> None:
    ProfileStore().create("good")
    done = _cmgtui("report --profile good >&-; echo code=$? >&2", cmgtui_home)
    assert "Traceback" not in done.stderr and "code=0" in done.stderr
    missing = _cmgtui("report --profile nobody >&-; echo code=$? >&2", cmgtui_home)
    assert "Traceback" not in missing.stderr and "code=2" in missing.stderr and "nobody" in missing.stderr


def test_reader_that_leaves_early_gets_the_commands_code(lab_pfx: Path, cmgtui_home: Path) -> None:
    done = _cmgtui(f"cert lint {lab_pfx} --password-env PW --format json | true; echo code=${{PIPESTATUS[0]}} >&2",
                   cmgtui_home)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert "code=0" in done.stderr or "code=1" in done.stderr
    json_lint = _cmgtui(f"cert lint {lab_pfx} --password-env PW --format json", cmgtui_home)
    expected = f"code={json_lint.returncode}"
    assert json.loads(json_lint.stdout)["summary"] and expected in done.stderr
