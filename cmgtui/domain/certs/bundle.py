"""What a loaded file holds: the certificate to check, the other certificates, the key.

Loaders return a :class:`CertificateBundle` whatever the file format was, so the linter,
the PFX assembler and the screen never care whether a PFX, a PEM bundle or a ``.cer``
was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from cmgtui.domain.certs.errors import PARSE_ERRORS, PARSE_OR_TYPE_ERRORS


class SourceFormat(StrEnum):
    """The container a certificate was read from (recognised from content)."""

    PKCS12 = "pkcs12"
    PEM = "pem"
    DER = "der"
    PKCS7 = "pkcs7"


@dataclass(frozen=True)
class CertificateBundle:
    """A leaf certificate with the certificates and private key that came with it.

    ``chain`` holds every other certificate in the file, in file order (not yet checked to
    form a chain: that is the CERT-CHAIN rule's job). ``private_key`` is None when the file
    had none; it is left out of ``repr`` so it can never be printed by accident.
    """

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    private_key: PrivateKeyTypes | None = field(default=None, repr=False)
    source_format: SourceFormat = SourceFormat.DER
    name: str = ""

    @property
    def has_private_key(self) -> bool:
        """True when the file carried a private key (matching or not)."""
        return self.private_key is not None


def public_keys_match(certificate: x509.Certificate, key: PrivateKeyTypes) -> bool:
    """True when ``key`` is the private half of the certificate's public key."""
    try:
        return bool(certificate.public_key() == key.public_key())
    except PARSE_OR_TYPE_ERRORS:
        return False


def is_ca(certificate: x509.Certificate) -> bool:
    """True when the certificate's basic constraints mark it as a CA."""
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return False
    except PARSE_ERRORS:
        return False
    return bool(constraints.value.ca)


def _names_equal(a: x509.Certificate, b_issuer: x509.Name) -> bool:
    """Subject of ``a`` equals ``b_issuer``; unreadable names never match."""
    try:
        return a.subject == b_issuer
    except PARSE_ERRORS:
        return False


def pick_leaf(
    certificates: Sequence[x509.Certificate], key: PrivateKeyTypes | None
) -> tuple[x509.Certificate, tuple[x509.Certificate, ...]]:
    """Choose the end-entity certificate among ``certificates`` and return it with the rest.

    The certificate matching ``key`` wins; otherwise a certificate that issued none of the
    others and is not a CA; otherwise the first one. ``certificates`` must not be empty.
    """
    if key is not None:
        for index, cert in enumerate(certificates):
            if public_keys_match(cert, key):
                return cert, tuple(c for i, c in enumerate(certificates) if i != index)

    def issued_another(candidate: x509.Certificate) -> bool:
        return any(
            other is not candidate and _names_equal(candidate, _issuer(other)) and not _self_named(other)
            for other in certificates
        )

    ends = [c for c in certificates if not issued_another(c)]
    preferred = [c for c in ends if not is_ca(c)] or ends or list(certificates)
    leaf = preferred[0]
    return leaf, tuple(c for c in certificates if c is not leaf)


def _issuer(cert: x509.Certificate) -> x509.Name:
    """The issuer name, or an empty name when it cannot be parsed."""
    try:
        return cert.issuer
    except PARSE_ERRORS:
        return x509.Name([])


def _self_named(cert: x509.Certificate) -> bool:
    """True when subject and issuer are the same name (a self-issued certificate)."""
    try:
        return cert.subject == cert.issuer
    except PARSE_ERRORS:
        return False
