"""Command-line entry point: the TUI by default, headless subcommands otherwise.

Each subcommand group lives in its own module under ``cmgtui.commands`` and exposes
``register(subparsers)``; importing those modules must stay cheap (heavy imports happen
inside the handlers), because this module is on the start-up path of the TUI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from cmgtui import __version__
from cmgtui.commands import COMMAND_MODULES

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every subcommand group registered."""
    parser = argparse.ArgumentParser(
        prog="cmgtui",
        description="Plan, check and perform a Configuration Manager cloud management "
        "gateway setup. Without a subcommand, starts the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"cmgtui {__version__}")
    parser.add_argument("--profile", metavar="NAME", help="open this profile directly")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="use the embedded sandbox tenant (opens the profile 'sandbox' unless --profile is given)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command or the TUI; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is not None:
        try:
            return handler(args)
        except KeyboardInterrupt:
            print("cmgtui: interrupted", file=sys.stderr)
            return 130
    from cmgtui.app import run_app

    return run_app(profile=args.profile, sandbox=args.sandbox)
