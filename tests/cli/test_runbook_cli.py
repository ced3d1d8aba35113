"""``cmgtui script --runbook NAME``: scripts on stdout, checks on stderr, exit codes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.store import ProfileStore
from tests.unit.certs import cert_factory as cf
from tests.unit.powershell import psparse
from tests.unit.powershell.profiles import public_entra_2309


@pytest.fixture
def saved() -> str:
    profile = public_entra_2309()
    profile.name = "ops"
    profile.certificate.not_after = cf.NOW + timedelta(days=20)
    profile.entra.server_app.object_id = "0a0a0a0a-1111-4222-8333-444444444444"
    ProfileStore().save(profile)
    return "ops"


def test_scale_writes_a_script_that_parses(saved: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["script", "--runbook", "scale", "--profile", saved, "--instances", "4"]) == 0
    captured = capsys.readouterr()
    assert "Set-CMCloudManagementGateway -Name $ServiceName -VMInstanceCount $VMInstanceCount" in captured.out
    assert psparse.syntax_problems(captured.out) == []
    assert "4 VM instance(s) need 2 CMG connection point(s)" in captured.err


def test_blocked_runbook_exits_1_and_says_why(saved: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["script", "--runbook", "scale", "--profile", saved, "--instances", "20"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "1 to 16 VM instances" in captured.err


def test_renew_certificate_lints_then_writes_the_file(saved: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    spec = cf.Leaf()
    pfx = tmp_path / "new.pfx"
    pfx.write_bytes(cf.pfx_bytes(spec.build(), spec.leaf_key(), (cf.intermediate(), cf.root())))
    monkeypatch.setenv("NEW_PFX_PASSWORD", cf.PASSWORD.decode())
    out = tmp_path / "renew.ps1"
    assert main(["script", "--runbook", "renew-certificate", "--profile", saved, "--new-pfx", str(pfx),
                 "--pfx-password-env", "NEW_PFX_PASSWORD", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"-ServiceCertPath" in data
    assert cf.PASSWORD not in data
    assert "Validity overlaps" in capsys.readouterr().err
    # the script runs on the site server: the path read here never reaches it (issue 20)
    assert str(tmp_path).encode() not in data and b"'C:\\CMG\\new.pfx'" in data
    chosen = tmp_path / "chosen.ps1"
    assert main(["script", "--runbook", "renew-certificate", "--profile", saved, "--new-pfx", str(pfx),
                 "--site-pfx-path", r"D:\Certs\cmg-2027.pfx", "--pfx-password-env", "NEW_PFX_PASSWORD",
                 "-o", str(chosen)]) == 0
    assert b"[string]$ServiceCertPath = 'D:\\Certs\\cmg-2027.pfx'" in chosen.read_bytes()
    assert main(["script", "--runbook", "renew-certificate", "--profile", saved, "--new-pfx", str(pfx),
                 "--site-pfx-path", str(pfx), "--pfx-password-env", "NEW_PFX_PASSWORD"]) == 1
    assert "is a path on this machine, not on the site server" in capsys.readouterr().err


def test_renew_certificate_without_password_is_blocked_not_a_traceback(saved: str, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    spec = cf.Leaf()
    pfx = tmp_path / "new.pfx"
    pfx.write_bytes(cf.pfx_bytes(spec.build(), spec.leaf_key()))
    assert main(["script", "--runbook", "renew-certificate", "--profile", saved, "--new-pfx", str(pfx)]) == 1
    assert "✗" in capsys.readouterr().err


def test_rotate_secret_prints_console_steps(saved: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["script", "--runbook", "rotate-secret", "--profile", saved]) == 0
    captured = capsys.readouterr()
    assert "Renew Secret Key" in captured.err and "Get-CMAADApplication" in captured.out


def test_unknown_profile_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["script", "--runbook", "scale", "--profile", "nobody"]) == 2


def test_rotate_secret_for_a_console_created_app_gives_the_consoles_renewal(capsys: pytest.CaptureFixture[str]) -> None:
    from cmgtui.model.enums import EntraPath

    profile = public_entra_2309()
    profile.name = "created"
    profile.entra.path = EntraPath.CONFIGMGR_CREATES
    profile.site.site_version = 2409
    ProfileStore().save(profile)
    assert main(["script", "--runbook", "rotate-secret", "--profile", "created"]) == 0
    err = capsys.readouterr().err
    assert "cmgtui adds no secret" in err and "Global Administrator" in err and "four validity periods" in err
    profile.name = "unknown-path"
    profile.entra.path = None
    ProfileStore().save(profile)
    assert main(["script", "--runbook", "rotate-secret", "--profile", "unknown-path"]) == 1
    assert "Part 2 doesn't say" in capsys.readouterr().err
