"""Judging a live probe of the CMG service name (Part 5; domain sheet §3.5, §9 V14).

The network work happens in :mod:`cmgtui.cloud.probe`, which records what it saw as a plain
dict in ``profile.evidence["probe.service"].data``. This module reads that record and says
whether clients will reach the CMG: the name resolves, a name in the customer's own domain is
a CNAME of the deployment name, TCP 443 answers, and the TLS certificate is for the service
name. No I/O happens here.

Evidence ``probe.service`` data::

    {"service_name": str, "expected_target": str | None, "needs_cname": bool,
     "dns": {"ok": bool, "canonical": str, "aliases": [str], "addresses": [str], "error": str},
     "target_addresses": [str],
     "tcp": {"ok": bool, "host": str, "port": int, "error": str},
     "tls": {"ok": bool, "error": str, "common_name": str, "sans": [str],
             "trusted": bool | None, "trust_error": str, "not_after": str}}
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cmgtui.domain.azure.names import derive_names, effective_service_name
from cmgtui.domain.rules.results import Phase, RuleResult, Severity, Status
from cmgtui.domain.rules.rulebook import Check, ProfileRule, Verdicts, evidence_age, evidence_data, rule
from cmgtui.model.profile import Profile

__all__ = ["EVIDENCE_KEY", "RULES", "certificate_names", "cname_verdict", "hostname_matches", "name_matches_certificate"]

EVIDENCE_KEY = "probe.service"
RULES: list[ProfileRule] = []
_RUN = "Run the live probe of the service name in Part 5."
_AFTER_DEPLOYMENT = ("The live probe applies once the CMG is deployed: mark it deployed in Part 4, "
                     "then run the probe in Part 5.")


def _norm(name: str) -> str:
    return name.strip().rstrip(".").lower()


def hostname_matches(pattern: str, host: str) -> bool:
    """True when a certificate name ``pattern`` covers ``host`` (a '*' only as the whole first label)."""
    pat, name = _norm(pattern), _norm(host)
    if not pat or not name:
        return False
    if pat.startswith("*."):
        head, _, rest = name.partition(".")
        return bool(head) and rest == pat[2:] and "." in rest
    return pat == name


def certificate_names(der: bytes) -> tuple[str, list[str], str]:
    """(subject CN, DNS SAN names, not-after ISO time) of a DER certificate; ValueError if unreadable.

    ``cryptography`` is imported here, not with the module: the rules import this module
    before the first frame, which reads no certificate.
    """
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    cert = x509.load_der_x509_certificate(der)
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = str(cns[0].value) if cns else ""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        sans = [str(n) for n in san.get_values_for_type(x509.DNSName)]
    except x509.ExtensionNotFound:
        sans = []
    return cn, sans, cert.not_valid_after_utc.isoformat()


def name_matches_certificate(service_name: str, common_name: str, sans: list[str]) -> bool:
    """True when the certificate's CN or one of its DNS SANs covers ``service_name``."""
    return any(hostname_matches(n, service_name) for n in [common_name, *sans] if n)


def cname_verdict(expected_target: str, dns: dict[str, Any], target_addresses: list[str]) -> tuple[bool, str]:
    """Whether the resolution shows the service name aliasing ``expected_target``, and how we know.

    The resolver's canonical name (or alias chain) naming the deployment name is proof; when
    the resolver shows no chain, the same addresses as the deployment name count as a match.
    """
    target = _norm(expected_target)
    chain = [_norm(dns.get("canonical", "")), *(_norm(a) for a in dns.get("aliases", []))]
    if target in chain:
        return True, f"resolves through {expected_target}"
    mine, theirs = set(dns.get("addresses", [])), set(target_addresses)
    if mine and theirs and mine & theirs:
        return True, f"same address as {expected_target} ({', '.join(sorted(mine & theirs))})"
    canonical = dns.get("canonical", "") or "itself"
    return False, f"canonical name {canonical}, addresses {', '.join(dns.get('addresses', [])) or 'none'}"


def _observation(v: Verdicts, p: Profile) -> dict[str, Any] | RuleResult:
    """The stored probe for the current service name, or the SKIP saying what to do."""
    service = effective_service_name(p.certificate.service_name, p.certificate.wildcard_prefix)
    if not service:
        return v.needs("Enter the CMG service name in Part 1 before probing it.")
    data = evidence_data(p, EVIDENCE_KEY)
    if data is None:
        return v.needs(_RUN)
    if _norm(str(data.get("service_name", ""))) != _norm(service):
        return v.needs(f"The probe was for {data.get('service_name')}; run it again for {service}.")
    return data


def _probe_rule(rule_id: str, phase: Phase, severity: Severity, ref: str) -> Callable[[Check], Check]:
    """Register a probe rule that applies once the CMG is deployed.

    Before the CMG exists (Part 4 hasn't recorded a deployment) its name can't resolve or
    answer: a probe not run yet is not missing from the plan, and a probe's failure is shown as
    expected ("Not deployed yet"), not as a problem of the plan. Both don't apply until then;
    a probe that already passes is shown as passing.
    """
    def register(check: Check) -> Check:
        def judged(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
            result = check(v, p, now)
            if p.gateway.deployed is not None or result.status is Status.PASS:
                return result
            if result.status in (Status.FAIL, Status.WARN):
                return v.not_needed(f"Not deployed yet: {result.message} That is expected until the CMG is "
                                    "deployed; mark it deployed in Part 4 and probe again.")
            return v.not_needed(_AFTER_DEPLOYMENT)

        rule(RULES, rule_id, phase, severity, ref)(judged)
        return check

    return register


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@_probe_rule("PROBE-DNS", Phase.CLIENTS, Severity.ERROR, "V14")
def probe_dns(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    data = _observation(v, p)
    if isinstance(data, RuleResult):
        return data
    dns = data.get("dns", {})
    name = data.get("service_name", "")
    if dns.get("ok"):
        return v.passed(f"{name} resolves to {', '.join(dns.get('addresses', []))}.", evidence_age(p, EVIDENCE_KEY))
    return v.failed(f"{name} doesn't resolve: {dns.get('error') or 'no address'}.",
                    "Create the public DNS record for the service name (a CNAME to the deployment name).",
                    evidence_age(p, EVIDENCE_KEY))


@_probe_rule("PROBE-CNAME", Phase.CLIENTS, Severity.ERROR, "V14")
def probe_cname(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    data = _observation(v, p)
    if isinstance(data, RuleResult):
        return data
    if not data.get("needs_cname", True):
        return v.not_needed("The service name is an Azure name; no CNAME is involved.")
    target = data.get("expected_target") or ""
    if not target:
        names = derive_names(p)
        if names is None:
            return v.needs("Choose the Azure environment and region so the deployment name is known.")
        target = names.deployment_name
    dns = data.get("dns", {})
    if not dns.get("ok"):
        return v.needs("The service name doesn't resolve yet; fix DNS first.")
    ok, how = cname_verdict(target, dns, list(data.get("target_addresses", [])))
    if ok:
        return v.passed(f"{data.get('service_name')} {how}.", evidence_age(p, EVIDENCE_KEY))
    return v.failed(f"{data.get('service_name')} isn't a CNAME of {target} ({how}).",
                    f"Point a public DNS CNAME record for the service name at {target}.",
                    evidence_age(p, EVIDENCE_KEY))


@_probe_rule("PROBE-TCP", Phase.CLIENTS, Severity.ERROR, "cmg-domain §7.2")
def probe_tcp(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    data = _observation(v, p)
    if isinstance(data, RuleResult):
        return data
    tcp = data.get("tcp", {})
    where = f"{tcp.get('host', '?')}:{tcp.get('port', 443)}"
    if tcp.get("ok"):
        return v.passed(f"TCP {where} accepts connections.", evidence_age(p, EVIDENCE_KEY))
    if not tcp:
        return v.needs("The probe didn't get as far as TCP; fix DNS first.")
    return v.failed(f"TCP {where} doesn't answer: {tcp.get('error') or 'no connection'}.",
                    "Check that the CMG is running and that nothing between clients and Azure blocks port 443.",
                    evidence_age(p, EVIDENCE_KEY))


@_probe_rule("PROBE-TLS-NAME", Phase.CLIENTS, Severity.ERROR, "V07")
def probe_tls_name(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    data = _observation(v, p)
    if isinstance(data, RuleResult):
        return data
    tls = data.get("tls", {})
    if not tls:
        return v.needs("The probe didn't get as far as TLS; fix TCP 443 first.")
    if not tls.get("ok"):
        return v.failed(f"TLS handshake failed: {tls.get('error') or 'unknown error'}.",
                        "Check the CMG's server certificate in the console and in Azure.",
                        evidence_age(p, EVIDENCE_KEY))
    name, cn, sans = str(data.get("service_name", "")), str(tls.get("common_name", "")), list(tls.get("sans", []))
    shown = cn or (sans[0] if sans else "no name")
    if name_matches_certificate(name, cn, sans) and not _is_ip(name):
        return v.passed(f"The certificate served is for {shown}, matching {name}.", shown)
    return v.failed(f"The certificate served is for {shown}, not {name}.",
                    "Make sure the DNS name points at this CMG and the CMG uses the certificate for this name.",
                    shown)


@_probe_rule("PROBE-TLS-TRUST", Phase.CLIENTS, Severity.WARNING, "cmg-domain §3.1")
def probe_tls_trust(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    data = _observation(v, p)
    if isinstance(data, RuleResult):
        return data
    tls = data.get("tls", {})
    if not tls.get("ok") or tls.get("trusted") is None:
        return v.needs("The probe didn't complete a TLS handshake; trust wasn't judged.")
    if tls["trusted"]:
        return v.passed("The certificate chains to a root this machine trusts.")
    return v.failed(f"This machine doesn't trust the certificate: {tls.get('trust_error') or 'untrusted chain'}.",
                    "Clients must trust the issuing root: use a public CA, or deploy your root CA to clients.",
                    str(tls.get("trust_error", "")))
