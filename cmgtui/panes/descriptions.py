"""Plain-words descriptions of the five setup parts: what each part is and which checklist
items feed it (shown at the top of a part's pane)."""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.domain.rules.results import Phase


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
