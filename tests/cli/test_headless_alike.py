"""Headless commands behave alike: the only profile is the default, a missing one is exit 2
with its name, ``profiles new`` makes one, and ``--sandbox``/``--profile`` go before or after
the subcommand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.model import AzureEnvironment
from cmgtui.store import ProfileStore


def test_profiles_new_makes_an_empty_profile_with_its_cloud(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles", "new", "lab", "--environment", "AzureUSGovernmentCloud"]) == 0
    assert "created 'lab'" in capsys.readouterr().err
    assert ProfileStore().load("lab").environment is AzureEnvironment.US_GOVERNMENT
    assert main(["profiles", "new", "lab"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["profiles", "new", "other", "--environment", "mars"]) == 2
    assert "use AzurePublicCloud or AzureUSGovernmentCloud" in capsys.readouterr().err
    assert not ProfileStore().exists("other")


def test_the_only_profile_is_the_default_for_entra_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles", "new", "lab"]) == 0
    capsys.readouterr()
    # entra verify on the only profile: it is found (and lacks the app IDs), not refused for a name
    assert main(["entra", "verify", "--sandbox"]) == 2
    assert "Profile 'lab' has no server and client app IDs yet" in capsys.readouterr().err
    assert main(["profiles", "new", "second"]) == 0
    capsys.readouterr()
    assert main(["entra", "verify", "--sandbox"]) == 2
    assert "Several profiles exist (" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["check", "--profile", "nosuch"],
    ["check", "--sandbox", "--profile", "nosuch"],
    ["--sandbox", "check", "--profile", "nosuch"],
    ["script", "--profile", "nosuch"],
    ["entra", "verify", "--sandbox", "--profile", "nosuch"],
])
def test_a_missing_profile_is_exit_2_with_its_name(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().create("lab")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "'nosuch'" in err and "does not exist" in err or "No profile called 'nosuch'" in err


def test_sandbox_and_profile_go_before_or_after_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().create("lab")
    ProfileStore().create("other")
    assert main(["--sandbox", "entra", "verify", "--profile", "lab"]) == 2  # accepted: no app IDs yet
    before = capsys.readouterr().err
    assert main(["entra", "verify", "--sandbox", "--profile", "lab"]) == 2
    assert capsys.readouterr().err == before and "Profile 'lab' has no server and client app IDs yet" in before
    assert main(["--profile", "lab", "check", "--format", "json"]) == main(["check", "--profile", "lab",
                                                                            "--format", "json"])
    out = capsys.readouterr().out
    assert out.count('"profile": "lab"') == 2 or out.count("lab") >= 2
    assert main(["report", "--format", "json", "--sandbox", "--profile", "lab"]) in (0, 1)
    assert json.loads(capsys.readouterr().out)["profile"] == "lab"
    with pytest.raises(SystemExit) as info:
        main(["check", "--no-such-option"])
    assert info.value.code == 2
