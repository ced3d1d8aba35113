"""``cmgtui script``: write the PowerShell script for the Configuration Manager side of the setup.

Exit codes: 0 the script was written (stdout or ``-o FILE``); 1 the profile still lacks
values, listed one per line on stderr; 2 unusable input (unknown or damaged profile, file
that can't be written). A script file is written 0600 unless ``--mode`` names another mode. The script comes
from :mod:`cmgtui.services.script`, as the Automation pane's; it is imported inside the handler to keep start-up cheap.
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
from cmgtui.commands.runbook import add_runbook_options, run_runbook


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``script``."""
    parser = subparsers.add_parser(
        "script",
        help="write the PowerShell script for the Configuration Manager side",
        description="Write the PowerShell script that imports (or creates) the Microsoft Entra apps, "
        "creates the Azure service, the CMG and its connection points, and allows CMG traffic. "
        "Exit 1 lists the values the profile still lacks.",
    )
    add_profile_option(parser)
    add_output_options(parser, "the script (UTF-8 with BOM, which Windows PowerShell 5.1 needs)")
    add_runbook_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``cmgtui script``."""
    from cmgtui.services.script import SCRIPT_ENCODING, setup_script

    if args.runbook:
        return run_runbook(args)
    profile = load_named_profile(args)
    script = setup_script(profile)
    if script.text is None:
        print(f"cmgtui: profile '{profile.name}' is not complete enough for the script; still missing:",
              file=sys.stderr)
        for item in script.missing:
            print(f"  - {item}", file=sys.stderr)
        return 1
    write_output(script.text, args.output, encoding=SCRIPT_ENCODING, mode=args.mode)
    if args.output:
        print(f"cmgtui: wrote {args.output}", file=sys.stderr)
    return 0
