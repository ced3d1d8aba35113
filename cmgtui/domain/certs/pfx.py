"""Assembling the password-protected PFX the CMG wizard takes, then linting it.

Input: the certificate the CA issued (PEM, DER or PKCS#7, possibly with its chain), the
private key from the CSR step, and optional CA certificate files. The key must belong to
the certificate. The chain is put in issuing order; :mod:`cmgtui.services.certificate_files`
writes the PFX (mode 0600) and lints what it wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from cmgtui.domain.certs.bundle import CertificateBundle, public_keys_match
from cmgtui.domain.certs.chain import walk_chain
from cmgtui.domain.certs.errors import CertificateInputError
from cmgtui.domain.certs.names import common_name
from cmgtui.domain.certs.outputs import check_secret

_PFX_KEY_TYPES = (
    rsa.RSAPrivateKey,
    dsa.DSAPrivateKey,
    ec.EllipticCurvePrivateKey,
    ed25519.Ed25519PrivateKey,
    ed448.Ed448PrivateKey,
)


@dataclass(frozen=True, slots=True)
class AssembledPfx:
    """The PFX bytes, how many CA certificates it carries, and how many given ones were left out."""

    data: bytes
    chain_count: int
    left_out: int


def pfx_encryption(password: bytes, *, legacy: bool = False) -> serialization.KeySerializationEncryption:
    """AES-256 PFX encryption, or 3DES/SHA-1 for Windows Server 2016 and older.

    Windows versions before 1709 (Server 2016) cannot open AES-encrypted PFX files, so
    ``legacy`` picks the older algorithms those versions understand.
    """
    check_secret(password, "PFX password")
    if not legacy:
        return serialization.BestAvailableEncryption(password)
    return (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50000)
        .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
        .hmac_hash(hashes.SHA1())
        .build(password)
    )


def build_pfx(
    certificate: x509.Certificate,
    key: PrivateKeyTypes,
    chain: Sequence[x509.Certificate],
    password: bytes,
    *,
    friendly_name: str | None = None,
    legacy: bool = False,
) -> bytes:
    """PKCS#12 bytes holding ``certificate``, its ``key`` and the ``chain`` CA certificates."""
    if not isinstance(key, _PFX_KEY_TYPES):
        raise CertificateInputError(f"A {type(key).__name__} cannot be stored in a PFX; use an RSA key.")
    if not public_keys_match(certificate, key):
        raise CertificateInputError(
            "The private key does not belong to this certificate; use the key the request was made with."
        )
    label = (friendly_name or common_name(certificate) or "cmg").encode("utf-8")
    return pkcs12.serialize_key_and_certificates(
        label,
        key,
        certificate,
        list(chain) or None,
        pfx_encryption(password, legacy=legacy),
    )


def assemble_pfx(
    bundle: CertificateBundle,
    key: PrivateKeyTypes,
    extra: Sequence[CertificateBundle],
    password: bytes,
    *,
    legacy: bool = False,
) -> AssembledPfx:
    """A PFX from the issued certificate (``bundle``), its key and the CA certificates in it and in ``extra``.

    Only the CA certificates on the certificate's chain go in, in issuing order.
    """
    check_secret(password, "PFX password")
    pool = list(bundle.chain)
    for more in extra:
        pool.extend([more.certificate, *more.chain])
    unique = list({c.fingerprint(hashes.SHA256()): c for c in pool}.values())
    walk = walk_chain(bundle.certificate, unique)
    chain = walk.path[1:]
    data = build_pfx(bundle.certificate, key, chain, password, legacy=legacy)
    return AssembledPfx(data=data, chain_count=len(chain), left_out=len(walk.unused))
