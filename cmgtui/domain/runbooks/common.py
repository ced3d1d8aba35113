"""What every day-two runbook is made of, and the lines every runbook script shares.

A runbook is the checks that must pass first, the PowerShell a ConfigMgr admin runs (only
documented cmdlets and parameters), and console steps where no cmdlet exists. A runbook
with ``blockers`` has no script: the blockers say what to fix first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cmgtui.domain.powershell.params import CmdletSpec, _cm_set, spec_for
from cmgtui.domain.powershell.prelude import IND, open_site
from cmgtui.domain.powershell.quoting import ps_comment_text, ps_string

_REF = "MicrosoftDocs/sccm-docs-powershell-ref sccm-ps/ConfigurationManager/"

#: Set-CMCloudManagementGateway as its reference page documents it (SetByName is the set the
#: runbooks use). The page has no VM size parameter; its example 2 spells -VMInstancesCount,
#: but the syntax block and the parameter list say -VMInstanceCount, which is what we write.
SET_CMG = CmdletSpec("Set-CMCloudManagementGateway", _REF + "Set-CMCloudManagementGateway.md", (
    _cm_set("SetByName", {"Name"}, {
        "CARootCert", "CheckClientCertRevocation", "Description", "EnableCloudDPFunction",
        "EnableStorageQuota", "EnableTrafficOut", "EnforceProtocol", "Force", "PassThru",
        "RemoveCertThumbprints", "ServiceCertPassword", "ServiceCertPath", "StorageCriticalPct",
        "StorageQuotaGB", "StorageWarningPct", "TrafficCriticalPct", "TrafficOutGB",
        "TrafficOutStopService", "TrafficWarningPct", "VMInstanceCount"}),
))

RUNBOOK_CMDLETS: dict[str, CmdletSpec] = {SET_CMG.name: SET_CMG}


def runbook_spec(cmdlet: str) -> CmdletSpec | None:
    """The documented parameter sets of a cmdlet a runbook script calls."""
    return RUNBOOK_CMDLETS.get(cmdlet) or spec_for(cmdlet)


@dataclass(frozen=True, slots=True)
class Runbook:
    """One runbook for one profile: checks, blockers, the script and console-only steps."""

    name: str
    title: str
    checks: tuple[str, ...] = ()
    blockers: tuple[str, ...] = ()
    script: str | None = None
    console_steps: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ready(self) -> bool:
        """Whether the script can be run (nothing blocks it)."""
        return not self.blockers and self.script is not None

    def render_text(self) -> str:
        """Checks, blockers, notes and console steps as plain text (for the pane and stderr)."""
        out = [self.title, ""]
        out += [f"  ✓ {c}" for c in self.checks]
        out += [f"  ✗ {b}" for b in self.blockers]
        if self.notes:
            out += ["", *[f"  • {n}" for n in self.notes]]
        if self.console_steps:
            out += ["", "In the Configuration Manager console (no cmdlet exists for this):"]
            out += [f"  {i}. {s}" for i, s in enumerate(self.console_steps, start=1)]
        return "\n".join(out) + "\n"


def script_head(synopsis: str, description: list[str], params: list[tuple[str, str, str]],
                site_code: str, site_server: str) -> list[str]:
    """Help block, ``param()`` with the profile's values as defaults, and the site drive."""
    lines = ["<#", ".SYNOPSIS", f"    {ps_comment_text(synopsis)}", "", ".DESCRIPTION"]
    lines += [f"    {ps_comment_text(d)}" if d else "" for d in description]
    lines += ["", ".NOTES",
              "    Run in Windows PowerShell on a computer with the Configuration Manager console.",
              "    Run it with -WhatIf first: it shows the change and changes nothing.", "#>",
              "[CmdletBinding(SupportsShouldProcess)]", "param("]
    entries = [("string", "SiteCode", ps_string(site_code)), ("string", "SiteServer", ps_string(site_server)),
               *params]
    for i, (kind, name, value) in enumerate(entries):
        lines.append(f"{IND}[{kind}]${name} = {value}" + ("," if i < len(entries) - 1 else ""))
    lines += [")", "", "$ErrorActionPreference = 'Stop'", *open_site(), "try {"]
    return lines


def script_tail() -> list[str]:
    """Leave the site drive whatever happened."""
    return ["} finally {", f"{IND}Pop-Location", "}", ""]
