"""What the Part 1 screen says: source choices and their consequences, derived names, the
certificate on record, next steps, and the lint evidence it stores in the profile.

Kept apart from the pane so the words can be read (and tested) without a running App.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.text import Text

from cmgtui.domain.azure import names
from cmgtui.domain.display_text import visible
from cmgtui.domain.certs import CertificateInfo
from cmgtui.domain.rules.checks import CERT_LINT_KEY
from cmgtui.domain.rules.results import RuleResult, summarize
from cmgtui.model import CertificateSource, Evidence, Profile
from cmgtui.widgets.token_wrap import TokenWrap

SOURCE_CHOICES: list[tuple[str, CertificateSource]] = [
    ("Public CA (own domain)", CertificateSource.PUBLIC_CA),
    ("Enterprise PKI (e.g. AD CS)", CertificateSource.ENTERPRISE_PKI),
    ("Existing PFX file", CertificateSource.EXISTING_PFX),
    ("Lab certificate (test only)", CertificateSource.LAB),
]

SOURCE_HINTS: dict[CertificateSource | None, str] = {
    None: "Choose where the certificate comes from; the steps below follow from it.",
    CertificateSource.PUBLIC_CA: (
        "Trusted by every Windows client without extra work, but it costs money and the name must be "
        "in your own public domain, with a DNS CNAME to the CMG deployment name."
    ),
    CertificateSource.ENTERPRISE_PKI: (
        "Free, from your own CA (Web Server template, exportable key), but its root must be trusted by "
        "every internet client; it may use the Azure deployment name instead of your own domain."
    ),
    CertificateSource.EXISTING_PFX: (
        "You already have the certificate with its private key as a .pfx/.p12 file; check it here "
        "before the console wizard does."
    ),
    CertificateSource.LAB: (
        "LAB ONLY: a test root CA and a server certificate made here. Clients must trust the lab "
        "root; never use it in production."
    ),
}

LAB_BANNER = "LAB ONLY · test certificate, never for production · install the lab root .cer on test clients"


def csr_next_steps(source: CertificateSource | None, csr_path: str) -> str:
    """What to do with a CSR that was written, for the chosen source."""
    if not csr_path:
        return "No request made yet."
    if source is CertificateSource.PUBLIC_CA:
        submit = "Submit it to your public CA (a TLS/SSL server certificate for this exact name)."
    else:
        submit = (
            "Submit it to your enterprise CA with a Web Server template (a copy that allows exporting "
            "the private key, minimum 2048-bit), e.g. certreq -submit -attrib \"CertificateTemplate:"
            "WebServer\"."
        )
    return (
        f"Request: {visible(csr_path)}\nNext: {submit} Keep the .key.pem file and its passphrase. "
        "When the certificate is issued, import it below with its chain to make the PFX."
    )


def derived_names_text(profile: Profile) -> Text:
    """The names the CMG will take from the service name, or what is still missing."""
    derived = names.derive_names(profile)
    if derived is None:
        return Text(names.derivation_problem(profile) or "Derived names appear when you enter the service name.",
                    style="dim")
    rows = [
        ("Service name", derived.service_name),
        ("Deployment name", derived.deployment_name
         + ("  (US Government suffix unverified)" if derived.deployment_name_unverified else "")),
        ("Key vault", derived.key_vault_name),
        ("Storage account", derived.storage_account_name),
        ("DNS CNAME", f"{derived.service_name} → {derived.deployment_name}" if derived.needs_cname
         else "not needed (the name is in an Azure domain)"),
    ]
    text = Text()
    for number, (label, value) in enumerate(rows):
        text.append(("\n" if number else "") + f"{label}: ", style="bold").append(visible(value))
    return text


def certificate_summary(profile: Profile) -> Text | Group:
    """The certificate recorded in the profile: file, subject, thumbprint, expiry.

    The file path gets its own lines, wrapped only after a path separator, so it is read whole.
    """
    cert = profile.certificate
    if not cert.thumbprint:
        return Text("No certificate checked yet.", style="dim")
    evidence = profile.evidence.get(CERT_LINT_KEY)
    data: dict[str, Any] = evidence.data if evidence else {}
    head = Text()
    if data.get("lab"):
        head.append("LAB ONLY certificate\n", style="bold reverse yellow")
    head.append("File:", style="bold")
    text = Text()
    text.append("Subject: ", style="bold").append(f"{visible(cert.subject)}\n")
    if data.get("issuer"):
        text.append("Issuer: ", style="bold").append(f"{visible(data['issuer'])}\n")
    if data.get("key"):
        text.append("Key: ", style="bold").append(f"{data['key']}\n")
    text.append("Thumbprint: ", style="bold").append(f"{cert.thumbprint}\n")
    expiry = cert.not_after.strftime("%Y-%m-%d %H:%M UTC") if cert.not_after else "unknown"
    text.append("Expires: ", style="bold").append(expiry)
    checked_for = data.get("service_name", "")
    current = names.effective_service_name(cert.service_name, cert.wildcard_prefix)
    if checked_for and current and checked_for != current:
        text.append(
            f"\nChecked for '{checked_for}', but the service name is now '{current}': check again.",
            style="italic yellow",
        )
    return Group(head, TokenWrap(cert.pfx_path), text)


def lint_evidence(path: str, info: CertificateInfo, results: Sequence[RuleResult], *, lab: bool,
                  service_name: str) -> Evidence:
    """The ``cert.lint`` evidence the checks read (see ``cmgtui.domain.rules.checks``).

    ``results`` are stored as ``RuleResult.to_json()`` plus ``fix``, ``evidence`` and
    ``source``; nothing secret is in it (no password, no key).
    """
    summary = summarize(results).to_json()
    counts = ", ".join(f"{count} {status}" for status, count in summary.items() if count)
    return Evidence(
        source=CERT_LINT_KEY,
        summary=f"{'LAB ONLY ' if lab else ''}{info.common_name or info.subject}: {counts}",
        data={
            "file": path,
            "subject": info.subject,
            "issuer": info.issuer,
            "common_name": info.common_name,
            "thumbprint": info.thumbprint,
            "not_after": info.not_after.isoformat(),
            "key": info.key_description,
            "lab": lab,
            "service_name": service_name,
            "summary": summary,
            "results": [
                {**r.to_json(), "fix": r.fix, "evidence": r.evidence, "source": r.source} for r in results
            ],
        },
    )
