"""``cmgtui check``: run every rule for a profile and report pass / warn / fail / skip.

Without ``--sandbox`` the cloud rules read the evidence the TUI last recorded in the profile
(so the result is the same as the screens show). With ``--sandbox`` the embedded sandbox
tenant is started and every cloud check runs live first (concurrently, as in the TUI).
With ``--sign-in cli`` or ``--sign-in env`` the live checks run against real Azure with an
Azure CLI login or the standard ``AZURE_*`` service principal variables.

Exit codes: 0 nothing failed; 1 at least one rule ran and failed; 2 usage or connection
errors, including a live check that could not run (its rules are reported with status
``error`` and counted in the summary).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from cmgtui.commands.common import (
    add_profile_option,
    failed,
    json_document,
    load_named_profile,
    profile_name_from,
    run_signed_in,
)

if TYPE_CHECKING:
    from cmgtui.services.preflight import PreflightResult
    from cmgtui.domain.rules.results import RuleResult
    from cmgtui.model import Profile


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``check``."""
    parser = subparsers.add_parser(
        "check", help="run every rule for a profile (cloud rules too on the sandbox or when signed in)",
        description="Run every rule for a profile. Exit 0 when nothing fails, 1 when a rule fails, "
        "2 on usage or connection errors (also when a live check could not run).",
    )
    add_profile_option(parser)
    parser.add_argument("--sandbox", dest="check_sandbox", action="store_true",
                        help="run the live cloud checks against the embedded sandbox tenant")
    parser.add_argument("--sign-in", choices=("cli", "env"), dest="sign_in",
                        help="run the live cloud checks against Azure with an Azure CLI login (cli) "
                        "or AZURE_* service principal variables (env)")
    parser.add_argument("--tenant", metavar="ID", help="the Entra tenant (ID or domain) to sign in to "
                        "(default: the account's home tenant)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def _profile(args: argparse.Namespace, sandbox: bool) -> Profile:
    from cmgtui.model import Profile
    from cmgtui.store import ProfileStore

    if sandbox and not profile_name_from(args):
        store = ProfileStore()
        return store.load("sandbox") if store.exists("sandbox") else Profile(name="sandbox")
    return load_named_profile(args)


async def _gather_live(profile: Profile, sandbox: bool, method: str | None,
                       tenant: str | None = None) -> PreflightResult:
    from cmgtui.services.preflight import run_preflight

    return await run_signed_in(profile, sandbox, method, tenant,
                               lambda session, log: run_preflight(session, profile, log=log))


def _print_text(profile: Profile, results: list[RuleResult]) -> None:
    from cmgtui.domain.display_text import visible
    from cmgtui.domain.rules.results import summarize

    symbols = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "skip": "skip", "error": "ERR"}
    print(f"Profile {visible(profile.name)}")
    width = max((len(r.rule) for r in results), default=24)
    phase = None
    for result in results:
        if result.phase is not phase:
            phase = result.phase
            print(f"\n[{phase.value}]")
        print(f"  {symbols[result.status.value]:<4}  {result.rule:<{width}} {visible(result.message)}")
        if result.fix and result.status.value in {"fail", "warn", "error"}:
            print(f"        {'':<{width}} → {visible(result.fix)}")
    counts = summarize(results).to_json()
    print("\n" + ", ".join(f"{count} {status}" for status, count in counts.items()))


def run(args: argparse.Namespace) -> int:
    """Handler of ``cmgtui check``."""
    from cmgtui.sandbox.faults import FaultSyntaxError
    from cmgtui.services.check import check
    from cmgtui.services.preflight import record_preflight

    sandbox = bool(args.check_sandbox or getattr(args, "sandbox", False))
    could_not_run: list[str] = []
    try:
        profile = _profile(args, sandbox)
        if sandbox or args.sign_in:
            gathered = asyncio.run(_gather_live(profile, sandbox, args.sign_in, args.tenant))
            for failure in gathered.failures:
                print(f"cmgtui: {failure.check}: {failure.error.message} {failure.error.what_to_do}", file=sys.stderr)
            for skipped in gathered.skipped:
                print(f"cmgtui: not checked: {skipped}", file=sys.stderr)
            record_preflight(profile, gathered)
            could_not_run = [failure.check for failure in gathered.failures]
    except OSError as exc:
        return failed(f"the sandbox tenant could not start: {exc}")
    except ValueError as exc:  # a bad scenario file or CMGTUI_SANDBOX_URL/CA
        if isinstance(exc, FaultSyntaxError):
            raise  # the CLI names the variable it came from
        return failed(exc)
    report = check(profile, could_not_run=could_not_run)
    if args.format == "json":
        print(json_document(report.to_json()))
    else:
        _print_text(profile, list(report.results))
    return report.exit_code
