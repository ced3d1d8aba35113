"""The plain TUI start (``cmgtui``, ``--sandbox``, ``--profile NAME``) skips argparse and the command
modules, and reads its arguments exactly as the full parser does; anything else is parsed in full."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from cmgtui.cli import _parse, _plain_tui_start, build_parser

PLAIN = [
    [],
    ["--sandbox"],
    ["--profile", "lab"],
    ["--profile=lab"],
    ["--sandbox", "--profile", "site 01"],
    ["--profile", "lab", "--sandbox"],
]


@pytest.mark.parametrize("words", PLAIN)
def test_a_plain_start_reads_what_the_parser_reads(words: list[str]) -> None:
    args = _parse(build_parser(), list(words))
    assert _plain_tui_start(list(words)) == (args.profile, args.sandbox)


@pytest.mark.parametrize("words", [
    ["--version"], ["--help"], ["--sand"], ["--log", "debug.log"], ["profiles", "list"],
    ["--sandbox", "check"], ["--profile"], ["--profile", "--sandbox"], ["--profile="],
    ["--profile", "a", "--profile", "b"], ["--sandbox", "--sandbox"], ["lab"],
])
def test_anything_else_goes_to_the_full_parser(words: list[str]) -> None:
    assert _plain_tui_start(list(words)) is None


def test_the_plain_start_loads_neither_argparse_nor_a_command_module() -> None:
    probe = textwrap.dedent("""
        import sys
        import cmgtui.app
        cmgtui.app.run_app = lambda profile, sandbox: print(
            profile, sandbox, sorted(m for m in sys.modules if m == "argparse" or m.startswith("cmgtui.commands")))
        from cmgtui.cli import main
        main(["--profile", "lab"])
        main(["--sandbox"])
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["lab False []", "None True []"]
