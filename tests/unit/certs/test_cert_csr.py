"""Key and CSR creation: the request's content, and a key that only ever hits disk encrypted."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from cmgtui.domain.certs import (
    CertificateInputError,
    CertificateOutputError,
    ParameterError,
    ServiceNameError,
    load_private_key_file,
)
from cmgtui.domain.certs import csr as csr_module
from cmgtui.services.certificate_files import create_csr_files

PASSPHRASE = b"a long key passphrase"


@pytest.fixture
def fast_keys(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Reuse cached keys instead of generating new ones; records the sizes asked for."""
    from .cert_factory import rsa_key

    asked: list[int] = []

    def cached(key_size: int = 2048) -> rsa.RSAPrivateKey:
        asked.append(key_size)
        return rsa_key(key_size, 7)

    monkeypatch.setattr(csr_module, "generate_rsa_key", cached)
    return asked


def test_csr_has_the_cmg_shape(tmp_path: Path, fast_keys: list[int]) -> None:
    files = create_csr_files(tmp_path, "GraniteFalls.contoso.com", PASSPHRASE)
    request = x509.load_pem_x509_csr(files.csr_path.read_bytes())
    assert request.is_signature_valid
    assert request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "GraniteFalls.contoso.com"
    san = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["GraniteFalls.contoso.com"]
    eku = request.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH]
    assert request.signature_hash_algorithm is not None and request.signature_hash_algorithm.name == "sha256"
    public = request.public_key()
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 2048
    assert fast_keys == [2048]
    assert files.key_path.name == "GraniteFalls.contoso.com.key.pem"
    assert files.csr_path.name == "GraniteFalls.contoso.com.csr.pem"


def test_key_size_4096_on_request(tmp_path: Path, fast_keys: list[int]) -> None:
    files = create_csr_files(tmp_path, "granitefalls.contoso.com", PASSPHRASE, key_size=4096)
    assert x509.load_pem_x509_csr(files.csr_path.read_bytes()).public_key().key_size == 4096  # type: ignore[union-attr]
    assert fast_keys == [4096]


def test_default_key_generation_is_rsa_2048(tmp_path: Path) -> None:
    key = csr_module.generate_rsa_key()
    assert key.key_size == 2048 and key.public_key().public_numbers().e == 65537
    with pytest.raises(ParameterError, match="use 2048 or 4096"):
        csr_module.generate_rsa_key(1024)


def test_private_key_reaches_disk_only_encrypted_and_0600(
    tmp_path: Path, fast_keys: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # No chmod-after-the-fact on a file: its mode must come from os.open, whatever the umask (a new
    # folder may be set to 0700 after mkdir; it holds nothing yet).
    real_chmod = os.chmod

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("permissions changed after creation")

    def folders_only(path: str | os.PathLike[str], mode: int) -> None:
        if not Path(path).is_dir():
            forbidden()
        real_chmod(path, mode)

    monkeypatch.setattr(os, "chmod", folders_only)
    monkeypatch.setattr(os, "fchmod", forbidden, raising=False)
    old_umask = os.umask(0)
    try:
        files = create_csr_files(tmp_path / "out", "granitefalls.contoso.com", PASSPHRASE)
    finally:
        os.umask(old_umask)
    monkeypatch.undo()
    text = files.key_path.read_bytes()
    assert text.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(files.key_path.stat().st_mode) == 0o600
    key = load_private_key_file(files.key_path, PASSPHRASE)
    plain_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    plain_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    for path in (tmp_path / "out").iterdir():
        content = path.read_bytes()
        assert plain_der not in content and plain_pem not in content
        assert b"BEGIN PRIVATE KEY" not in content and b"BEGIN RSA PRIVATE KEY" not in content
        assert PASSPHRASE not in content
    with pytest.raises(CertificateInputError, match="wrong passphrase"):
        load_private_key_file(files.key_path, b"another passphrase")


def test_existing_files_are_never_overwritten(tmp_path: Path, fast_keys: list[int]) -> None:
    first = create_csr_files(tmp_path, "granitefalls.contoso.com", PASSPHRASE)
    before = first.key_path.read_bytes()
    with pytest.raises(CertificateOutputError, match="already exists"):
        create_csr_files(tmp_path, "granitefalls.contoso.com", PASSPHRASE)
    assert first.key_path.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("granitefalls", "not a fully qualified"),
        ("granite-falls.contoso.com", "no hyphens"),
        ("", "not a fully"),
    ],
)
def test_bad_service_names_are_refused_before_anything_is_written(
    tmp_path: Path, name: str, message: str, fast_keys: list[int]
) -> None:
    with pytest.raises(ServiceNameError, match=message):
        create_csr_files(tmp_path / "out", name, PASSPHRASE)
    assert not (tmp_path / "out").exists()
    assert fast_keys == []


def test_wildcard_request_is_allowed(tmp_path: Path, fast_keys: list[int]) -> None:
    files = create_csr_files(tmp_path, "*.contoso.com", PASSPHRASE)
    assert files.csr_path.name == "wildcard.contoso.com.csr.pem"


def test_short_passphrase_is_refused(tmp_path: Path, fast_keys: list[int]) -> None:
    with pytest.raises(ParameterError, match="at least 8 characters"):
        create_csr_files(tmp_path, "granitefalls.contoso.com", b"short")
    assert list(tmp_path.iterdir()) == []
