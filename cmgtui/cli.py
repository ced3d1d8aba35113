"""Command-line entry point: the TUI by default, headless subcommands otherwise.

Each subcommand group lives in its own module under ``cmgtui.commands`` and exposes
``register(subparsers)``; importing those modules must stay cheap (heavy imports happen
inside the handlers). The plain TUI start (no argument, ``--sandbox``, ``--profile NAME``)
goes straight to the app without argparse or the command modules, which it does not need
before its first frame; anything else is parsed in full.

Headless commands never end in a traceback because of how they were started: a closed
standard stream (``cmgtui report >&-``) is replaced by the null device, and a reader that
goes away (``cmgtui cert lint ... | head``) silences the rest of the output; either way the
command finishes and exits with its own code. A bad ``CMGTUI_SANDBOX_FAULTS`` is one line
on stderr and exit 2, before the TUI or a command starts the sandbox.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from cmgtui import __version__

if TYPE_CHECKING:
    import argparse

    from cmgtui.commands.common import Handler


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every subcommand group registered."""
    import argparse

    from cmgtui.commands import COMMAND_MODULES

    parser = argparse.ArgumentParser(
        prog="cmgtui",
        description="Plan, check and perform a Configuration Manager cloud management "
        "gateway setup. Without a subcommand, starts the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"cmgtui {__version__}")
    parser.add_argument("--profile", metavar="NAME", help="open this profile directly")
    parser.add_argument("--log", metavar="FILE",
                        help="append a debug log to FILE (0600; also CMGTUI_LOG): requests, answers, jobs; never a secret")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="use the embedded sandbox tenant (opens the profile 'sandbox' unless --profile is given)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    parser.set_defaults(root_parser=parser)  # ``completion`` writes its script from the whole tree
    return parser


class _QuietWhenReaderGone:
    """A text stream that turns a reader that went away into silence instead of BrokenPipeError.

    The rest of the output goes to the null device, so the command still finishes (and
    saves what it must) and its exit code is the process's. With ``for_terminal`` every
    control character written is replaced by a visible placeholder (``display_text.visible``):
    messages on stderr, and anything that reaches a terminal, name what they show from a
    log, a tenant or a file without letting it drive the terminal.
    """

    def __init__(self, stream: TextIO, for_terminal: bool) -> None:
        self._stream = stream
        self._for_terminal = for_terminal

    def write(self, text: str) -> int:
        if self._for_terminal:
            from cmgtui.domain.display_text import visible

            text = visible(text, keep_lines=True)
        return self.write_control(text)

    def write_control(self, text: str) -> int:
        """Write cmgtui's own terminal control (a progress bar's carriage return and erase), as it is."""
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._discard_from_now_on()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._discard_from_now_on()

    def _discard_from_now_on(self) -> None:
        try:
            fd = self._stream.fileno()
        except (OSError, ValueError, AttributeError):
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
        finally:
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError, AttributeError):
        return False


def _reopen_closed_standard_streams() -> None:
    """Give closed descriptors 0-2 the null device, so no file cmgtui opens can take their place
    (a profile opened as descriptor 1 would receive whatever is printed)."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            devnull = os.open(os.devnull, os.O_RDWR)
            if devnull != fd:
                os.dup2(devnull, fd)
                os.close(devnull)
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, mode, closefd=False, encoding="utf-8", errors="replace"))


def _sandbox_faults_problem() -> str | None:
    """The one-line reason ``CMGTUI_SANDBOX_FAULTS`` is unusable (None when it is fine or unset)."""
    from cmgtui.sandbox.faults import ENV_VAR, FaultSyntaxError, faults_from_environment

    try:
        faults_from_environment()
    except FaultSyntaxError as exc:
        return f"{ENV_VAR}: {exc} Fix or unset the variable."
    return None


def _run_headless(handler: Handler, args: argparse.Namespace) -> int:
    """Run a subcommand with pipe-safe stdout/stderr; restores the streams afterwards."""
    from cmgtui.commands.common import run_handler
    from cmgtui.sandbox.faults import ENV_VAR, FaultSyntaxError

    saved = sys.stdout, sys.stderr
    sys.stdout = _QuietWhenReaderGone(sys.stdout, for_terminal=_is_terminal(sys.stdout))
    sys.stderr = _QuietWhenReaderGone(sys.stderr, for_terminal=True)
    try:
        code = run_handler(handler, args)
        sys.stdout.flush()
        logging.getLogger("cmgtui").info("exit code %s", code)
        return code
    except KeyboardInterrupt:
        print("cmgtui: interrupted", file=sys.stderr)
        return 130
    except FaultSyntaxError as exc:
        print(f"cmgtui: {ENV_VAR}: {exc} Fix or unset the variable.", file=sys.stderr)
        return 2
    finally:
        sys.stdout, sys.stderr = saved


#: Where a subcommand keeps its own ``--sandbox`` (the global one may be given instead).
_SANDBOX_DESTS = ("check_sandbox", "entra_sandbox")


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse ``argv``; the global ``--sandbox`` and ``--profile NAME`` are taken before or after
    the subcommand alike (``cmgtui --sandbox entra verify`` = ``cmgtui entra verify --sandbox``)."""
    args, extras = parser.parse_known_args(argv)
    unknown: list[str] = []
    words = iter(extras)
    for word in words:
        if word == "--sandbox":
            args.sandbox = True
        elif word == "--profile" or word.startswith("--profile="):
            value = word.partition("=")[2] if "=" in word else next(words, None)
            if not value:
                parser.error("argument --profile: expected one argument")
            args.profile = value
        else:
            unknown.append(word)
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.sandbox:
        for dest in _SANDBOX_DESTS:
            if hasattr(args, dest):
                setattr(args, dest, True)
    return args


def _plain_tui_start(words: list[str]) -> tuple[str | None, bool] | None:
    """``(profile, sandbox)`` for a plain TUI start (only ``--sandbox`` and ``--profile NAME``, each
    at most once), as the parser would read them; None for anything else, which the parser reads."""
    profile: str | None = None
    sandbox = False
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--sandbox" and not sandbox:
            sandbox = True
        elif word.startswith("--profile=") and profile is None and len(word) > len("--profile="):
            profile = word.partition("=")[2]
        elif (word == "--profile" and profile is None and index + 1 < len(words)
              and words[index + 1] and not words[index + 1].startswith("-")):
            index += 1
            profile = words[index]
        else:
            return None
        index += 1
    return profile, sandbox


def _debug_log_problem(log: str | None) -> int | None:
    """Start the debug log when ``--log`` or ``CMGTUI_LOG`` asks for one; exit code 2 (said) if it can't."""
    if log or os.environ.get("CMGTUI_LOG"):
        from cmgtui import debug_log

        if problem := debug_log.start(log):
            print(f"cmgtui: {problem}", file=sys.stderr)
            return 2
    return None


def _start_tui(profile: str | None, sandbox: bool) -> int:
    """Run the TUI (after checking ``CMGTUI_SANDBOX_FAULTS`` for a sandbox start); the exit code."""
    if sandbox and (problem := _sandbox_faults_problem()):
        print(f"cmgtui: {problem}", file=sys.stderr)
        return 2
    from cmgtui.app import run_app

    return run_app(profile=profile, sandbox=sandbox)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command or the TUI; returns the exit code."""
    _reopen_closed_standard_streams()
    words = list(sys.argv[1:] if argv is None else argv)
    if (plain := _plain_tui_start(words)) is not None:
        return _debug_log_problem(None) or _start_tui(*plain)
    args = _parse(build_parser(), words)
    if code := _debug_log_problem(getattr(args, "log", None)):
        return code
    handler: Handler | None = getattr(args, "handler", None)
    if handler is not None:
        return _run_headless(handler, args)
    return _start_tui(args.profile, args.sandbox)
