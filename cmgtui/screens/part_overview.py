"""A setup part's overview: what the part is, which checklist items feed it, and the live
results of its rules.

This is what a part shows before its working screen exists: an honest description and the
real rule results for the part (computed from the profile), with no controls that do nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Static

from cmgtui.domain import checks
from cmgtui.domain.rules import Phase
from cmgtui.widgets.base import Pane
from cmgtui.widgets.rule_report import RuleReport


@dataclass(frozen=True)
class PartDescription:
    """Plain-words description of one setup part."""

    entry: str
    phase: Phase
    title: str
    what: str
    fed_by: tuple[str, ...]


PARTS: tuple[PartDescription, ...] = (
    PartDescription(
        "certificate", Phase.CERTIFICATE, "Part 1 · Server authentication certificate",
        "The CMG serves clients over HTTPS with a certificate whose common name is the CMG service "
        "name. It comes from a public CA (your own domain plus a DNS CNAME) or your enterprise PKI, "
        "exported as a PFX with its private key, RSA 2048 or 4096, SHA-2, with Server Authentication.",
        ("Azure environment", "Azure region"),
    ),
    PartDescription(
        "entra", Phase.ENTRA, "Part 2 · Microsoft Entra ID app registrations",
        "Configuration Manager needs two app registrations: a server (web) app with a secret, and a "
        "client (native) app. Configuration Manager can create them, or an Entra administrator "
        "creates them first and you import them.",
        ("Entra role to register apps", "Azure environment"),
    ),
    PartDescription(
        "client_auth", Phase.CLIENT_AUTH, "Part 3 · Client authentication",
        "Internet clients prove who they are with Microsoft Entra ID (joined or hybrid-joined "
        "devices), a PKI client certificate, or a token issued by the site. Methods can be mixed.",
        ("Site system server for the CMG connection point",),
    ),
    PartDescription(
        "gateway", Phase.GATEWAY, "Part 4 · Set up the CMG",
        "Create the CMG in Azure with the console wizard or PowerShell, add the CMG connection point "
        "role, and let the management point and software update point accept CMG traffic.",
        ("Azure environment", "Azure region", "VM instances", "Subscription Owner role",
         "Site system server for the CMG connection point", "Internet access", "Optional feature"),
    ),
    PartDescription(
        "clients", Phase.CLIENTS, "Part 5 · Configure clients",
        "Turn on the Cloud Services client settings for device collections, then install or move "
        "clients with ccmsetup command lines that point at the CMG.",
        ("Internet access",),
    ),
)


def part_description(entry: str) -> PartDescription:
    """The description of the part shown by navigation entry ``entry``."""
    return next(part for part in PARTS if part.entry == entry)


class PartOverviewPane(Pane):
    """The description and live rule results of one setup part."""

    def __init__(self, part: PartDescription) -> None:
        super().__init__(id=part.entry)
        self.part = part

    def compose(self) -> ComposeResult:
        yield Static(self.part.title, classes="pane-title")
        yield Static(self.part.what, classes="part-what")
        yield Static("Checklist items that feed this part: " + ", ".join(self.part.fed_by), classes="part-fed")
        yield Static("Rules for this part", classes="section-title")
        yield RuleReport(classes="part-rules")

    def sync(self) -> None:
        results = [r for r in checks.evaluate(self.profile) if r.phase is self.part.phase]
        self.query_one(RuleReport).show(results, "No rule of this part applies yet.")
