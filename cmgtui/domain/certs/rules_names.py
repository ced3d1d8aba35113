"""Rules about names: CN, prefix, SAN, own versus Azure domain, CN kept on renewal."""

from __future__ import annotations

from cmgtui.domain.azure.names import prefix_problem
from cmgtui.domain.certs.context import LintContext
from cmgtui.domain.certs.names import (
    covers,
    dns_names,
    first_label,
    is_fqdn,
    is_wildcard,
    parent_domain,
)
from cmgtui.domain.certs.spec import RuleSpec
from cmgtui.domain.rules.results import RuleResult, Severity

CN = RuleSpec("CERT-CN", Severity.ERROR, "V07; pki-certificate-requirements.md")
PREFIX = RuleSpec("CERT-PREFIX", Severity.ERROR, "V08, V09, V10; server-auth-cert.md, D6")
SAN = RuleSpec("CERT-SAN", Severity.ERROR, "New-CMCloudManagementGateway.md; cmg-communication-error.md")
DOMAIN = RuleSpec("CERT-DOMAIN", Severity.ERROR, "V11, V12, V13; server-auth-cert.md")
RENEWAL_CN = RuleSpec("CERT-RENEWAL-CN", Severity.ERROR, "V48; modify-cloud-management-gateway.md")

_AZURE_SUFFIXES = {".cloudapp.azure.com": 5, ".cloudapp.usgovcloudapi.net": 5}
_CLASSIC_SUFFIXES = (".cloudapp.net", ".usgovcloudapp.net")
_REQUEST_CN = "Request a certificate whose subject CN is the CMG service name, e.g. GraniteFalls.contoso.com."


def check_cn(ctx: LintContext) -> RuleResult:
    """The subject has a CN that is an FQDN or ``*.domain``, and it fits the chosen service name."""
    cn = ctx.cn
    if not cn:
        return CN.failed(
            "The subject has no common name (CN); the CMG takes its service name from it.", _REQUEST_CN
        )
    if not (is_fqdn(cn) or is_wildcard(cn)):
        return CN.failed(f"The CN '{cn}' is not a fully qualified DNS name or '*.domain'.", _REQUEST_CN, cn)
    service = ctx.service
    if service is not None and not covers(cn, service):
        return CN.failed(
            f"The certificate is for '{cn}', not for the service name '{service}'.",
            "Use the certificate issued for your service name, or correct the service name.",
            cn,
        )
    if is_wildcard(cn):
        return CN.passed(
            f"Wildcard CN '{cn}'; the CMG service name is '{service or '(prefix still to choose)'}'.", cn
        )
    return CN.passed(f"CN '{cn}' is a valid service name.", cn)


def check_prefix(ctx: LintContext) -> RuleResult:
    """The prefix (first label) names the Azure resources: 3-24 letters/digits, from a letter."""
    cn = ctx.cn
    if not cn or not (is_fqdn(cn) or is_wildcard(cn)):
        return PREFIX.skipped("No usable CN; see CERT-CN.")
    service = ctx.service
    if service is None:
        # A valid wildcard certificate: nothing is wrong with it, a choice is still open.
        return PREFIX.warned(
            f"Wildcard certificate '{cn}': the globally unique prefix that replaces '*' has not been chosen.",
            "Supply the service name prefix (e.g. GraniteFalls) with --service-name or in Part 1.",
            cn,
        )
    prefix = first_label(service)
    problem = prefix_problem(prefix)
    if problem:
        return PREFIX.failed(
            f"The prefix cannot name the CMG's storage account and key vault. {problem}",
            "Choose a service name whose first label is 3-24 letters and digits starting with a letter.",
            prefix,
        )
    if prefix != prefix.lower():
        return PREFIX.warned(
            f"The prefix '{prefix}' has capital letters; Azure resource names will use '{prefix.lower()}', "
            "and every renewed certificate must use exactly the same letter case.",
            "Keep this exact CN (letter case included) on every renewal, or prefer a lower-case name.",
            prefix,
        )
    return PREFIX.passed(f"The prefix '{prefix}' is a valid CMG resource name.", prefix)


def check_san(ctx: LintContext) -> RuleResult:
    """The SAN lists the service name; the first DNS name is the one PowerShell uses."""
    cn = ctx.cn
    target = ctx.service or cn
    names = dns_names(ctx.certificate)
    add_san = f"Request the certificate with a SAN DNS name equal to the service name ({target or 'the CN'})."
    if names is None:
        return SAN.warned(
            "The certificate has no subject alternative name; current TLS clients check names there, "
            "and only some fall back to the CN.",
            add_san,
        )
    evidence = ", ".join(names)
    if not names:
        return SAN.failed(
            "The SAN holds no DNS name, so clients cannot match the CMG name against it.", add_san
        )
    if not target:
        return SAN.skipped("No service name to compare the SAN with; see CERT-CN.")
    if not any(covers(name, target) for name in names):
        return SAN.failed(
            f"The SAN DNS names ({evidence}) do not include '{target}'; clients would refuse the connection "
            "(CERT_CN_INVALID).",
            add_san,
            evidence,
        )
    if len(names) > 1 and not covers(names[0], target):
        return SAN.warned(
            f"The first SAN DNS name is '{names[0]}'; New-CMCloudManagementGateway uses it as the service name "
            "unless -ServiceName is given.",
            f"Pass -ServiceName {target} in PowerShell, or use the console wizard.",
            evidence,
        )
    return SAN.passed(f"The SAN includes '{target}'.", evidence)


def check_domain(ctx: LintContext) -> RuleResult:
    """Own domain (needs a CNAME) versus Azure domain (enterprise PKI only; no classic names)."""
    target = ctx.service or ctx.cn
    if not target or not (is_fqdn(target) or is_wildcard(target)):
        return DOMAIN.skipped("No usable service name; see CERT-CN.")
    lowered = target.lower().rstrip(".")
    if lowered.endswith(_CLASSIC_SUFFIXES):
        return DOMAIN.failed(
            f"'{target}' is a classic cloud service (cloudapp.net) name; new CMGs use a virtual machine "
            "scale set, which cannot use it.",
            "Request a certificate for a name in your own domain (recommended) "
            "or for <prefix>.<region>.cloudapp.azure.com.",
            target,
        )
    for suffix, labels in _AZURE_SUFFIXES.items():
        if lowered.endswith(suffix):
            return _azure_domain(ctx, target, suffix, labels)
    deployment = f"{first_label(target)}.<region>.cloudapp.azure.com"
    return DOMAIN.passed(
        f"Own domain '{parent_domain(target)}' (recommended): create a public DNS CNAME from {target} "
        f"to the deployment name {deployment}.",
        target,
    )


def _azure_domain(ctx: LintContext, target: str, suffix: str, labels: int) -> RuleResult:
    """A name in the Azure deployment domain: right shape, right region, enterprise PKI only."""
    parts = target.rstrip(".").split(".")
    if len(parts) != labels or parts[0] == "*":
        return DOMAIN.failed(
            f"'{target}' is in {suffix[1:]} but is not of the form <prefix>.<region>{suffix}.",
            f"Request the certificate for <prefix>.<region>{suffix}, or use your own domain.",
            target,
        )
    region = parts[1].lower()
    if ctx.region and region != ctx.region.lower().replace(" ", ""):
        return DOMAIN.failed(
            f"The certificate is for region '{region}' but the CMG region is '{ctx.region}'.",
            "Choose the region the certificate names, or request a certificate for the chosen region.",
            target,
        )
    return DOMAIN.warned(
        f"'{target}' is in the Azure-owned domain: only an enterprise PKI can issue it (public CAs cannot), "
        "clients must trust your root, and a region change means a new certificate and CMG.",
        "Prefer a name in your own domain with a CNAME to the deployment name.",
        target,
    )


def check_renewal_cn(ctx: LintContext) -> RuleResult:
    """On renewal the CN equals the previous certificate's CN exactly, letter case included."""
    previous = ctx.previous_cn
    if previous is None:
        return RENEWAL_CN.not_applicable("Not a renewal (no previous certificate CN): does not apply.")
    cn = ctx.cn or ""
    if cn == previous:
        return RENEWAL_CN.passed(f"The CN '{cn}' is identical to the previous certificate's.", cn)
    fix = f"Request the renewal with the CN exactly '{previous}'; a different name needs a new CMG."
    if cn.lower() == previous.lower():
        return RENEWAL_CN.failed(
            f"The CN '{cn}' differs from the previous '{previous}' in letter case; the CMG rejects it.",
            fix,
            cn,
        )
    return RENEWAL_CN.failed(f"The CN '{cn}' differs from the previous certificate's '{previous}'.", fix, cn)
