"""Certificates built in the tests: a good CMG chain and one-knob variations of it.

RSA key generation is slow, so keys come from a per-session cache keyed by (size, slot);
every certificate is built fresh with the ``cryptography`` X.509 builder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes, PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from cmgtui.domain.certs import CertificateBundle, SourceFormat

GOOD_CN = "GraniteFalls.contoso.com"
PASSWORD = b"correct horse battery"
NOW = datetime.now(UTC)
_DEFAULT = object()


@cache
def rsa_key(bits: int = 2048, slot: int = 0) -> rsa.RSAPrivateKey:
    """A cached RSA key; different ``slot`` values give different keys of the same size."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@cache
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@cache
def dsa_key() -> dsa.DSAPrivateKey:
    return dsa.generate_private_key(key_size=1024)


def name(cn: str | None, org: str | None = None) -> x509.Name:
    attrs = []
    if cn is not None:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    if org is not None:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def server_key_usage(digital_signature: bool = True, key_encipherment: bool = True) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature, False, key_encipherment, False, False, False, False, False, False)


def ca_certificate(
    cn: str,
    key: rsa.RSAPrivateKey,
    issuer: tuple[x509.Certificate, CertificateIssuerPrivateKeyTypes] | None = None,
    *,
    is_ca: bool = True,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> x509.Certificate:
    """A CA certificate, self-signed when ``issuer`` is None."""
    issuer_name, signing_key = (
        (issuer[0].subject, issuer[1]) if issuer else (name(cn, "Contoso Test PKI"), key)
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name(cn, "Contoso Test PKI"))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - timedelta(days=365))
        .not_valid_after(not_after or NOW + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .sign(signing_key, hashes.SHA256())
    )


@cache
def root() -> x509.Certificate:
    return ca_certificate("Contoso Test Root", rsa_key(2048, 1))


@cache
def intermediate() -> x509.Certificate:
    return ca_certificate("Contoso Test Issuing CA", rsa_key(2048, 2), (root(), rsa_key(2048, 1)))


@dataclass
class Leaf:
    """Knobs for the server certificate; defaults make the good certificate."""

    cn: str | None = GOOD_CN
    sans: Sequence[str] | None = (GOOD_CN,)
    san_ips_only: bool = False
    eku: Sequence[x509.ObjectIdentifier] | None = (ExtendedKeyUsageOID.SERVER_AUTH,)
    key_usage: x509.KeyUsage | None = field(default_factory=server_key_usage)
    is_ca: bool = False
    key: PrivateKeyTypes | None = None
    hash_algorithm: hashes.HashAlgorithm | None = field(default_factory=hashes.SHA256)
    not_before: datetime = NOW - timedelta(days=1)
    not_after: datetime = NOW + timedelta(days=365)
    self_signed: bool = False

    def leaf_key(self) -> PrivateKeyTypes:
        return self.key if self.key is not None else rsa_key(2048, 0)

    def build(self) -> x509.Certificate:
        key = self.leaf_key()
        issuer_cert, issuer_key = intermediate(), rsa_key(2048, 2)
        subject = name(self.cn)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject if self.self_signed else issuer_cert.subject)
            .public_key(key.public_key())  # type: ignore[arg-type]
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.not_before)
            .not_valid_after(self.not_after)
            .add_extension(x509.BasicConstraints(ca=self.is_ca, path_length=None), critical=True)
        )
        if self.san_ips_only:
            import ipaddress

            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("192.0.2.1"))]),
                critical=False,
            )
        elif self.sans is not None:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(s) for s in self.sans]), critical=False
            )
        if self.eku is not None:
            builder = builder.add_extension(x509.ExtendedKeyUsage(list(self.eku)), critical=False)
        if self.key_usage is not None:
            builder = builder.add_extension(self.key_usage, critical=True)
        signer = key if self.self_signed else issuer_key
        return builder.sign(signer, self.hash_algorithm)  # type: ignore[arg-type]


def bundle(
    leaf: Leaf | None = None,
    *,
    chain: Sequence[x509.Certificate] | object | None = _DEFAULT,
    key: PrivateKeyTypes | object | None = _DEFAULT,
    source_format: SourceFormat = SourceFormat.PKCS12,
) -> CertificateBundle:
    """A bundle as a loader would return it; defaults: intermediate + root, matching key."""
    spec = leaf or Leaf()
    certificate = spec.build()
    return CertificateBundle(
        certificate=certificate,
        chain=tuple((intermediate(), root()) if chain is _DEFAULT else chain or ()),  # type: ignore[arg-type]
        private_key=spec.leaf_key() if key is _DEFAULT else key,  # type: ignore[arg-type]
        source_format=source_format,
        name="test",
    )


def pfx_bytes(
    certificate: x509.Certificate,
    key: PrivateKeyTypes | None,
    chain: Sequence[x509.Certificate] = (),
    password: bytes | None = PASSWORD,
) -> bytes:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(
        b"test",
        key,
        certificate,
        list(chain) or None,
        encryption,
    )


def pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


def key_pem(key: PrivateKeyTypes, password: bytes | None = None) -> bytes:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


_SHA256_WITH_RSA = bytes.fromhex("06092a864886f70d01010b")
_WEAK_OIDS = {"sha1": bytes.fromhex("06092a864886f70d010105"), "md5": bytes.fromhex("06092a864886f70d010104")}


def weak_signed(hash_name: str) -> x509.Certificate:
    """The good leaf re-signed by the issuing CA with SHA-1 or MD5.

    ``cryptography`` no longer signs with those hashes, so the algorithm identifiers are
    swapped in the DER (same length) and the new TBS bytes are signed with the raw key API.
    """
    from cryptography.hazmat.primitives.asymmetric import padding

    good = Leaf().build()
    weak_oid = _WEAK_OIDS[hash_name]
    tbs = good.tbs_certificate_bytes.replace(_SHA256_WITH_RSA, weak_oid)
    algorithm = hashes.SHA1() if hash_name == "sha1" else hashes.MD5()
    signature = rsa_key(2048, 2).sign(tbs, padding.PKCS1v15(), algorithm)
    encoded = der(good).replace(_SHA256_WITH_RSA, weak_oid)
    return x509.load_der_x509_certificate(encoded[: -len(signature)] + signature)
