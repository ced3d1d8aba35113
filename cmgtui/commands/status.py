"""``cmgtui status``: is the deployed CMG healthy? Its Azure side, its service name and what expires.

Reads the CMG's resource group through Resource Manager (scale set, instances, public IP, key vault,
storage, load balancer, network), judges it with the service-name probe and the profile's expiry
dates in :func:`cmgtui.domain.health.assess` (the judgement the Health pane shows too), prints one
line per finding with its fix, and appends the state to the profile's health history
(``NAME.health.jsonl``) so "down since" can be told. When the CMG is found and the profile doesn't
record it yet, ``gateway.deployed`` is set (through the one profile writer) to the plan it was found
at. With ``--sandbox`` the rehearsal tenant is read and the service side is the last probe recorded
in Part 5 (the rehearsal CMG has no public name); with ``--sign-in`` the service name is probed live. ``--site-check`` prints the read-only
PowerShell check of the connection point for the site server instead.

Exit codes: 0 healthy; 1 degraded or down; 2 cannot tell (no deployment to look at, Azure
unreadable, usage errors). JSON: ``{"version": 1, "profile", "state", "since", "checked_at",
"findings": [{"id", "area", "level", "message", "fix", "down"}], "history": [{"at", "state"}]}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cmgtui.commands.common import (
    CommandError,
    add_profile_option,
    load_named_profile,
    printable,
    run_signed_in,
    save_profile_change,
)

if TYPE_CHECKING:
    from cmgtui.domain.health import HealthReport
    from cmgtui.model import Profile

JSON_VERSION = 1
_SYMBOLS = {"ok": "OK", "info": "note", "warn": "WARN", "fail": "FAIL", "unknown": "??"}
_AREAS = {"azure": "Azure", "service": "Service name", "expiry": "Expiry"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``status``."""
    parser = subparsers.add_parser(
        "status", help="the deployed CMG's health: Azure resources, instances, service name, expiry",
        description="Check the deployed CMG: its resource group and resources, scale set instances, public IP, "
        "key vault and storage, the service name, and certificate and secret expiry. Exit 0 healthy, 1 degraded "
        "or down, 2 cannot tell.")
    add_profile_option(parser)
    parser.add_argument("--sandbox", dest="status_sandbox", action="store_true",
                        help="read the rehearsal tenant (after 'cmgtui sandbox deploy')")
    parser.add_argument("--sign-in", choices=("cli", "env"), dest="sign_in",
                        help="read Azure with an Azure CLI login (cli) or AZURE_* service principal variables (env)")
    parser.add_argument("--tenant", metavar="ID", help="the Entra tenant to sign in to (default: the account's home)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--site-check", action="store_true",
                        help="print the read-only PowerShell check of the connection point for the site server")
    parser.set_defaults(handler=run)


async def _check(profile: Profile, sandbox: bool, method: str | None, tenant: str | None) -> HealthReport:
    from cmgtui.services.health import check

    return await run_signed_in(profile, sandbox, method, tenant,
                               lambda session, log: check(session, profile, log=log))


def _when(moment: datetime, now: datetime) -> str:
    local = moment.astimezone(UTC)
    return f"{local:%H:%M} UTC" if local.date() == now.date() else f"{local:%Y-%m-%d %H:%M} UTC"


def run(args: argparse.Namespace) -> int:
    """Handler of ``cmgtui status``."""
    from cmgtui.cloud.errors import CloudError
    from cmgtui.profile_file import StoreError

    sandbox = bool(args.status_sandbox or getattr(args, "sandbox", False))
    try:
        profile = load_named_profile(args)
        if args.site_check:
            from cmgtui.domain.powershell.site_check import site_check_script

            sys.stdout.write(site_check_script(profile))
            return 0
        if not sandbox and not args.sign_in:
            raise CommandError("Choose where to read the CMG: --sandbox (the rehearsal tenant) or --sign-in cli|env.")
        report = asyncio.run(_check(profile, sandbox, args.sign_in, args.tenant))
    except (CommandError, StoreError) as exc:
        print(f"cmgtui: {exc}", file=sys.stderr)
        return 2
    except CloudError as exc:
        print(f"cmgtui: {exc.message} {exc.what_to_do}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cmgtui: the sandbox tenant could not start: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # a bad scenario file or CMGTUI_SANDBOX_URL/CA
        print(f"cmgtui: {exc}", file=sys.stderr)
        return 2
    return _report(profile, report, args.format)


def _record_deployed(profile: Profile, report: HealthReport, fmt: str) -> None:
    """When the CMG was found in Azure and the profile doesn't know it exists yet, record it in
    ``gateway.deployed`` (Part 4's "After the CMG exists"), the settings that need a redeploy to change."""
    from cmgtui.services.health import record_deployed

    if not report.found_deployed or profile.gateway.deployed is not None:
        return
    try:
        save_profile_change(profile.name, lambda saved: record_deployed(saved, report))
    except CommandError as exc:
        print(f"cmgtui: note: the CMG exists, but the profile could not record it: {exc}", file=sys.stderr)
        return
    print(f"Recorded in profile {printable(profile.name)}: the CMG exists (Part 4, 'After the CMG exists').",
          file=sys.stderr if fmt == "json" else sys.stdout)


def _report(profile: Profile, report: HealthReport, fmt: str) -> int:
    from cmgtui.services.health import record_check

    recorded = record_check(profile.name, report)
    if recorded.problem:
        print(f"cmgtui: note: {recorded.problem}", file=sys.stderr)
    _record_deployed(profile, report, fmt)
    history, started = recorded.history, recorded.since
    if fmt == "json":
        print(json.dumps({"version": JSON_VERSION, "profile": profile.name, "state": report.state,
                          "since": started.isoformat() if started else None,
                          "checked_at": report.checked_at.isoformat(),
                          "findings": [f.to_json() for f in report.findings],
                          "history": [{"at": e.at.isoformat(), "state": e.state} for e in history[-20:]]}, indent=2))
        return report.exit_code
    headline = f"CMG health for profile {printable(profile.name)}: {report.state.upper()}"
    if started is not None:
        headline += f" since {_when(started, report.checked_at)}"
    print(f"{headline} (checked {report.checked_at:%Y-%m-%d %H:%M} UTC)")
    width = max((len(f.id) for f in report.findings), default=10)
    area = None
    for finding in report.findings:
        if finding.area != area:
            area = finding.area
            print(f"\n[{_AREAS[area]}]")
        print(f"  {_SYMBOLS[finding.level]:<4}  {finding.id:<{width}}  {finding.message}")
        if finding.fix and finding.level not in ("ok",):
            print(f"        {'':<{width}}  → {finding.fix}")
    return report.exit_code
