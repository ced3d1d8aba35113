"""Judging a stored service-name probe: name matching, CNAME verdict and the PROBE-* rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cmgtui.domain.rules.checks import evaluate
from cmgtui.domain.rules.probe import (
    EVIDENCE_KEY,
    certificate_names,
    cname_verdict,
    hostname_matches,
    name_matches_certificate,
)
from cmgtui.domain.rules.results import Status
from cmgtui.model import AzureEnvironment, Profile
from cmgtui.model.profile import DeployedCmg, Evidence

NOW = datetime(2026, 11, 26, tzinfo=UTC)
DEPLOYMENT = "granitefalls.westus.cloudapp.azure.com"


@pytest.mark.parametrize(
    ("pattern", "host", "ok"),
    [
        ("GraniteFalls.contoso.com", "granitefalls.contoso.com", True),
        ("*.contoso.com", "granitefalls.contoso.com", True),
        ("*.contoso.com", "a.b.contoso.com", False),
        ("*.com", "contoso.com", False),
        ("granitefalls.contoso.com.", "granitefalls.contoso.com", True),
        ("other.contoso.com", "granitefalls.contoso.com", False),
        ("", "granitefalls.contoso.com", False),
    ],
)
def test_hostname_matching(pattern: str, host: str, ok: bool) -> None:
    assert hostname_matches(pattern, host) is ok


def test_certificate_names_read_cn_and_sans() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "GraniteFalls.contoso.com")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=9))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("cmg.contoso.com")]), critical=False)
            .sign(key, hashes.SHA256()))
    cn, sans, not_after = certificate_names(cert.public_bytes(serialization.Encoding.DER))
    assert (cn, sans) == ("GraniteFalls.contoso.com", ["cmg.contoso.com"])
    assert not_after.startswith("2026-12-05")
    assert name_matches_certificate("cmg.contoso.com", cn, sans)
    with pytest.raises(ValueError):
        certificate_names(b"not a certificate")


def test_cname_by_chain_by_address_and_mismatch() -> None:
    chain = {"canonical": DEPLOYMENT, "aliases": ["granitefalls.contoso.com"], "addresses": ["20.1.2.3"]}
    ok, how = cname_verdict(DEPLOYMENT, chain, [])
    assert ok and "through" in how
    flat = {"canonical": "granitefalls.contoso.com", "aliases": [], "addresses": ["20.1.2.3"]}
    ok, how = cname_verdict(DEPLOYMENT, flat, ["20.1.2.3"])
    assert ok and "same address" in how
    ok, how = cname_verdict(DEPLOYMENT, flat, ["20.9.9.9"])
    assert not ok and "20.1.2.3" in how


def _profile(record: dict[str, Any] | None, *, deployed: bool = True) -> Profile:
    profile = Profile(name="p", environment=AzureEnvironment.PUBLIC, region="westus")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    if deployed:
        profile.gateway.deployed = DeployedCmg(region="westus", service_name="GraniteFalls.contoso.com")
    if record is not None:
        profile.evidence[EVIDENCE_KEY] = Evidence(source=EVIDENCE_KEY, data=record)
    return profile


def _good() -> dict[str, Any]:
    return {
        "service_name": "GraniteFalls.contoso.com", "expected_target": DEPLOYMENT, "needs_cname": True,
        "dns": {"ok": True, "canonical": DEPLOYMENT, "aliases": ["GraniteFalls.contoso.com"],
                "addresses": ["20.1.2.3"], "error": ""},
        "target_addresses": ["20.1.2.3"],
        "tcp": {"ok": True, "host": "20.1.2.3", "port": 443, "error": ""},
        "tls": {"ok": True, "error": "", "common_name": "GraniteFalls.contoso.com", "sans": [],
                "trusted": True, "trust_error": "", "not_after": "2027-01-01T00:00:00+00:00"},
    }


def _probe(profile: Profile) -> dict[str, Any]:
    return {r.rule: r for r in evaluate(profile, NOW) if r.rule.startswith("PROBE-")}


def test_no_probe_yet_asks_to_run_it() -> None:
    results = _probe(_profile(None))
    assert set(results) == {"PROBE-DNS", "PROBE-CNAME", "PROBE-TCP", "PROBE-TLS-NAME", "PROBE-TLS-TRUST"}
    assert all(r.status is Status.SKIP and "live probe" in r.message for r in results.values())


def test_a_good_probe_passes_every_rule() -> None:
    results = _probe(_profile(_good()))
    assert {k: r.status for k, r in results.items()} == dict.fromkeys(results, Status.PASS)


def test_probe_for_another_name_is_stale() -> None:
    record = _good()
    record["service_name"] = "old.contoso.com"
    dns = _probe(_profile(record))["PROBE-DNS"]
    assert dns.status is Status.SKIP and "run it again" in dns.message


def test_each_failure_is_named() -> None:
    record = _good()
    record["dns"]["canonical"], record["dns"]["aliases"] = "granitefalls.contoso.com", []
    record["target_addresses"] = ["20.9.9.9"]
    record["tls"].update(common_name="other.contoso.com", trusted=False, trust_error="self-signed certificate")
    results = _probe(_profile(record))
    assert results["PROBE-CNAME"].status is Status.FAIL and DEPLOYMENT in results["PROBE-CNAME"].fix
    assert results["PROBE-TLS-NAME"].status is Status.FAIL
    assert "other.contoso.com" in results["PROBE-TLS-NAME"].message
    assert results["PROBE-TLS-TRUST"].status is Status.WARN
    assert results["PROBE-TCP"].status is Status.PASS


def test_unresolvable_name_fails_dns_and_waits_for_the_rest() -> None:
    record = {"service_name": "GraniteFalls.contoso.com", "expected_target": DEPLOYMENT, "needs_cname": True,
              "dns": {"ok": False, "error": "name not found"}, "target_addresses": []}
    results = _probe(_profile(record))
    assert results["PROBE-DNS"].status is Status.FAIL and "name not found" in results["PROBE-DNS"].message
    assert results["PROBE-CNAME"].status is Status.SKIP
    assert results["PROBE-TCP"].status is Status.SKIP
    assert results["PROBE-TLS-NAME"].status is Status.SKIP


def test_azure_name_needs_no_cname() -> None:
    record = _good()
    record["needs_cname"] = False
    assert _probe(_profile(record))["PROBE-CNAME"].status is Status.SKIP


def test_before_deployment_a_failing_probe_is_not_deployed_yet_not_a_problem() -> None:
    """Issue 10.2: the screen says to expect failures before the CMG is deployed."""
    from cmgtui.domain.rules.checks import part_status
    from cmgtui.domain.rules.results import Phase

    record = {"service_name": "GraniteFalls.contoso.com", "expected_target": DEPLOYMENT, "needs_cname": True,
              "dns": {"ok": False, "error": "name not found"}, "target_addresses": []}
    profile = _profile(record, deployed=False)
    dns = _probe(profile)["PROBE-DNS"]
    assert dns.status is Status.SKIP and dns.message.startswith("Not deployed yet:")
    assert "name not found" in dns.message
    assert part_status(profile, Phase.CLIENTS, NOW).state.value != "problem"
    profile.gateway.deployed = DeployedCmg(region="westus")
    assert _probe(profile)["PROBE-DNS"].status is Status.FAIL
    assert part_status(profile, Phase.CLIENTS, NOW).state.value == "problem"
