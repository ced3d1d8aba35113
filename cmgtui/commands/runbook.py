"""``cmgtui script --runbook NAME``: the day-two runbooks from the command line.

The checks, notes and console steps go to stderr; the script (when nothing blocks it) to
stdout or ``-o FILE`` (UTF-8 with BOM). Exit 0: the script was written; 1: something blocks
the runbook (listed on stderr); 2: unusable input. ``rotate-secret`` follows Part 2's path: an
app Configuration Manager created gets the console's Renew Secret Key steps only; for an
imported app the Graph side (adding and removing secrets) needs a sign-in and runs in the Day
two pane; here it writes the ConfigMgr-side check script and steps.
"""

from __future__ import annotations

import argparse
import sys

from cmgtui.commands.cert import _read_secret, _secret_options
from cmgtui.commands.common import load_named_profile, write_output

NAMES = ("renew-certificate", "rotate-secret", "scale")


def add_runbook_options(parser: argparse.ArgumentParser) -> None:
    """``--runbook NAME`` and the options the runbooks take."""
    parser.add_argument("--runbook", choices=NAMES, metavar="NAME",
                        help="write a day-two runbook instead of the setup script: " + ", ".join(NAMES))
    parser.add_argument("--new-pfx", metavar="PATH", help="renew-certificate: the renewed certificate (PFX)")
    parser.add_argument("--site-pfx-path", metavar="WINPATH", default="",
                        help="renew-certificate: where the new PFX is on the site server, a Windows path "
                             "(default: its file name under C:\\CMG)")
    _secret_options(parser, "pfx-password", "the new PFX's password (renew-certificate)")
    parser.add_argument("--instances", type=int, metavar="N", help="scale: the new VM instance count (1-16)")
    parser.add_argument("--peak-clients", type=int, metavar="N",
                        help="scale: size the instance count from this many concurrent clients")
    parser.add_argument("--vm-size", choices=("lab", "standard", "large"),
                        help="scale: a new VM size (console steps only; no cmdlet changes it)")


def run_runbook(args: argparse.Namespace) -> int:
    """Build the chosen runbook for the profile and write it."""
    from cmgtui.model.enums import VmSize
    from cmgtui.services.runbook import RunbookRequest, build_runbook
    from cmgtui.services.script import SCRIPT_ENCODING

    profile = load_named_profile(args)
    password = None
    if args.runbook == "renew-certificate":
        password = _read_secret(args.pfx_password_file, args.pfx_password_env, "pfx password", ask=False, confirm=False)
    size = {"lab": VmSize.LAB, "standard": VmSize.STANDARD, "large": VmSize.LARGE}.get(args.vm_size or "")
    book = build_runbook(profile, RunbookRequest(args.runbook, new_pfx=args.new_pfx, pfx_password=password,
                                                 instances=args.instances, peak_clients=args.peak_clients,
                                                 vm_size=size, site_pfx_path=args.site_pfx_path))
    sys.stderr.write(book.render_text())
    if book.blockers:
        return 1
    if book.script is not None:
        write_output(book.script, args.output, encoding=SCRIPT_ENCODING, mode=args.mode)
        if args.output:
            print(f"cmgtui: wrote {args.output}", file=sys.stderr)
    return 0
