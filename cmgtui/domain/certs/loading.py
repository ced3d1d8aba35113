"""Loading certificates, keys and PKCS#12 files, recognising the format from the content.

Entry points: :func:`load_certificate_file` / :func:`load_certificate_bytes` for anything
holding a certificate (``.pfx``/``.p12``, PEM, DER ``.cer``/``.crt``, PKCS#7 ``.p7b``) and
:func:`load_private_key_file` for a key on its own. Every failure is a
:class:`CertificateInputError` whose message is one line saying what to do.
"""

from __future__ import annotations

import os

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from cmgtui.domain.certs.bundle import CertificateBundle, SourceFormat, pick_leaf
from cmgtui.domain.certs.der import DerKind, classify_der, strip_trailing_padding
from cmgtui.domain.certs.errors import (
    PARSE_ERRORS,
    PARSE_OR_TYPE_ERRORS,
    CertificateInputError,
    PasswordRequiredError,
)
from cmgtui.domain.certs.keys import open_private_key
from cmgtui.domain.certs.pem import looks_like_pem, parse_pem
from cmgtui.domain.certs.pfx_limits import check_pfx_iterations
from cmgtui.domain.certs.reading import read_input_file


def load_certificate_file(path: str | os.PathLike[str], password: bytes | None = None) -> CertificateBundle:
    """Read ``path`` (size-limited) and load the certificate, chain and key it holds."""
    return load_certificate_bytes(read_input_file(path), password, name=os.fspath(path))


def load_certificate_bytes(
    data: bytes, password: bytes | None = None, *, name: str = "input"
) -> CertificateBundle:
    """Load a certificate bundle from bytes in any supported format.

    ``password`` opens a PKCS#12 file or an encrypted private key; it is ignored by
    formats that need none.
    """
    data = _normalise_text(data)
    if not data.strip():
        raise CertificateInputError(f"{name}: the file is empty.")
    if looks_like_pem(data):
        return _from_pem(data, password, name)
    kind = classify_der(data, name)
    data = strip_trailing_padding(data)
    if kind is DerKind.PKCS12:
        return _from_pkcs12(data, password, name)
    if kind is DerKind.PKCS7:
        certs = _der_pkcs7(data, name)
        leaf, rest = pick_leaf(certs, None)
        return CertificateBundle(leaf, rest, None, SourceFormat.PKCS7, name)
    if kind is DerKind.PRIVATE_KEY:
        raise CertificateInputError(
            f"{name}: holds a private key but no certificate; give the certificate or a .pfx with both."
        )
    return CertificateBundle(_der_certificate(data, password, name), (), None, SourceFormat.DER, name)


def load_private_key_file(path: str | os.PathLike[str], password: bytes | None = None) -> PrivateKeyTypes:
    """Read a private key file (PEM or DER, encrypted or not) and decrypt it with ``password``."""
    name = os.fspath(path)
    data = _normalise_text(read_input_file(path))
    if not data.strip():
        raise CertificateInputError(f"{name}: the file is empty.")
    if looks_like_pem(data):
        blocks = parse_pem(data, name).key_blocks
        if len(blocks) != 1:
            found = "no private key" if not blocks else f"{len(blocks)} private keys"
            raise CertificateInputError(f"{name}: holds {found}; give a file with exactly one private key.")
        return open_private_key(blocks[0], password, name, pem=True)
    kind = classify_der(data, name)
    if kind is DerKind.PKCS12:
        bundle = _from_pkcs12(strip_trailing_padding(data), password, name)
        if bundle.private_key is None:
            raise CertificateInputError(f"{name}: the PKCS#12 file holds no private key.")
        return bundle.private_key
    if kind not in (DerKind.PRIVATE_KEY, DerKind.SEQUENCE):
        raise CertificateInputError(f"{name}: not a private key file.")
    return open_private_key(strip_trailing_padding(data), password, name, pem=False)


def _normalise_text(data: bytes) -> bytes:
    """Turn a UTF-16 text file (as some Windows tools save PEM) into ASCII bytes."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16").encode("ascii", "ignore")
        except UnicodeDecodeError:
            return data
    return data


def _from_pem(data: bytes, password: bytes | None, name: str) -> CertificateBundle:
    """Bundle from PEM text: certificates plus at most one private key."""
    content = parse_pem(data, name)
    if not content.certificates:
        parts = (["a private key"] if content.key_blocks else []) + list(dict.fromkeys(content.others))
        found = ", ".join(parts) or "nothing usable"
        raise CertificateInputError(f"{name}: holds {found} but no certificate; give the certificate file.")
    if len(content.key_blocks) > 1:
        raise CertificateInputError(
            f"{name}: holds {len(content.key_blocks)} private keys; keep only the certificate's own key."
        )
    key = open_private_key(content.key_blocks[0], password, name, pem=True) if content.key_blocks else None
    leaf, rest = pick_leaf(content.certificates, key)
    return CertificateBundle(leaf, rest, key, SourceFormat.PEM, name)


def _from_pkcs12(data: bytes, password: bytes | None, name: str) -> CertificateBundle:
    """Bundle from a PKCS#12 file, trying no password and the empty password when none is given."""
    if password is not None and b"\x00" in password:
        # cryptography panics (an uncatchable-by-design Rust panic) on a NUL in the password.
        raise CertificateInputError(
            f"{name}: the password contains a NUL character, which a PFX password cannot hold."
        )
    check_pfx_iterations(data, name)
    attempts: list[bytes | None] = [password, None] if password is not None else [None, b""]
    loaded = None
    for attempt in attempts:
        try:
            loaded = pkcs12.load_pkcs12(data, attempt)
            break
        except UnsupportedAlgorithm:
            raise CertificateInputError(
                f"{name}: the PKCS#12 file uses an encryption this tool cannot read (e.g. RC2); "
                "re-export it with AES-256 or TripleDES."
            ) from None
        except PARSE_OR_TYPE_ERRORS:
            continue
    if loaded is None:
        if password is None:
            raise PasswordRequiredError(
                f"{name}: the PKCS#12 file is password-protected (or damaged); supply its password."
            )
        raise CertificateInputError(
            f"{name}: could not open the PKCS#12 file: wrong password, or the file is damaged."
        )
    certs = ([loaded.cert.certificate] if loaded.cert is not None else []) + [
        extra.certificate for extra in loaded.additional_certs
    ]
    if not certs:
        raise CertificateInputError(
            f"{name}: the PKCS#12 file holds no certificate; re-export it with the certificate."
        )
    leaf, rest = pick_leaf(certs, loaded.key)
    return CertificateBundle(leaf, rest, loaded.key, SourceFormat.PKCS12, name)


def _der_pkcs7(data: bytes, name: str) -> list[x509.Certificate]:
    """Certificates of a DER PKCS#7 (``.p7b``) bundle."""
    try:
        certs = pkcs7.load_der_pkcs7_certificates(data)
    except PARSE_OR_TYPE_ERRORS:
        raise CertificateInputError(
            f"{name}: the PKCS#7 data is damaged or not a certificate bundle."
        ) from None
    if not certs:
        raise CertificateInputError(f"{name}: the PKCS#7 bundle holds no certificate.")
    return certs


def _der_certificate(data: bytes, password: bytes | None, name: str) -> x509.Certificate:
    """A DER certificate; when it is not one, say what the SEQUENCE actually is."""
    try:
        return x509.load_der_x509_certificate(data)
    except PARSE_ERRORS as exc:
        reason = str(exc)
    for describe, check in (
        (
            "a certificate signing request (CSR); lint the certificate the CA issues for it",
            x509.load_der_x509_csr,
        ),
        ("a certificate revocation list, not a certificate", x509.load_der_x509_crl),
        ("a public key, not a certificate", serialization.load_der_public_key),
    ):
        try:
            check(data)
        except PARSE_OR_TYPE_ERRORS:
            continue
        raise CertificateInputError(f"{name}: holds {describe}.")
    if _is_encrypted_key(data, password):
        raise CertificateInputError(
            f"{name}: holds an encrypted private key but no certificate; give the certificate or a .pfx."
        )
    short = reason.splitlines()[0][:120] if reason else "unknown structure"
    raise CertificateInputError(f"{name}: the certificate is damaged or not a certificate ({short}).")


def _is_encrypted_key(data: bytes, password: bytes | None) -> bool:
    """True when ``data`` decodes as an (encrypted) PKCS#8 private key."""
    try:
        serialization.load_der_private_key(data, password)
    except TypeError:
        return True
    except (ValueError, UnsupportedAlgorithm):
        return False
    return True
