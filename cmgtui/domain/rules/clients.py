"""Part 3 and Part 5 rules: client authentication and client configuration (§9 V37-V46).

Evidence read:

* ``trust.cas`` (Part 3's check of the trusted CA files, :func:`cmgtui.domain.certs.trust.trust_evidence`):
  ``{"thumbprints": [str], "results": [RuleResult JSON with "fix" and "evidence" (the thumbprint)]}``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cmgtui.domain.clients.cmdlint import lint_command_line
from cmgtui.domain.clients.command_lines import CommandLine, build_entra, build_intune, build_pki, build_token
from cmgtui.domain.rules.results import Phase, RuleResult, Severity, Status
from cmgtui.domain.rules.rulebook import ProfileRule, Verdicts, evidence_data, rule
from cmgtui.domain.validate import mp_role_id_problem
from cmgtui.model.enums import ClientAuthMethod, ManagementPointMode
from cmgtui.model.profile import Profile

RULES: list[ProfileRule] = []
E, W = Severity.ERROR, Severity.WARNING
CA, CL = Phase.CLIENT_AUTH, Phase.CLIENTS
TOKEN_AUTH_VERSION = 2002
MAX_TOKEN_MINUTES = 10_080


def rejected_trusted_certificates(p: Profile) -> dict[str, str]:
    """Stored trusted certificates that Part 3's check failed: thumbprint -> the failure's message.

    Read from the latest ``trust.cas`` evidence, only for certificates still in the profile.
    """
    data = evidence_data(p, "trust.cas") or {}
    stored = {c.thumbprint.strip().lower() for c in p.client_auth.trusted_certificates if c.thumbprint.strip()}
    out: dict[str, str] = {}
    for item in data.get("results", []) if isinstance(data.get("results"), list) else []:
        if not isinstance(item, dict) or item.get("status") != Status.FAIL.value:
            continue
        thumb = str(item.get("evidence", "")).strip().lower()
        if thumb in stored and thumb not in out:
            out[thumb] = f"{item.get('rule', 'TRUST')}: {item.get('message', '')}"
    return out


def _uses(p: Profile, method: ClientAuthMethod) -> bool:
    return method in p.client_auth.methods


@rule(RULES, "CA-METHODS", CA, E, "cmg-domain §2 C17")
def methods(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    chosen = p.client_auth.methods
    if not chosen:
        return v.needs("Choose how internet clients authenticate: Microsoft Entra ID, PKI certificates or tokens.")
    return v.passed("Client authentication: " + ", ".join(m.value for m in chosen) + ".")


@rule(RULES, "CA-MP-MODE", CA, E, "V40")
def mp_mode(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    mode = p.client_auth.management_point_mode
    if mode is None:
        return v.needs("Choose how the management point talks to clients: HTTPS or Enhanced HTTP.")
    if mode is ManagementPointMode.HTTP:
        return v.failed("Management point must be HTTPS or the site must use Enhanced HTTP.",
                        "Turn on 'Use Configuration Manager-generated certificates for HTTP site systems' "
                        "(Enhanced HTTP) or make the MP HTTPS.", mode.value)
    return v.passed(f"Management point uses {'HTTPS' if mode is ManagementPointMode.HTTPS else 'Enhanced HTTP'}.",
                    mode.value)


@rule(RULES, "CA-TRUSTED-ROOTS", CA, E, "V37")
def trusted_roots(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not _uses(p, ClientAuthMethod.PKI):
        return v.not_needed("Trusted root certificates are only needed for PKI client authentication.")
    certs = p.client_auth.trusted_certificates
    rejected = rejected_trusted_certificates(p)
    if rejected:
        first = next(iter(rejected.values()))
        return v.failed(first, "Remove it in Part 3 and add the CA certificates that issue the client "
                        "certificates; the script uploads none until then.", ", ".join(rejected))
    if not any(c.is_root for c in certs):
        return v.failed("No trusted root certificate is added for PKI clients.",
                        "Add the client certificates' root and intermediate CAs.",
                        f"{len(certs)} certificate(s), none a root")
    current = now if now.tzinfo else now.replace(tzinfo=UTC)
    expired = [c.subject or c.path for c in certs
               if c.not_after is not None and (c.not_after if c.not_after.tzinfo else
                                               c.not_after.replace(tzinfo=UTC)) <= current]
    if expired:
        return v.failed(f"Trusted certificate {expired[0]} has expired.",
                        "Replace it with the CA's current certificate.", ", ".join(expired))
    return v.passed(f"{len(certs)} trusted CA certificate(s) including a root.", str(len(certs)))


@rule(RULES, "CA-CRL", CA, W, "V38")
def crl(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not _uses(p, ClientAuthMethod.PKI):
        return v.not_needed("Revocation checking matters only for PKI client certificates.")
    if not p.gateway.check_client_cert_revocation:
        return v.passed("Client certificate revocation checking is off.")
    published = p.client_auth.crl_published
    if published is None:
        return v.needs("Say whether the client certificates' CRL is published on the internet.")
    if not published:
        return v.failed("CRL not publicly reachable while 'Verify client certificate revocation' is on.",
                        "Publish the CRL on the internet, or turn off 'Verify client certificate revocation'.")
    return v.passed("The CRL is published and revocation checking is on.")


@rule(RULES, "CA-TOKEN-VERSION", CA, E, "cmg-domain §0.2")
def token_version(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not _uses(p, ClientAuthMethod.TOKEN):
        return v.not_needed("Token authentication isn't chosen.")
    version = p.site.site_version
    if version is None:
        return v.needs("Enter the site version (e.g. 2309) in the checklist.")
    if version < TOKEN_AUTH_VERSION:
        return v.failed(f"Token authentication needs version {TOKEN_AUTH_VERSION} or later (site is {version}).",
                        "Update the site, or choose Entra ID or PKI authentication.", str(version))
    return v.passed(f"Version {version} supports token authentication.", str(version))


@rule(RULES, "TOKEN-LIFETIME", CA, E, "V45")
def token_lifetime(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not _uses(p, ClientAuthMethod.TOKEN):
        return v.not_needed("Token authentication isn't chosen.")
    draft = p.drafts.get("client_auth.token_lifetime_minutes")
    if draft is not None:
        return v.failed(f"'{draft}' isn't a number of minutes.", "Enter 1 to 10,080 minutes.", draft)
    minutes = p.client_auth.token_lifetime_minutes
    if not 1 <= minutes <= MAX_TOKEN_MINUTES:
        return v.failed(f"Token lifetime must be 1 to 10,080 minutes (7 days); it is {minutes:,}.",
                        "Enter 1 to 10,080 minutes (default 4,320 = 3 days).", str(minutes))
    return v.passed(f"Bulk tokens are valid for {minutes:,} minutes.", str(minutes))


@rule(RULES, "CA-ASPNET", CA, W, "V41")
def aspnet(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not _uses(p, ClientAuthMethod.ENTRA):
        return v.not_needed("ASP.NET 4.5 on the MP is needed only for Entra authentication.")
    if p.client_auth.mp_aspnet45_enabled:
        return v.passed("ASP.NET 4.5 is enabled on the management point.")
    return v.needs("Enable ASP.NET 4.5 on the management point for Entra authentication, then tick it here.")


@rule(RULES, "CLIENTS-SETTINGS", CL, W, "V44")
def client_settings(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    c = p.clients
    off = [name for name, on in (("Enable clients to use a cloud management gateway", c.enable_cmg_setting),
                                 ("Allow access to cloud distribution point", c.allow_cloud_dp_setting)) if not on]
    if off:
        return v.needs(f"In client settings (Cloud Services) set '{off[0]}' to Yes for device collections, "
                       "then tick it here.")
    return v.passed("Client settings let devices use the CMG and its content.")


@rule(RULES, "CLIENTS-MP-ROLE-ID", CL, E, "cmg-domain §7.4")
def mp_role_id(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    role_id = p.clients.mp_role_id.strip()
    problem = mp_role_id_problem(role_id)
    if not role_id:
        return v.needs(problem or "")
    if problem:
        return v.failed(problem, "Copy only the digits after CCM_Proxy_MutualAuth/.", role_id)
    return v.passed(f"MP role ID {role_id}.", role_id)


def _lines(p: Profile) -> list[CommandLine]:
    lines: list[CommandLine] = []
    if _uses(p, ClientAuthMethod.ENTRA):
        lines += [build_entra(p), build_intune(p)]
    if _uses(p, ClientAuthMethod.PKI):
        lines.append(build_pki(p))
    if _uses(p, ClientAuthMethod.TOKEN):
        token = build_token(p)
        # The token is pasted at install time and never stored: judge the other values only.
        rest = [m for m in token.missing if not m.startswith("bulk registration token")]
        lines.append(CommandLine(token.kind, token.title, "", rest))
    return lines


@rule(RULES, "CLIENTS-CMDLINE", CL, E, "V46")
def command_lines(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not p.client_auth.methods:
        return v.needs("Choose the client authentication method(s) in Part 3 to build install command lines.")
    lines = _lines(p)
    for line in lines:
        if line.missing:
            return v.needs(f"{line.title} command line needs: {line.missing[0]}.")
    for line in lines:
        if not line.text:
            continue
        broken = [r for r in lint_command_line(line.text) if r.status in (Status.FAIL, Status.WARN)]
        if broken:
            return v.failed(f"{line.title} command line: {broken[0].message}", broken[0].fix, line.text)
    return v.passed(f"{len(lines)} client command line(s) ready and checked.", ", ".join(x.kind for x in lines))
