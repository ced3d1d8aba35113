"""A plain description of a loaded certificate, for the screen and the profile.

The Part 1 screen records thumbprint, subject and expiry in the profile from this; it is
built defensively so that a certificate with odd or broken fields still gets described.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

from cmgtui.domain.certs.bundle import CertificateBundle
from cmgtui.domain.certs.errors import PARSE_ERRORS
from cmgtui.domain.certs.names import common_name, dns_names


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    """What an administrator recognises a certificate by.

    ``thumbprint`` is the SHA-1 hash of the DER encoding in upper-case hex without
    separators, as Windows shows it in the certificate store and the CMG console.
    Times are timezone-aware UTC.
    """

    subject: str
    issuer: str
    common_name: str
    dns_names: tuple[str, ...]
    thumbprint: str
    serial_number: str
    not_before: datetime
    not_after: datetime
    has_private_key: bool
    key_description: str


def thumbprint(certificate: x509.Certificate) -> str:
    """The Windows thumbprint: SHA-1 of the DER certificate, upper-case hex."""
    return certificate.fingerprint(hashes.SHA1()).hex().upper()


def key_description(certificate: x509.Certificate) -> str:
    """The public key in words, e.g. ``RSA 2048-bit`` or ``ECC secp256r1``."""
    try:
        key = certificate.public_key()
    except PARSE_ERRORS:
        return "unreadable or unsupported key"
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size}-bit"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"ECC {key.curve.name}"
    if isinstance(key, dsa.DSAPublicKey):
        return f"DSA {key.key_size}-bit"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448"
    return type(key).__name__


def _text(read: Callable[[], object], fallback: str = "") -> str:
    """Call ``read`` and return its text, or ``fallback`` if the field cannot be parsed."""
    try:
        return str(read())
    except PARSE_ERRORS:
        return fallback


def describe_certificate(certificate: x509.Certificate, *, has_private_key: bool = False) -> CertificateInfo:
    """Describe ``certificate``; unreadable fields become empty text rather than errors."""
    try:
        names = tuple(dns_names(certificate) or ())
    except PARSE_ERRORS:
        names = ()
    return CertificateInfo(
        subject=_text(lambda: certificate.subject.rfc4514_string(), "(unreadable subject)"),
        issuer=_text(lambda: certificate.issuer.rfc4514_string(), "(unreadable issuer)"),
        common_name=_text(lambda: common_name(certificate) or ""),
        dns_names=names,
        thumbprint=thumbprint(certificate),
        serial_number=format(certificate.serial_number, "X"),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        has_private_key=has_private_key,
        key_description=key_description(certificate),
    )


def describe_bundle(bundle: CertificateBundle) -> CertificateInfo:
    """Describe the leaf certificate of a loaded bundle."""
    return describe_certificate(bundle.certificate, has_private_key=bundle.has_private_key)
