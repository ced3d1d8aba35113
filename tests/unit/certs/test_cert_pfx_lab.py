"""PFX assembly from an issued certificate and its key, and the lab-only certificate set."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from cmgtui.domain.certs import (
    CertificateInputError,
    CertificateOutputError,
    SourceFormat,
    load_certificate_file,
)
from cmgtui.domain.certs.lab import LAB_LABEL, build_lab_set
from cmgtui.domain.rules.results import Status
from cmgtui.services.certificate_files import assemble_pfx_file, create_lab_files

from .cert_factory import NOW, intermediate, key_pem, pem, root, rsa_key

PFX_PASSWORD = b"pfx password 123"
KEY_PASSPHRASE = b"key passphrase 123"


def issue(request: x509.CertificateSigningRequest) -> x509.Certificate:
    """What an enterprise CA would do with the request: copy its extensions, sign with SHA-256."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(request.subject)
        .issuer_name(intermediate().subject)
        .public_key(request.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=365))
    )
    for extension in request.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    return builder.sign(rsa_key(2048, 2), hashes.SHA256())


@pytest.fixture
def issued(tmp_path: Path) -> tuple[Path, Path, x509.Certificate]:
    """An encrypted key file and the issued certificate (PEM, with the intermediate)."""
    from cmgtui.domain.certs.csr import build_csr

    key = rsa_key(2048, 8)
    certificate = issue(build_csr(key, "granitefalls.contoso.com"))
    key_path = tmp_path / "granitefalls.key.pem"
    key_path.write_bytes(key_pem(key, KEY_PASSPHRASE))
    cert_path = tmp_path / "issued.cer"
    cert_path.write_bytes(pem(certificate, intermediate()))
    return cert_path, key_path, certificate


def test_assembled_pfx_holds_chain_in_order_and_passes_lint(
    tmp_path: Path, issued: tuple[Path, Path, x509.Certificate]
) -> None:
    cert_path, key_path, certificate = issued
    root_path = tmp_path / "root.cer"
    root_path.write_bytes(root().public_bytes(serialization.Encoding.DER))
    out = tmp_path / "cmg.pfx"
    result = assemble_pfx_file(
        cert_path, key_path, out, PFX_PASSWORD, key_password=KEY_PASSPHRASE, chain_paths=[root_path]
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert result.chain_count == 2 and result.left_out == 0
    raw = pkcs12.load_pkcs12(out.read_bytes(), PFX_PASSWORD)
    assert raw.cert is not None and raw.cert.certificate == certificate
    assert [c.certificate for c in raw.additional_certs] == [intermediate(), root()]
    statuses = {r.rule: r.status for r in result.report.results}
    assert Status.FAIL not in statuses.values() and Status.WARN not in statuses.values(), statuses
    assert result.report.info.has_private_key


def test_key_that_does_not_match_is_refused_and_nothing_written(
    tmp_path: Path, issued: tuple[Path, Path, x509.Certificate]
) -> None:
    cert_path, _, _ = issued
    other_key = tmp_path / "other.pem"
    other_key.write_bytes(key_pem(rsa_key(2048, 9)))
    out = tmp_path / "cmg.pfx"
    with pytest.raises(CertificateInputError, match="does not belong to this certificate"):
        assemble_pfx_file(cert_path, other_key, out, PFX_PASSWORD)
    assert not out.exists()


def test_wrong_key_passphrase_is_a_clean_error(
    tmp_path: Path, issued: tuple[Path, Path, x509.Certificate]
) -> None:
    cert_path, key_path, _ = issued
    with pytest.raises(CertificateInputError, match="wrong passphrase"):
        assemble_pfx_file(
            cert_path, key_path, tmp_path / "x.pfx", PFX_PASSWORD, key_password=b"not it at all"
        )


def test_legacy_encryption_pfx_opens(tmp_path: Path, issued: tuple[Path, Path, x509.Certificate]) -> None:
    cert_path, key_path, certificate = issued
    out = tmp_path / "old.pfx"
    assemble_pfx_file(cert_path, key_path, out, PFX_PASSWORD, key_password=KEY_PASSPHRASE, legacy=True)
    assert load_certificate_file(out, PFX_PASSWORD).certificate == certificate


def test_existing_pfx_is_not_overwritten(tmp_path: Path, issued: tuple[Path, Path, x509.Certificate]) -> None:
    cert_path, key_path, _ = issued
    out = tmp_path / "cmg.pfx"
    out.write_bytes(b"precious")
    with pytest.raises(CertificateOutputError, match="already exists"):
        assemble_pfx_file(cert_path, key_path, out, PFX_PASSWORD, key_password=KEY_PASSPHRASE)
    assert out.read_bytes() == b"precious"


def test_lab_files_are_labelled_lab_only_everywhere(tmp_path: Path) -> None:
    files = create_lab_files(tmp_path, "granitefalls.contoso.com", PFX_PASSWORD)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "granitefalls.contoso.com-lab-root.cer",
        "granitefalls.contoso.com-lab.pfx",
    ]
    assert all("lab" in p.name for p in (files.root_cer, files.pfx))
    root_der = files.root_cer.read_bytes()
    lab_root = x509.load_der_x509_certificate(root_der)
    assert root_der[0] == 0x30
    assert LAB_LABEL in lab_root.subject.rfc4514_string()
    assert (
        lab_root.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
        == "cmgtui LAB ONLY root CA"
    )
    assert stat.S_IMODE(files.pfx.stat().st_mode) == 0o600
    raw = pkcs12.load_pkcs12(files.pfx.read_bytes(), PFX_PASSWORD)
    assert raw.cert is not None and raw.cert.friendly_name == b"cmgtui LAB ONLY granitefalls.contoso.com"
    assert LAB_LABEL in raw.cert.certificate.subject.rfc4514_string()
    assert [c.certificate for c in raw.additional_certs] == [lab_root]
    loaded = load_certificate_file(files.pfx, PFX_PASSWORD)
    assert loaded.source_format is SourceFormat.PKCS12
    assert files.server_thumbprint == loaded.certificate.fingerprint(hashes.SHA1()).hex().upper()
    assert files.root_thumbprint == lab_root.fingerprint(hashes.SHA1()).hex().upper()
    assert b"PRIVATE KEY" not in root_der


def test_lab_certificate_passes_the_linter() -> None:
    from cmgtui.domain.certs import CertificateBundle, lint_server_certificate

    lab = build_lab_set("granitefalls.contoso.com")
    results = lint_server_certificate(
        CertificateBundle(lab.server, (lab.root,), lab.server_key, SourceFormat.PKCS12)
    )
    assert {r.status for r in results} == {Status.PASS, Status.SKIP}


def test_lab_refuses_a_bad_name_and_a_short_password(tmp_path: Path) -> None:
    from cmgtui.domain.certs import ParameterError, ServiceNameError

    with pytest.raises(ServiceNameError):
        create_lab_files(tmp_path, "not a name", PFX_PASSWORD)
    with pytest.raises(ParameterError):
        create_lab_files(tmp_path, "granitefalls.contoso.com", b"short")
    assert list(tmp_path.iterdir()) == []
