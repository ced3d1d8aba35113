"""Lab mode: a throw-away root CA, a server certificate from it, and the PFX - lab only.

Everything carries the label ``cmgtui LAB ONLY``: the root's CN and O, the server
certificate's O, the PFX friendly name, and the file names (``-lab``). The root's private
key is never written: nothing else can be issued from a lab root, and rerunning makes a new
set. The root is exported as a DER ``.cer`` for lab clients to trust.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from cmgtui.domain.certs.csr import generate_rsa_key, server_extensions, validate_service_name
from cmgtui.domain.certs.info import thumbprint
from cmgtui.domain.certs.outputs import check_secret, file_stem
from cmgtui.domain.certs.pfx import build_pfx

LAB_LABEL = "cmgtui LAB ONLY"
LAB_ORGANIZATION = f"{LAB_LABEL} - not for production"
ROOT_DAYS = 730
SERVER_DAYS = 365


@dataclass(frozen=True, slots=True)
class LabSet:
    """An in-memory lab root, the server certificate it issued, and the server's key."""

    root: x509.Certificate
    server: x509.Certificate
    server_key: rsa.RSAPrivateKey


@dataclass(frozen=True, slots=True)
class LabOutput:
    """A lab set as the bytes of its two files (the root as DER, the server's PFX), with the
    thumbprints to record and the server certificate's expiry."""

    root_cer: bytes
    pfx: bytes
    root_thumbprint: str
    server_thumbprint: str
    not_after: datetime


def _lab_name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, LAB_ORGANIZATION),
        ]
    )


def build_lab_set(service_name: str, *, key_size: int = 2048, now: datetime | None = None) -> LabSet:
    """Make a lab root CA and a CMG server certificate for ``service_name`` in memory."""
    name = validate_service_name(service_name)
    start = (now or datetime.now(UTC)) - timedelta(minutes=5)
    root_key = generate_rsa_key(2048)
    root_name = _lab_name(f"{LAB_LABEL} root CA")
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=ROOT_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(root_ski, critical=False)
        .sign(root_key, hashes.SHA256())
    )
    server_key = generate_rsa_key(key_size)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_lab_name(name))
        .issuer_name(root_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=SERVER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False
        )
    )
    for extension, critical in server_extensions(name):
        builder = builder.add_extension(extension, critical=critical)
    return LabSet(root=root, server=builder.sign(root_key, hashes.SHA256()), server_key=server_key)


def lab_file_names(service_name: str) -> tuple[str, str]:
    """The names of the root ``.cer`` and the server PFX for a (validated) service name."""
    stem = file_stem(service_name)
    return f"{stem}-lab-root.cer", f"{stem}-lab.pfx"


def check_lab_request(service_name: str, pfx_password: bytes) -> str:
    """The validated service name, when a lab set can be made for it; ServiceNameError or ParameterError otherwise."""
    name = validate_service_name(service_name)
    check_secret(pfx_password, "PFX password")
    return name


def lab_output(
    service_name: str,
    pfx_password: bytes,
    *,
    key_size: int = 2048,
    legacy: bool = False,
    now: datetime | None = None,
) -> LabOutput:
    """A new lab set for a service name :func:`check_lab_request` accepted, as file contents."""
    lab = build_lab_set(service_name, key_size=key_size, now=now)
    pfx = build_pfx(
        lab.server,
        lab.server_key,
        [lab.root],
        pfx_password,
        friendly_name=f"{LAB_LABEL} {service_name}",
        legacy=legacy,
    )
    return LabOutput(
        root_cer=lab.root.public_bytes(serialization.Encoding.DER),
        pfx=pfx,
        root_thumbprint=thumbprint(lab.root),
        server_thumbprint=thumbprint(lab.server),
        not_after=lab.server.not_valid_after_utc,
    )
