"""Every certificate lint rule: a certificate built here that breaks exactly that rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID

from cmgtui.domain.certs import RULE_IDS, CertificateBundle, SourceFormat, lint_server_certificate
from cmgtui.domain.rules.results import Phase, RuleResult, Severity, Status

from .cert_factory import (
    NOW,
    Leaf,
    bundle,
    ca_certificate,
    dsa_key,
    ec_key,
    intermediate,
    root,
    rsa_key,
    server_key_usage,
    weak_signed,
)


def lint(b: CertificateBundle, **kwargs: object) -> dict[str, RuleResult]:
    results = lint_server_certificate(b, now=NOW, **kwargs)  # type: ignore[arg-type]
    return {r.rule: r for r in results}


def only_broken(results: dict[str, RuleResult], rule: str, status: Status = Status.FAIL) -> RuleResult:
    """Assert ``rule`` has ``status`` and no other rule failed; return the result."""
    assert results[rule].status is status, results[rule]
    others = [r.rule for r in results.values() if r.rule != rule and r.status is Status.FAIL]
    assert others == []
    return results[rule]


def not_clean(results: dict[str, RuleResult]) -> list[str]:
    """Rules that warned or failed, besides the expected mixed-case prefix warning."""
    return [
        r.rule for r in results.values() if r.status in (Status.WARN, Status.FAIL) and r.rule != "CERT-PREFIX"
    ]


def test_good_certificate_passes_cleanly() -> None:
    results = lint(bundle())
    assert list(results) == list(RULE_IDS)
    assert not_clean(results) == []
    # GraniteFalls has capitals: the documented V10 warning, nothing else.
    assert results["CERT-PREFIX"].status is Status.WARN
    assert "granitefalls" in results["CERT-PREFIX"].message
    assert results["CERT-RENEWAL-CN"].status is Status.SKIP
    assert "root is included" in results["CERT-CHAIN"].message
    assert all(r.phase is Phase.CERTIFICATE for r in results.values())
    assert all(r.fix == "" for r in results.values() if r.status is Status.PASS)


def test_lower_case_good_certificate_has_no_warning_at_all() -> None:
    name = "granitefalls.contoso.com"
    results = lint(bundle(Leaf(cn=name, sans=(name,))))
    assert {r.status for r in results.values()} == {Status.PASS, Status.SKIP}


def test_every_failure_says_how_to_fix() -> None:
    broken = bundle(Leaf(cn="x", sans=None, eku=None, key=rsa_key(1024)), chain=(), key=None)
    results = lint(broken)
    failed = [r for r in results.values() if r.status is Status.FAIL]
    assert {r.rule for r in failed} >= {"CERT-PRIVATE-KEY", "CERT-KEY-SIZE", "CERT-EKU", "CERT-CN"}
    assert all(r.fix and r.severity is Severity.ERROR for r in failed)


# CERT-PRIVATE-KEY


def test_missing_private_key_fails() -> None:
    result = only_broken(lint(bundle(key=None)), "CERT-PRIVATE-KEY")
    assert "no private key" in result.message
    assert "export the private key" in result.fix


def test_private_key_of_another_certificate_fails() -> None:
    result = only_broken(lint(bundle(key=rsa_key(2048, 3))), "CERT-PRIVATE-KEY")
    assert "does not belong" in result.message


# CERT-KEY-ALGORITHM / CERT-KEY-SIZE


@pytest.mark.parametrize(("key", "words"), [(ec_key, "ECC secp256r1"), (dsa_key, "DSA 1024-bit")])
def test_non_rsa_key_fails_the_algorithm_rule(key, words: str) -> None:  # type: ignore[no-untyped-def]
    results = lint(bundle(Leaf(key=key())))
    result = only_broken(results, "CERT-KEY-ALGORITHM")
    assert words in result.message and "only RSA" in result.message
    assert results["CERT-KEY-SIZE"].status is Status.SKIP


def test_rsa_1024_fails_the_size_rule() -> None:
    result = only_broken(lint(bundle(Leaf(key=rsa_key(1024)))), "CERT-KEY-SIZE")
    assert "1024 bits is too short" in result.message


def test_rsa_3072_warns() -> None:
    results = lint(bundle(Leaf(key=rsa_key(3072))))
    only_broken(results, "CERT-KEY-SIZE", Status.WARN)
    assert not_clean(results) == ["CERT-KEY-SIZE"]


def test_rsa_4096_passes() -> None:
    results = lint(bundle(Leaf(key=rsa_key(4096))))
    assert results["CERT-KEY-SIZE"].status is Status.PASS
    assert results["CERT-KEY-SIZE"].evidence == "4096 bits"


# CERT-SIGNATURE-HASH


@pytest.mark.parametrize("hash_name", ["sha1", "md5"])
def test_sha1_and_md5_signatures_fail(hash_name: str) -> None:
    b = CertificateBundle(
        weak_signed(hash_name), (intermediate(), root()), rsa_key(2048, 0), SourceFormat.PKCS12
    )
    result = only_broken(lint(b), "CERT-SIGNATURE-HASH")
    assert hash_name.upper() in result.message and "SHA-256" in result.fix


def test_sha384_passes_and_sha224_warns() -> None:
    assert lint(bundle(Leaf(hash_algorithm=hashes.SHA384())))["CERT-SIGNATURE-HASH"].status is Status.PASS
    only_broken(lint(bundle(Leaf(hash_algorithm=hashes.SHA224()))), "CERT-SIGNATURE-HASH", Status.WARN)


# CERT-EKU


def test_missing_eku_fails() -> None:
    result = only_broken(lint(bundle(Leaf(eku=None))), "CERT-EKU")
    assert "no enhanced key usage" in result.message


def test_client_auth_only_eku_fails() -> None:
    result = only_broken(lint(bundle(Leaf(eku=(ExtendedKeyUsageOID.CLIENT_AUTH,)))), "CERT-EKU")
    assert result.evidence == "Client Authentication"
    assert "1.3.6.1.5.5.7.3.1" in result.message


# CERT-KEY-USAGE


def test_key_usage_without_signature_or_encipherment_fails() -> None:
    usage = server_key_usage(digital_signature=False, key_encipherment=False)
    only_broken(lint(bundle(Leaf(key_usage=usage))), "CERT-KEY-USAGE")


def test_key_usage_with_only_digital_signature_warns() -> None:
    result = only_broken(
        lint(bundle(Leaf(key_usage=server_key_usage(key_encipherment=False)))), "CERT-KEY-USAGE", Status.WARN
    )
    assert "lacks key encipherment" in result.message


def test_ca_certificate_as_server_certificate_fails_key_usage() -> None:
    result = only_broken(lint(bundle(Leaf(is_ca=True))), "CERT-KEY-USAGE")
    assert "CA certificate" in result.message


# CERT-CN


def test_missing_cn_fails() -> None:
    results = lint(bundle(Leaf(cn=None)))
    assert results["CERT-CN"].status is Status.FAIL
    assert "no common name" in results["CERT-CN"].message
    assert results["CERT-PREFIX"].status is Status.SKIP


def test_single_label_cn_fails() -> None:
    results = lint(bundle(Leaf(cn="granitefalls", sans=("granitefalls",))))
    result = only_broken(results, "CERT-CN")
    assert "not a fully qualified" in result.message


def test_cn_not_matching_the_chosen_service_name_fails() -> None:
    results = lint(bundle(), service_name="Contoso1.contoso.com")
    assert results["CERT-CN"].status is Status.FAIL
    assert "not for the service name 'Contoso1.contoso.com'" in results["CERT-CN"].message


# CERT-PREFIX


@pytest.mark.parametrize(
    ("cn", "reason"),
    [
        ("granite-falls.contoso.com", "no hyphens"),
        ("gf.contoso.com", "is 2 characters"),
        ("1granitefalls.contoso.com", "start with a letter"),
        ("a" * 25 + ".contoso.com", "is 25 characters"),
    ],
)
def test_prefix_breaking_the_storage_rule_fails(cn: str, reason: str) -> None:
    result = only_broken(lint(bundle(Leaf(cn=cn, sans=(cn,)))), "CERT-PREFIX")
    assert reason in result.message


def test_wildcard_without_a_prefix_warns_asking_for_it() -> None:
    """Issue 10.2: a valid wildcard certificate whose prefix is still to choose is not a failing certificate."""
    results = lint(bundle(Leaf(cn="*.contoso.com", sans=("*.contoso.com",))))
    result = only_broken(results, "CERT-PREFIX", Status.WARN)
    assert "replaces '*'" in result.message and "--service-name" in result.fix
    assert results["CERT-CN"].status is Status.PASS


@pytest.mark.parametrize("service", ["granitefalls", "granitefalls.contoso.com"])
def test_wildcard_with_a_prefix_passes(service: str) -> None:
    results = lint(bundle(Leaf(cn="*.contoso.com", sans=("*.contoso.com",))), service_name=service)
    assert {r.status for r in results.values()} == {Status.PASS, Status.SKIP}
    assert results["CERT-PREFIX"].evidence == "granitefalls"
    assert "granitefalls.contoso.com" in results["CERT-SAN"].message


def test_wildcard_with_an_invalid_prefix_fails() -> None:
    results = lint(bundle(Leaf(cn="*.contoso.com", sans=("*.contoso.com",))), service_name="cmg_01")
    only_broken(results, "CERT-PREFIX")


# CERT-SAN


def test_missing_san_warns() -> None:
    results = lint(bundle(Leaf(sans=None)))
    only_broken(results, "CERT-SAN", Status.WARN)
    assert not_clean(results) == ["CERT-SAN"]


def test_san_without_the_service_name_fails() -> None:
    result = only_broken(lint(bundle(Leaf(sans=("other.contoso.com",)))), "CERT-SAN")
    assert "do not include 'GraniteFalls.contoso.com'" in result.message


def test_san_with_only_an_ip_address_fails() -> None:
    only_broken(lint(bundle(Leaf(san_ips_only=True))), "CERT-SAN")


def test_first_san_name_not_the_service_name_warns() -> None:
    result = only_broken(
        lint(bundle(Leaf(sans=("www.contoso.com", "GraniteFalls.contoso.com")))), "CERT-SAN", Status.WARN
    )
    assert "-ServiceName" in result.fix


# CERT-DOMAIN


def test_classic_cloudapp_net_name_fails() -> None:
    cn = "granitefalls.cloudapp.net"
    result = only_broken(lint(bundle(Leaf(cn=cn, sans=(cn,)))), "CERT-DOMAIN")
    assert "scale set" in result.message


def test_azure_domain_name_warns_that_only_an_enterprise_pki_can_issue_it() -> None:
    cn = "granitefalls.westus.cloudapp.azure.com"
    results = lint(bundle(Leaf(cn=cn, sans=(cn,))))
    result = only_broken(results, "CERT-DOMAIN", Status.WARN)
    assert "public CAs cannot" in result.message


def test_azure_domain_name_of_the_wrong_shape_fails() -> None:
    cn = "granitefalls.cloudapp.azure.com"
    result = only_broken(lint(bundle(Leaf(cn=cn, sans=(cn,)))), "CERT-DOMAIN")
    assert "<prefix>.<region>.cloudapp.azure.com" in result.message


def test_azure_domain_name_for_another_region_fails() -> None:
    cn = "granitefalls.westus.cloudapp.azure.com"
    result = only_broken(lint(bundle(Leaf(cn=cn, sans=(cn,))), region="eastus"), "CERT-DOMAIN")
    assert "'westus'" in result.message and "'eastus'" in result.message


def test_own_domain_passes_and_names_the_cname() -> None:
    result = lint(bundle())["CERT-DOMAIN"]
    assert result.status is Status.PASS
    assert (
        "CNAME from GraniteFalls.contoso.com to the deployment name GraniteFalls.<region>.cloudapp.azure.com"
        in (result.message)
    )


# CERT-VALIDITY


def test_expired_certificate_fails() -> None:
    leaf = Leaf(not_before=NOW - timedelta(days=400), not_after=NOW - timedelta(days=2))
    result = only_broken(lint(bundle(leaf)), "CERT-VALIDITY")
    assert "expired on" in result.message


def test_not_yet_valid_certificate_fails() -> None:
    leaf = Leaf(not_before=NOW + timedelta(days=2), not_after=NOW + timedelta(days=300))
    result = only_broken(lint(bundle(leaf)), "CERT-VALIDITY")
    assert "not valid yet" in result.message


def test_expiring_within_30_days_warns() -> None:
    result = only_broken(
        lint(bundle(Leaf(not_after=NOW + timedelta(days=20, hours=1)))), "CERT-VALIDITY", Status.WARN
    )
    assert result.severity is Severity.WARNING and "expires in 20 days" in result.message


def test_expiring_within_90_days_warns_as_info() -> None:
    result = only_broken(
        lint(bundle(Leaf(not_after=NOW + timedelta(days=60, hours=1)))), "CERT-VALIDITY", Status.WARN
    )
    assert result.severity is Severity.INFO and "plan its renewal" in result.message


# CERT-CHAIN


def test_leaf_without_its_issuing_ca_warns() -> None:
    results = lint(bundle(chain=()))
    result = only_broken(results, "CERT-CHAIN", Status.WARN)
    assert "Contoso Test Issuing CA" in result.message
    assert not_clean(results) == ["CERT-CHAIN"]


def test_chain_without_root_passes_and_says_so() -> None:
    result = lint(bundle(chain=(intermediate(),)))["CERT-CHAIN"]
    assert result.status is Status.PASS
    assert "the root 'Contoso Test Root' is not included" in result.message


def test_intermediate_with_the_right_name_but_another_key_fails() -> None:
    impostor = ca_certificate("Contoso Test Issuing CA", rsa_key(2048, 4), (root(), rsa_key(2048, 1)))
    result = only_broken(lint(bundle(chain=(impostor, root()))), "CERT-CHAIN")
    assert "does not verify" in result.message


def test_expired_intermediate_fails() -> None:
    old = ca_certificate(
        "Contoso Test Issuing CA",
        rsa_key(2048, 2),
        (root(), rsa_key(2048, 1)),
        not_before=NOW - timedelta(days=800),
        not_after=NOW - timedelta(days=1),
    )
    result = only_broken(lint(bundle(chain=(old, root()))), "CERT-CHAIN")
    assert "expired" in result.message


def test_issuer_that_is_not_a_ca_fails() -> None:
    not_ca = ca_certificate(
        "Contoso Test Issuing CA", rsa_key(2048, 2), (root(), rsa_key(2048, 1)), is_ca=False
    )
    result = only_broken(lint(bundle(chain=(not_ca, root()))), "CERT-CHAIN")
    assert "not marked as a CA" in result.message


def test_self_signed_server_certificate_warns() -> None:
    result = only_broken(lint(bundle(Leaf(self_signed=True), chain=())), "CERT-CHAIN", Status.WARN)
    assert "self-signed" in result.message


def test_unrelated_extra_certificates_are_mentioned() -> None:
    stranger = ca_certificate("Fabrikam Root", rsa_key(2048, 5))
    result = lint(bundle(chain=(stranger, intermediate(), root())))["CERT-CHAIN"]
    assert result.status is Status.PASS and "1 other certificate(s)" in result.message


# CERT-RENEWAL-CN


def test_renewal_with_identical_cn_passes() -> None:
    assert lint(bundle(), previous="GraniteFalls.contoso.com")["CERT-RENEWAL-CN"].status is Status.PASS


def test_renewal_with_other_letter_case_fails() -> None:
    previous = Leaf(cn="granitefalls.contoso.com", sans=("granitefalls.contoso.com",)).build()
    result = only_broken(lint(bundle(), previous=previous), "CERT-RENEWAL-CN")
    assert "letter case" in result.message and "'granitefalls.contoso.com'" in result.fix


def test_renewal_with_another_name_fails() -> None:
    result = only_broken(lint(bundle(), previous="Contoso1.contoso.com"), "CERT-RENEWAL-CN")
    assert "differs from the previous" in result.message


# CERT-FORMAT


def test_pem_bundle_warns_that_the_wizard_needs_a_pfx() -> None:
    results = lint(bundle(source_format=SourceFormat.PEM))
    result = only_broken(results, "CERT-FORMAT", Status.WARN)
    assert "cmgtui cert pfx" in result.fix


@pytest.mark.parametrize(
    ("vector", "rule"),
    [("x509/custom/two_basic_constraints.pem", "CERT-EKU"), ("x509/san_x400address.der", "CERT-SAN")],
)
def test_unparseable_field_becomes_a_failed_rule_not_an_exception(vector: str, rule: str) -> None:
    import cryptography_vectors

    from cmgtui.domain.certs import load_certificate_bytes

    with cryptography_vectors.open_vector_file(vector, "rb") as handle:
        loaded = load_certificate_bytes(handle.read(), name=vector)
    result = lint(loaded)[rule]
    assert result.status is Status.FAIL
    assert "cannot be parsed" in result.message
