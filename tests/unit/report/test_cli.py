"""Exit codes and output of ``cmgtui script`` and ``cmgtui report``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.model import Profile
from cmgtui.store import ProfileStore
from tests.unit.powershell.profiles import public_entra_2309


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMGTUI_HOME", str(tmp_path / "home"))
    return tmp_path


def save(profile: Profile) -> None:
    ProfileStore().save(profile)


def test_script_to_stdout_for_a_complete_profile(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save(public_entra_2309())
    assert main(["script", "--profile", "public-entra-2309"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<#") and "New-CMCloudManagementGateway" in out


def test_script_to_a_file_with_a_bom(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save(public_entra_2309())
    target = home / "cmg.ps1"
    assert main(["--profile", "public-entra-2309", "script", "-o", str(target)]) == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf<#")
    assert capsys.readouterr().out == ""


def test_script_exit_1_lists_missing_values(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save(Profile(name="draft"))
    assert main(["script", "--profile", "draft"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "  - Part 2: tenant ID" in captured.err and "  - Site: site code" in captured.err


@pytest.mark.parametrize("command", ["script", "report"])
def test_unknown_or_invalid_profile_is_exit_2(home: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--profile", "missing"]) == 2
    assert "Profile 'missing' does not exist." in capsys.readouterr().err
    assert main([command, "--profile", "../etc/passwd"]) == 2
    assert "not a valid profile name" in capsys.readouterr().err


def test_damaged_profile_is_exit_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save(Profile(name="broken"))
    (home / "home" / "profiles" / "broken.json").write_text("{not json", encoding="utf-8")
    assert main(["report", "--profile", "broken"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cmgtui: ") and "Traceback" not in err


def test_profile_can_be_omitted_only_when_exactly_one_exists(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["script"]) == 2
    assert "No profile exists yet" in capsys.readouterr().err
    save(public_entra_2309())
    assert main(["script"]) == 0
    capsys.readouterr()
    save(Profile(name="other"))
    assert main(["report"]) == 2
    assert "choose one with --profile NAME" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_report_formats(home: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    save(public_entra_2309())
    target = home / f"report.{fmt}"
    assert main(["report", "--profile", "public-entra-2309", "--format", fmt, "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    entra_line = "ccmsetup.exe /mp:https://GraniteFalls.contoso.com/CCM_Proxy_MutualAuth/72186325152220500"
    assert entra_line in text and "BulkRegistrationTokenTool.exe /new /lifetime 4320" in text
    if fmt == "json":
        data = json.loads(text)
        assert data["profile"] == "public-entra-2309"
        assert {r["rule"] for r in data["results"]} and data["summary"]["pass"] > 0
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
    else:
        assert text.startswith("# CMG readiness report: public-entra-2309")


def test_report_of_incomplete_profile_is_exit_0(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save(Profile(name="draft"))
    assert main(["report", "--profile", "draft"]) == 0
    assert "Still missing:" in capsys.readouterr().out


def test_unwritable_output_is_exit_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save(public_entra_2309())
    assert main(["report", "--profile", "public-entra-2309", "-o", str(home / "no" / "dir" / "r.md")]) == 2
    assert "Can't write" in capsys.readouterr().err


def test_bad_format_is_a_usage_error(home: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["report", "--format", "pdf"])
    assert caught.value.code == 2
