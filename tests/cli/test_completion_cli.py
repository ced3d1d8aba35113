"""``cmgtui completion``: the static bash/zsh script completes commands, options and choices in a real bash."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from cmgtui.cli import build_parser, main
from cmgtui.commands.completion import script_for


def _complete(words: list[str]) -> list[str]:
    """What bash offers for the last of ``words`` (the word being typed) after loading the script."""
    script = script_for("bash", build_parser())
    quoted = " ".join(shlex.quote(word) for word in words)
    program = "\n".join([script, f"COMP_WORDS=(cmgtui {quoted})", f"COMP_CWORD={len(words)}", "_cmgtui",
                         'printf "%s\\n" "${COMPREPLY[@]}"', ""])
    done = subprocess.run(["bash", "--norc", "--noprofile"], input=program, capture_output=True, text=True,
                          timeout=30, check=True)
    return done.stdout.split()


def test_top_level_offers_every_command_and_global_option() -> None:
    offered = _complete([""])
    for word in ("check", "entra", "sandbox", "script", "report", "profiles", "logs", "cert", "completion",
                 "--sandbox", "--profile", "--version"):
        assert word in offered


def test_nested_commands_options_and_choices() -> None:
    assert _complete(["entra", ""]) == ["create", "verify", "--help"]
    assert "--secret-file" in _complete(["entra", "create", "--"])
    assert _complete(["check", "--format", ""]) == ["text", "json"]
    assert _complete(["report", "--format", "h"]) == ["html"]
    assert _complete(["profiles", "d"]) == ["delete"]


def test_an_option_before_the_subcommand_does_not_lose_the_path() -> None:
    assert _complete(["--sandbox", "entra", "v"]) == ["verify"]


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_the_command_prints_a_script_that_bash_parses(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "complete -o default -F _cmgtui cmgtui" in script
    if shell == "bash":
        subprocess.run(["bash", "-n"], input=script, text=True, check=True, timeout=30)
