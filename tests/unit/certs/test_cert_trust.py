"""Trusted root and intermediate .cer checks for PKI client authentication."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cmgtui.domain.certs import (
    CertificateInputError,
    TrustedCa,
    check_trusted_ca_files,
    check_trusted_cas,
    describe_certificate,
    load_trusted_ca_file,
)
from cmgtui.domain.rules.results import Phase, RuleResult, Status

from .cert_factory import NOW, Leaf, ca_certificate, intermediate, pfx_bytes, root, rsa_key


def ca(cert: x509.Certificate) -> TrustedCa:
    return TrustedCa("test.cer", cert, describe_certificate(cert))


def failures(results: list[RuleResult]) -> list[tuple[str, str]]:
    return [(r.rule, r.message) for r in results if r.status is Status.FAIL]


def test_root_and_intermediate_pass(tmp_path: Path) -> None:
    paths = []
    for name, cert in (("root.cer", root()), ("issuing.cer", intermediate())):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(cert.public_bytes(serialization.Encoding.DER))
    cas, results = check_trusted_ca_files(paths, now=NOW)
    assert [c.is_root for c in cas] == [True, False]
    assert all(r.phase is Phase.CLIENT_AUTH for r in results)
    assert {r.status for r in results} == {Status.PASS}
    kinds = [r.message for r in results if r.rule == "TRUST-KIND"]
    assert kinds == [
        "'Contoso Test Root' is a self-signed root.",
        "'Contoso Test Issuing CA' is an intermediate issued by 'Contoso Test Root'.",
    ]
    assert cas[0].info.thumbprint and cas[0].info.subject == "O=Contoso Test PKI,CN=Contoso Test Root"


def test_intermediate_without_its_root_fails_chain_and_presence() -> None:
    results = check_trusted_cas([ca(intermediate())], now=NOW)
    assert {rule for rule, _ in failures(results)} == {"TRUST-CHAIN", "TRUST-PRESENT"}
    assert "'Contoso Test Root') is not among" in dict(failures(results))["TRUST-CHAIN"]


def test_non_ca_certificate_fails_the_ca_rule() -> None:
    results = check_trusted_cas([ca(root()), ca(Leaf(self_signed=True).build())], now=NOW)
    assert failures(results) == [
        (
            "TRUST-CA",
            "'GraniteFalls.contoso.com' is not a CA certificate (basic constraints CA is not set); "
            "it cannot anchor client certificates.",
        )
    ]


def test_expired_root_fails_validity() -> None:
    old = ca_certificate(
        "Old Root", rsa_key(2048, 6), not_before=NOW - timedelta(days=900), not_after=NOW - timedelta(days=3)
    )
    assert [rule for rule, _ in failures(check_trusted_cas([ca(old)], now=NOW))] == ["TRUST-VALIDITY"]


def test_root_expiring_soon_warns() -> None:
    soon = ca_certificate("Soon Root", rsa_key(2048, 6), not_after=NOW + timedelta(days=10))
    results = check_trusted_cas([ca(soon)], now=NOW)
    assert [r.rule for r in results if r.status is Status.WARN] == ["TRUST-VALIDITY"]


def test_intermediate_signed_by_another_key_of_the_same_name_fails() -> None:
    impostor_root = ca_certificate("Contoso Test Root", rsa_key(2048, 6))
    results = check_trusted_cas([ca(impostor_root), ca(intermediate())], now=NOW)
    assert [rule for rule, _ in failures(results)] == ["TRUST-CHAIN"]


def test_empty_list_fails() -> None:
    assert [rule for rule, _ in failures(check_trusted_cas([], now=NOW))] == ["TRUST-PRESENT"]


def test_file_with_a_private_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "root.pfx"
    path.write_bytes(pfx_bytes(root(), rsa_key(2048, 1), password=None))
    with pytest.raises(CertificateInputError, match="never its key"):
        load_trusted_ca_file(path)
