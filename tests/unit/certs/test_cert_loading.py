"""Loading every supported container, recognised from content, and refusing bad input clearly."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from cmgtui.domain.certs import (
    MAX_INPUT_BYTES,
    CertificateInputError,
    PasswordRequiredError,
    SourceFormat,
    describe_bundle,
    load_certificate_bytes,
    load_certificate_file,
    load_private_key_file,
)

from .cert_factory import PASSWORD, Leaf, der, intermediate, key_pem, pem, pfx_bytes, root, rsa_key


def good_leaf():  # type: ignore[no-untyped-def]
    return Leaf().build()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_pfx_with_password_loads_leaf_chain_and_key(tmp_path: Path) -> None:
    leaf = good_leaf()
    # A misleading extension: the format comes from the content.
    path = write(tmp_path, "server.cer", pfx_bytes(leaf, rsa_key(2048, 0), [root(), intermediate()]))
    loaded = load_certificate_file(path, PASSWORD)
    assert loaded.source_format is SourceFormat.PKCS12
    assert loaded.certificate == leaf
    assert set(loaded.chain) == {root(), intermediate()}
    assert loaded.has_private_key
    assert "RSAPrivateKey" not in repr(loaded)


def test_pfx_without_password_asks_for_one(tmp_path: Path) -> None:
    path = write(tmp_path, "server.pfx", pfx_bytes(good_leaf(), rsa_key(2048, 0)))
    with pytest.raises(PasswordRequiredError, match="password-protected"):
        load_certificate_file(path)


def test_pfx_with_wrong_password_is_a_clean_error(tmp_path: Path) -> None:
    path = write(tmp_path, "server.pfx", pfx_bytes(good_leaf(), rsa_key(2048, 0)))
    with pytest.raises(CertificateInputError, match="wrong password") as caught:
        load_certificate_file(path, b"not the password")
    assert not isinstance(caught.value, PasswordRequiredError)
    assert "not the password" not in str(caught.value)


def test_unprotected_pfx_loads_without_password() -> None:
    loaded = load_certificate_bytes(pfx_bytes(good_leaf(), rsa_key(2048, 0), password=None))
    assert loaded.has_private_key


def test_pfx_without_key_loads_and_has_no_key() -> None:
    loaded = load_certificate_bytes(pfx_bytes(good_leaf(), None), PASSWORD)
    assert not loaded.has_private_key


def test_pem_bundle_in_any_order_picks_the_leaf_by_its_key() -> None:
    leaf = good_leaf()
    data = pem(root()) + key_pem(rsa_key(2048, 0)) + pem(intermediate(), leaf)
    loaded = load_certificate_bytes(data)
    assert loaded.source_format is SourceFormat.PEM
    assert loaded.certificate == leaf and loaded.has_private_key


def test_pem_bundle_without_key_picks_the_end_entity() -> None:
    leaf = good_leaf()
    loaded = load_certificate_bytes(pem(root(), leaf, intermediate()))
    assert loaded.certificate == leaf and len(loaded.chain) == 2


def test_pem_with_junk_around_it_loads() -> None:
    leaf = good_leaf()
    data = b"Bag Attributes\n    friendlyName: cmg\n> quoted mail\n" + pem(leaf) + b"\n\x00\xffjunk after\n"
    assert load_certificate_bytes(data).certificate == leaf


def test_pem_with_junk_inside_the_block_names_the_block() -> None:
    text = pem(good_leaf()).replace(b"\n", b"\n!!junk!!\n", 3)
    with pytest.raises(CertificateInputError, match=r"PEM block 1 \(CERTIFICATE\) is damaged"):
        load_certificate_bytes(text)


def test_truncated_pem_says_truncated() -> None:
    data = pem(good_leaf())
    with pytest.raises(CertificateInputError, match="truncated"):
        load_certificate_bytes(data[: len(data) // 2])


def test_encrypted_pem_key_needs_and_checks_its_passphrase() -> None:
    data = pem(good_leaf()) + key_pem(rsa_key(2048, 0), b"key passphrase")
    with pytest.raises(PasswordRequiredError, match="encrypted"):
        load_certificate_bytes(data)
    with pytest.raises(CertificateInputError, match="wrong passphrase"):
        load_certificate_bytes(data, b"nope nope")
    assert load_certificate_bytes(data, b"key passphrase").has_private_key


def test_der_cer_loads(tmp_path: Path) -> None:
    leaf = good_leaf()
    loaded = load_certificate_file(write(tmp_path, "server.pem", der(leaf) + b"\r\n"))
    assert loaded.source_format is SourceFormat.DER and loaded.certificate == leaf
    assert not loaded.has_private_key


def test_truncated_der_says_how_much_is_missing() -> None:
    data = der(good_leaf())
    with pytest.raises(CertificateInputError, match=rf"truncated \(100 of {len(data)} bytes present\)"):
        load_certificate_bytes(data[:100])


def test_der_with_appended_junk_is_refused() -> None:
    with pytest.raises(CertificateInputError, match="unexpected bytes follow"):
        load_certificate_bytes(der(good_leaf()) + b"more data")


@pytest.mark.parametrize("encoding", [serialization.Encoding.PEM, serialization.Encoding.DER])
def test_pkcs7_bundle_loads(encoding: serialization.Encoding) -> None:
    leaf = good_leaf()
    data = pkcs7.serialize_certificates([root(), leaf, intermediate()], encoding)
    loaded = load_certificate_bytes(data)
    assert loaded.certificate == leaf and len(loaded.chain) == 2


def test_utf16_pem_from_windows_loads() -> None:
    leaf = good_leaf()
    data = b"\xff\xfe" + pem(leaf).decode("ascii").encode("utf-16-le")
    assert load_certificate_bytes(data).certificate == leaf


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"hello, this is a text file\n", "format not recognised"),
        (bytes(range(256)), "format not recognised"),
        (b"\x30\x03\x02\x01\x07", "format not recognised"),
    ],
)
def test_unrecognised_input(data: bytes, message: str) -> None:
    with pytest.raises(CertificateInputError, match=message):
        load_certificate_bytes(data, name="input.pfx")


def test_csr_and_key_only_files_say_what_they_are() -> None:
    from cryptography import x509

    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "a.contoso.com")]))
        .sign(rsa_key(2048, 0), hashes.SHA256())
    )
    with pytest.raises(CertificateInputError, match="certificate signing request"):
        load_certificate_bytes(csr.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(CertificateInputError, match="certificate signing request"):
        load_certificate_bytes(csr.public_bytes(serialization.Encoding.DER))
    with pytest.raises(CertificateInputError, match="private key but no certificate"):
        load_certificate_bytes(key_pem(rsa_key(2048, 0)))
    der_key = rsa_key(2048, 0).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(CertificateInputError, match="private key but no certificate"):
        load_certificate_bytes(der_key)


def test_huge_file_is_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "disk.pfx"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(CertificateInputError, match=r"50\.0 MB is too large") as caught:
        load_certificate_file(path)
    assert str(caught.value).startswith(str(path))
    assert MAX_INPUT_BYTES == 10 * 1024 * 1024


def test_missing_file_and_folder_are_clean_errors(tmp_path: Path) -> None:
    with pytest.raises(CertificateInputError, match="file not found"):
        load_certificate_file(tmp_path / "nope.pfx")
    with pytest.raises(CertificateInputError, match="is a folder"):
        load_certificate_file(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads any file")
def test_unreadable_file_is_a_clean_error(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.pfx", b"x")
    path.chmod(0)
    with pytest.raises(CertificateInputError, match="permission denied"):
        load_certificate_file(path)


def test_private_key_file_loading(tmp_path: Path) -> None:
    key = rsa_key(2048, 0)
    path = write(tmp_path, "k.pem", key_pem(key, b"a passphrase"))
    assert load_private_key_file(path, b"a passphrase").private_numbers() == key.private_numbers()
    with pytest.raises(PasswordRequiredError):
        load_private_key_file(path)
    with pytest.raises(CertificateInputError, match="wrong passphrase"):
        load_private_key_file(path, b"other passphrase")
    with pytest.raises(CertificateInputError, match="no private key"):
        load_private_key_file(write(tmp_path, "c.pem", pem(good_leaf())))


def test_description_for_the_screen() -> None:
    leaf = good_leaf()
    info = describe_bundle(load_certificate_bytes(pfx_bytes(leaf, rsa_key(2048, 0)), PASSWORD))
    assert info.thumbprint == leaf.fingerprint(hashes.SHA1()).hex().upper()
    assert re.fullmatch(r"[0-9A-F]{40}", info.thumbprint)
    assert info.common_name == "GraniteFalls.contoso.com"
    assert info.subject == "CN=GraniteFalls.contoso.com"
    assert info.dns_names == ("GraniteFalls.contoso.com",)
    assert info.issuer == "O=Contoso Test PKI,CN=Contoso Test Issuing CA"
    assert info.has_private_key and info.key_description == "RSA 2048-bit"
    assert info.not_after == leaf.not_valid_after_utc and info.not_after.tzinfo is not None
