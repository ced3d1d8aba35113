"""Splitting PEM text into certificates, private keys and a note of anything else.

Text around and between ``-----BEGIN``/``-----END`` blocks (comments, "Bag Attributes"
lines that OpenSSL writes, e-mail quoting) is ignored; each block is decoded on its own, so
a damaged block is named in the message rather than failing the whole file vaguely.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7

from cmgtui.domain.certs.errors import PARSE_OR_TYPE_ERRORS, CertificateInputError

_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]{1,40})-----(.*?)-----END \1-----", re.DOTALL)
_CERT_LABELS = {b"CERTIFICATE", b"X509 CERTIFICATE"}
_KEY_LABELS = {
    b"PRIVATE KEY",
    b"RSA PRIVATE KEY",
    b"EC PRIVATE KEY",
    b"DSA PRIVATE KEY",
    b"ENCRYPTED PRIVATE KEY",
}
_PKCS7_LABELS = {b"PKCS7", b"CMS"}
_DESCRIPTIONS = {
    b"CERTIFICATE REQUEST": "a certificate signing request (CSR)",
    b"NEW CERTIFICATE REQUEST": "a certificate signing request (CSR)",
    b"X509 CRL": "a certificate revocation list",
    b"PUBLIC KEY": "a public key",
    b"RSA PUBLIC KEY": "a public key",
    b"OPENSSH PRIVATE KEY": "an OpenSSH private key",
    b"TRUSTED CERTIFICATE": "an OpenSSL 'trusted certificate'",
}


@dataclass
class PemContent:
    """The useful parts of a PEM file: certificates, raw key blocks, other block kinds."""

    certificates: list[x509.Certificate] = field(default_factory=list)
    key_blocks: list[bytes] = field(default_factory=list)
    others: list[str] = field(default_factory=list)


def looks_like_pem(data: bytes) -> bool:
    """True when the bytes contain a PEM armour line."""
    return b"-----BEGIN " in data


def parse_pem(data: bytes, name: str) -> PemContent:
    """Decode every PEM block in ``data``; raise CertificateInputError for a damaged one."""
    content = PemContent()
    blocks = list(_BLOCK.finditer(data))
    if not blocks:
        raise CertificateInputError(
            f"{name}: a PEM '-----BEGIN' line has no matching '-----END' line; "
            "the file is truncated or damaged."
        )
    for number, match in enumerate(blocks, start=1):
        label = match.group(1)
        block = match.group(0)
        where = f"{name}: PEM block {number} ({label.decode('ascii')})"
        if label in _CERT_LABELS:
            content.certificates.append(_decode(x509.load_pem_x509_certificate, block, where))
        elif label in _KEY_LABELS:
            content.key_blocks.append(block)
        elif label in _PKCS7_LABELS:
            content.certificates.extend(_decode(pkcs7.load_pem_pkcs7_certificates, block, where))
        else:
            content.others.append(_DESCRIPTIONS.get(label, f"a '{label.decode('ascii')}' block"))
    return content


_Loaded = TypeVar("_Loaded")


def _decode(loader: Callable[[bytes], _Loaded], block: bytes, where: str) -> _Loaded:
    """Run a cryptography PEM loader, turning its errors into a message naming the block."""
    try:
        return loader(block)
    except PARSE_OR_TYPE_ERRORS:
        raise CertificateInputError(f"{where} is damaged and cannot be decoded.") from None
