"""Assembling the password-protected PFX the CMG wizard takes, then linting it.

Input: the certificate the CA issued (PEM, DER or PKCS#7, possibly with its chain), the
private key from the CSR step, and optional CA certificate files. The key must belong to
the certificate. The chain is put in issuing order and the PFX is written with mode 0600.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from cmgtui.domain.certs.bundle import public_keys_match
from cmgtui.domain.certs.chain import walk_chain
from cmgtui.domain.certs.errors import CertificateInputError
from cmgtui.domain.certs.lint import LintReport, lint_certificate_file
from cmgtui.domain.certs.loading import load_certificate_file, load_private_key_file
from cmgtui.domain.certs.names import common_name
from cmgtui.domain.certs.outputs import check_secret, ensure_absent, write_new_file

_PFX_KEY_TYPES = (
    rsa.RSAPrivateKey,
    dsa.DSAPrivateKey,
    ec.EllipticCurvePrivateKey,
    ed25519.Ed25519PrivateKey,
    ed448.Ed448PrivateKey,
)


@dataclass(frozen=True, slots=True)
class PfxResult:
    """The PFX written, how many CA certificates it carries, and its lint report."""

    path: Path
    chain_count: int
    left_out: int
    report: LintReport


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


def assemble_pfx_file(
    cert_path: str | os.PathLike[str],
    key_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    password: bytes,
    *,
    key_password: bytes | None = None,
    chain_paths: Sequence[str | os.PathLike[str]] = (),
    service_name: str | None = None,
    legacy: bool = False,
    now: datetime | None = None,
) -> PfxResult:
    """Write a PFX from the issued certificate, its chain and key, then lint what was written.

    CA certificates come from the certificate file itself (PEM bundle, PKCS#7) and from
    ``chain_paths``; those that are not part of the certificate's chain are left out.
    """
    target = Path(out_path).expanduser()
    ensure_absent((target,))
    check_secret(password, "PFX password")
    bundle = load_certificate_file(cert_path)
    key = load_private_key_file(key_path, key_password)
    pool = list(bundle.chain)
    for extra in chain_paths:
        more = load_certificate_file(extra)
        pool.extend([more.certificate, *more.chain])
    unique = list({c.fingerprint(hashes.SHA256()): c for c in pool}.values())
    walk = walk_chain(bundle.certificate, unique)
    chain = walk.path[1:]
    data = build_pfx(bundle.certificate, key, chain, password, legacy=legacy)
    write_new_file(target, data, private=True)
    report = lint_certificate_file(target, password, service_name=service_name, now=now)
    return PfxResult(path=target, chain_count=len(chain), left_out=len(walk.unused), report=report)
