"""One place ends a command that can't run: ``cmgtui: <reason>`` on stderr and exit 2.

Scripts parse these lines, so each test pins a command's exact words; an error that is not
about the input, the profile store or the cloud is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.cloud.errors import CloudError
from cmgtui.commands.common import CommandError, failure_reason, run_handler
from cmgtui.paths import InvalidProfileName
from cmgtui.profile_file import StoreError
from cmgtui.store import ProfileStore
from tests.unit.powershell.profiles import public_entra_2309


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMGTUI_HOME", str(tmp_path / "home"))
    return tmp_path


NO_PROFILE = ("cmgtui: No profile exists yet; create one with 'cmgtui profiles new NAME' (or in cmgtui), "
              "then pass --profile NAME.\n")


@pytest.mark.parametrize("argv", [["check"], ["script"], ["report"], ["script", "--runbook", "scale"]])
def test_every_local_command_says_there_is_no_profile_the_same_way(
        home: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == NO_PROFILE
    assert captured.out == ""


def test_a_runbook_option_that_cant_be_used_is_exit_2_in_its_own_words(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().save(public_entra_2309())
    monkeypatch.delenv("CMGTUI_TEST_UNSET", raising=False)
    code = main(["script", "--profile", "public-entra-2309", "--runbook", "renew-certificate",
                 "--new-pfx", "new.pfx", "--pfx-password-env", "CMGTUI_TEST_UNSET"])
    assert code == 2
    assert capsys.readouterr().err == "cmgtui: environment variable CMGTUI_TEST_UNSET is not set.\n"


def test_a_profiles_store_error_is_exit_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles", "show", "absent"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cmgtui: ") and "absent" in err and "Traceback" not in err


@pytest.mark.parametrize(("error", "said"), [
    (CommandError("Choose one with --profile NAME."), "Choose one with --profile NAME."),
    (StoreError("Profile 'x' is damaged."), "Profile 'x' is damaged."),
    (InvalidProfileName("names can't hold '/'"), "names can't hold '/'"),
    (CloudError("forbidden", "The account may not read the subscription.", "Ask for the Reader role."),
     "The account may not read the subscription. Ask for the Reader role."),
])
def test_what_each_error_that_stops_a_command_says(error: Exception, said: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert failure_reason(error) == said

    def handler(_args: argparse.Namespace) -> int:
        raise error

    assert run_handler(handler, argparse.Namespace()) == 2
    assert capsys.readouterr().err == f"cmgtui: {said}\n"


def test_a_bug_keeps_its_traceback() -> None:
    def handler(_args: argparse.Namespace) -> int:
        raise KeyError("a bug")

    assert failure_reason(KeyError("a bug")) is None
    with pytest.raises(KeyError):
        run_handler(handler, argparse.Namespace())


def test_serve_refuses_a_port_that_is_not_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert capsys.readouterr().err == "cmgtui: --port 70000 is not a port number (0 to 65535).\n"
