"""``cmgtui report``: write the readiness report as Markdown, HTML or JSON.

Exit codes: 0 the report was written (an incomplete plan still gets a report, which lists
what is missing); 2 unusable input (unknown or damaged profile, file that can't be written).
The report comes from :mod:`cmgtui.services.report`, as the Automation pane's: the rule
results of the rules engine and the client command lines of the command-line builder, the
same ones the TUI shows.
"""

from __future__ import annotations

import argparse
import sys

from cmgtui.commands.common import (
    add_output_options,
    add_profile_option,
    load_named_profile,
    write_output,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report``."""
    parser = subparsers.add_parser(
        "report",
        help="write the readiness report (Markdown, HTML or JSON)",
        description="Write the readiness report a change board can review: the design and why, "
        "rule results with evidence, the setup script, client command lines and the expiry calendar.",
    )
    add_profile_option(parser)
    parser.add_argument("--format", choices=("md", "html", "json"), default="md",
                        help="output format (default: md)")
    add_output_options(parser, "the report")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``cmgtui report``."""
    from cmgtui.services.report import readiness_report

    profile = load_named_profile(args)
    write_output(readiness_report(profile, args.format), args.output, mode=args.mode)
    if args.output:
        print(f"cmgtui: wrote {args.output}", file=sys.stderr)
    return 0
