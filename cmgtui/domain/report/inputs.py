"""What the readiness report shows besides the profile: rule results and client command lines.

The TUI and ``cmgtui report`` both call :func:`report_inputs`, so the report shows the same
rule results as the badges and ``cmgtui check``, and the same command lines as Part 5.
"""

from __future__ import annotations

from datetime import datetime

from cmgtui.domain.clients import command_lines as clientcmd
from cmgtui.domain.rules.checks import evaluate
from cmgtui.domain.rules.results import RuleResult
from cmgtui.model.enums import ClientAuthMethod
from cmgtui.model.profile import Profile


def client_command_lines(profile: Profile) -> tuple[list[tuple[str, str]], list[str]]:
    """``(purpose, command)`` pairs for the plan's client authentication methods, plus notes
    naming the lines that can't be written yet and why."""
    methods = profile.client_auth.methods
    lines: list[clientcmd.CommandLine] = []
    notes: list[str] = []
    if ClientAuthMethod.ENTRA in methods:
        lines += [clientcmd.build_entra(profile), clientcmd.build_intune(profile)]
    if ClientAuthMethod.PKI in methods:
        lines.append(clientcmd.build_pki(profile))
    if ClientAuthMethod.TOKEN in methods:
        lines.append(clientcmd.bulk_token_tool_command(profile.client_auth.token_lifetime_minutes))
        notes.append("Bulk registration token installs: run the token tool above on the top-level site "
                     "server, then put the token after /regtoken: in the ccmsetup line cmgtui shows in Part 5 "
                     "(tokens are never stored, so the report can't include that line).")
    if methods:
        lines += [clientcmd.cmgfqdns_command(profile), clientcmd.verification_command()]
    ready = [(line.title, line.text) for line in lines if line.ready]
    for line in lines:
        if not line.ready:
            notes.append(f"{line.title}: not available yet; missing {', '.join(line.missing)}.")
    return ready, notes


def report_inputs(profile: Profile, now: datetime) -> tuple[list[RuleResult], list[tuple[str, str]], list[str]]:
    """Rule results at ``now``, client command lines, and notes for the report."""
    commands, notes = client_command_lines(profile)
    return evaluate(profile, now), commands, notes
