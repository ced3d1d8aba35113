"""``cmgtui cert``: exit codes 0/1/2, the JSON contract, and no password on any output."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from cmgtui.cli import main
from cmgtui.services.certificate_files import create_lab_files

PASSWORD = "Sup3r-secret PFX pw"
RESULT_KEYS = ["rule", "status", "severity", "message"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A lab PFX for GraniteFalls.contoso.com, its root .cer, a password file, and a lower-case twin."""
    folder = tmp_path_factory.mktemp("lab")
    files = create_lab_files(folder, "GraniteFalls.contoso.com", PASSWORD.encode())
    twin = create_lab_files(folder / "twin", "granitefalls.contoso.com", PASSWORD.encode())
    password_file = folder / "password.txt"
    password_file.write_text(PASSWORD + "\n")
    return {
        "pfx": files.pfx,
        "root": files.root_cer,
        "password": password_file,
        "twin": twin.pfx,
        "dir": folder,
    }


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["cert", *argv])
    out, err = capsys.readouterr()
    assert PASSWORD not in out and PASSWORD not in err
    assert "Traceback" not in err
    return code, out, err


def test_good_pfx_exits_0_with_the_exact_json_shape(
    lab: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "lint", str(lab["pfx"]), "--password-file", str(lab["password"]), "--format", "json"
    )
    assert code == 0 and err == ""
    report = json.loads(out)
    assert list(report) == ["version", "file", "subject", "results", "summary"]
    assert report["file"] == str(lab["pfx"])
    assert "CN=GraniteFalls.contoso.com" in report["subject"]
    assert all(list(result) == RESULT_KEYS for result in report["results"])
    assert list(report["summary"]) == ["pass", "warn", "fail", "skip"]
    assert report["summary"]["fail"] == 0
    assert sum(report["summary"].values()) == len(report["results"]) == 14
    statuses = {r["rule"]: r["status"] for r in report["results"]}
    assert statuses["CERT-PREFIX"] == "warn" and statuses["CERT-PRIVATE-KEY"] == "pass"


def test_password_from_environment(
    lab: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMG_PFX_PASSWORD", PASSWORD)
    code, out, _ = run(capsys, "lint", str(lab["pfx"]), "--password-env", "CMG_PFX_PASSWORD")
    assert code == 0
    assert "RULE" in out and "RESULT" in out and "CERT-CHAIN" in out and "Summary:" in out


def test_certificate_without_key_is_readable_and_exits_1(
    lab: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "lint", str(lab["root"]))
    assert code == 1 and err == ""
    line = next(row for row in out.splitlines() if row.startswith("CERT-PRIVATE-KEY"))
    assert "FAIL" in line and "no private key" in line
    assert "fix: Export the certificate again" in out


@pytest.mark.parametrize(
    ("make", "options", "reason"),
    [
        (lambda d: d / "missing.pfx", [], "file not found"),
        (lambda d: _write(d / "junk.pfx", os.urandom(3000)), [], "format not recognised"),
        (lambda d: _write(d / "notes.cer", b"just some text\n"), [], "format not recognised"),
        (lambda d: d, [], "is a folder"),
    ],
)
def test_unusable_input_exits_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make,
    options: list[str],
    reason: str,
) -> None:
    code, out, err = run(capsys, "lint", str(make(tmp_path)), *options)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("cmgtui cert lint: ") and reason in err


def test_pfx_without_password_exits_2_and_says_how(
    lab: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "lint", str(lab["pfx"]))
    assert code == 2 and "password-protected" in err and "--password-file" in err


def test_wrong_password_exits_2_without_echoing_it(
    lab: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("Wr0ng guess of a password\n")
    code, out, err = run(capsys, "lint", str(lab["pfx"]), "--password-file", str(wrong))
    assert code == 2 and out == "" and "wrong password" in err
    assert "Wr0ng guess" not in err


def test_missing_password_env_exits_2(lab: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lint", str(lab["pfx"]), "--password-env", "CMGTUI_TEST_UNSET_VARIABLE")
    assert code == 2 and "CMGTUI_TEST_UNSET_VARIABLE is not set" in err


def test_renewal_with_other_letter_case_exits_1(
    lab: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "lint",
        str(lab["twin"]),
        "--password-file",
        str(lab["password"]),
        "--previous",
        str(lab["pfx"]),
        "--format",
        "json",
    )
    assert code == 1
    renewal = next(r for r in json.loads(out)["results"] if r["rule"] == "CERT-RENEWAL-CN")
    assert renewal["status"] == "fail" and "letter case" in renewal["message"]


def test_wildcard_without_a_prefix_warns_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 10.2: a valid wildcard certificate is not failing; the open prefix is a warning asking for it."""
    path = tmp_path / "wildcard.pfx"
    lab_files = create_lab_files(tmp_path / "w", "*.contoso.com", PASSWORD.encode())
    path.write_bytes(lab_files.pfx.read_bytes())
    env = tmp_path / "pw"
    env.write_text(PASSWORD)
    code, out, _ = run(capsys, "lint", str(path), "--password-file", str(env), "--format", "json")
    assert code == 0
    results = json.loads(out)["results"]
    assert not [r for r in results if r["status"] == "fail"]
    prefix = next(r for r in results if r["rule"] == "CERT-PREFIX")
    assert prefix["status"] == "warn" and "prefix" in prefix["message"]
    code, _, _ = run(capsys, "lint", str(path), "--password-file", str(env), "--service-name", "granitefalls")
    assert code == 0


def test_lint_in_a_real_process(lab: dict[str, Path]) -> None:
    args = [sys.executable, "-m", "cmgtui", "cert", "lint"]
    done = subprocess.run(
        [*args, str(lab["pfx"]), "--password-file", str(lab["password"]), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["fail"] == 0
    failed = subprocess.run(
        [*args, str(lab["root"])], capture_output=True, text=True, check=False, timeout=120
    )
    assert failed.returncode == 1
    unusable = subprocess.run(
        [*args, str(lab["pfx"])], capture_output=True, text=True, check=False, timeout=120
    )
    assert unusable.returncode == 2 and "Traceback" not in unusable.stderr
    assert len(unusable.stderr.strip().splitlines()) == 1
    assert PASSWORD not in done.stdout + done.stderr + unusable.stderr


def test_csr_command_writes_an_encrypted_0600_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    passphrase = tmp_path / "pass.txt"
    passphrase.write_text("Key passphrase 42\n")
    code, out, err = run(
        capsys,
        "csr",
        "--service-name",
        "granitefalls.contoso.com",
        "--out",
        str(tmp_path / "out"),
        "--passphrase-file",
        str(passphrase),
    )
    assert code == 0 and err == ""
    key_path = tmp_path / "out" / "granitefalls.contoso.com.key.pem"
    assert key_path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert "Key passphrase 42" not in out and str(key_path) in out
    serialization.load_pem_private_key(key_path.read_bytes(), b"Key passphrase 42")


def test_csr_without_a_passphrase_source_and_no_terminal_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115 - closed by pytest with the patch
    code, _, err = run(capsys, "csr", "--service-name", "granitefalls.contoso.com", "--out", str(tmp_path))
    assert code == 2 and "--passphrase-file" in err
    assert list(tmp_path.iterdir()) == []


def test_csr_with_bad_name_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pw = tmp_path / "p"
    pw.write_text("long enough passphrase")
    code, _, err = run(
        capsys,
        "csr",
        "--service-name",
        "1cmg.contoso.com",
        "--out",
        str(tmp_path / "o"),
        "--passphrase-file",
        str(pw),
    )
    assert code == 2 and "cannot name the CMG" in err


def test_lab_command_says_lab_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pw = tmp_path / "p"
    pw.write_text(PASSWORD)
    code, out, _ = run(
        capsys,
        "lab",
        "--service-name",
        "granitefalls.contoso.com",
        "--out",
        str(tmp_path / "o"),
        "--password-file",
        str(pw),
    )
    assert code == 0
    assert out.startswith("LAB ONLY - not for production")
    assert "granitefalls.contoso.com-lab-root.cer" in out and "granitefalls.contoso.com-lab.pfx" in out
    assert "0 fail" in out


def test_pfx_command_assembles_and_lints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret"
    secret.write_text("Key passphrase 42")
    assert (
        run(
            capsys,
            "csr",
            "--service-name",
            "granitefalls.contoso.com",
            "--out",
            str(tmp_path),
            "--passphrase-file",
            str(secret),
        )[0]
        == 0
    )
    request = x509.load_pem_x509_csr((tmp_path / "granitefalls.contoso.com.csr.pem").read_bytes())
    issued = tmp_path / "issued.pem"
    issued.write_bytes(_self_ca_issue(request))
    pfx_password = tmp_path / "pfxpw"
    pfx_password.write_text(PASSWORD)
    code, out, err = run(
        capsys,
        "pfx",
        "--cert",
        str(issued),
        "--key",
        str(tmp_path / "granitefalls.contoso.com.key.pem"),
        "--out",
        str(tmp_path / "cmg.pfx"),
        "--password-file",
        str(pfx_password),
        "--key-passphrase-file",
        str(secret),
    )
    assert code == 0, err
    assert "PFX written (mode 0600)" in out and "with 1 CA certificate(s)" in out
    assert "Key passphrase 42" not in out
    assert stat.S_IMODE((tmp_path / "cmg.pfx").stat().st_mode) == 0o600
    code, _, err = run(
        capsys,
        "pfx",
        "--cert",
        str(issued),
        "--key",
        str(tmp_path / "granitefalls.contoso.com.key.pem"),
        "--out",
        str(tmp_path / "again.pfx"),
        "--password-file",
        str(pfx_password),
    )
    assert code == 2 and "--key-passphrase-file" in err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _self_ca_issue(request: x509.CertificateSigningRequest) -> bytes:
    """Issue the request from a throw-away CA; return leaf + CA as PEM."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Test Issuing Root")])
    now = datetime.now(UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=900))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(request.subject)
        .issuer_name(ca_name)
        .public_key(request.public_key())
        .serial_number(2)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
    )
    for extension in request.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    leaf = builder.sign(ca_key, hashes.SHA256())
    return leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
