"""Making a private key and a certificate signing request for the CMG certificate.

The request is what a public CA or an enterprise PKI (Web Server template) needs: RSA 2048
(or 4096), SHA-256, CN and SAN dNSName equal to the service name, and the Server
Authentication EKU. The key leaves memory only encrypted (PKCS#8, best available encryption
with the administrator's passphrase); :mod:`cmgtui.services.certificate_files` writes both.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from cmgtui.domain.azure.names import prefix_problem
from cmgtui.domain.certs.errors import ParameterError, ServiceNameError
from cmgtui.domain.certs.names import first_label, is_fqdn, is_wildcard
from cmgtui.domain.certs.outputs import check_secret, file_stem

KEY_SIZES = (2048, 4096)


def validate_service_name(name: str) -> str:
    """``name`` stripped, if it can be a CMG certificate CN; else ServiceNameError.

    An FQDN whose first label passes the prefix rule, or a ``*.domain`` wildcard.
    """
    candidate = name.strip().rstrip(".")
    if is_wildcard(candidate):
        return candidate
    if not is_fqdn(candidate):
        raise ServiceNameError(
            f"'{candidate}' is not a fully qualified name; use e.g. GraniteFalls.contoso.com or *.contoso.com."
        )
    problem = prefix_problem(first_label(candidate))
    if problem:
        raise ServiceNameError(
            f"The service name cannot name the CMG's Azure resources. {problem}"
        )
    return candidate


def generate_rsa_key(key_size: int = 2048) -> rsa.RSAPrivateKey:
    """A new RSA key of a size the CMG supports (2048 or 4096 bits)."""
    if key_size not in KEY_SIZES:
        raise ParameterError(f"Key size {key_size} is not supported; use 2048 or 4096.")
    return rsa.generate_private_key(public_exponent=65537, key_size=key_size)


def server_extensions(service_name: str) -> list[tuple[x509.ExtensionType, bool]]:
    """The extensions a CMG server certificate (or its request) carries, with criticality."""
    return [
        (x509.SubjectAlternativeName([x509.DNSName(service_name)]), False),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
        (
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            True,
        ),
    ]


def build_csr(key: rsa.RSAPrivateKey, service_name: str) -> x509.CertificateSigningRequest:
    """A SHA-256 CSR with CN and SAN = ``service_name`` and the Server Authentication EKU."""
    name = validate_service_name(service_name)
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    )
    for extension, critical in server_extensions(name):
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(key, hashes.SHA256())


def encrypted_key_pem(key: rsa.RSAPrivateKey, passphrase: bytes) -> bytes:
    """The key as an ``ENCRYPTED PRIVATE KEY`` PEM block (never plain)."""
    check_secret(passphrase, "private key passphrase")
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )


def check_csr_request(service_name: str, passphrase: bytes, key_size: int) -> str:
    """The validated service name, when a key and CSR can be made for it with these settings;
    ServiceNameError or ParameterError (one line) otherwise."""
    name = validate_service_name(service_name)
    check_secret(passphrase, "private key passphrase")
    if key_size not in KEY_SIZES:
        raise ParameterError(f"Key size {key_size} is not supported; use 2048 or 4096.")
    return name


def csr_file_names(service_name: str) -> tuple[str, str]:
    """The names of the key and CSR files for a (validated) service name."""
    stem = file_stem(service_name)
    return f"{stem}.key.pem", f"{stem}.csr.pem"


def key_and_csr_pem(service_name: str, passphrase: bytes, key_size: int = 2048) -> tuple[bytes, bytes]:
    """A new key (encrypted PEM) and its CSR (PEM) for a service name :func:`check_csr_request` accepted."""
    key = generate_rsa_key(key_size)
    request = build_csr(key, service_name)
    return encrypted_key_pem(key, passphrase), request.public_bytes(serialization.Encoding.PEM)
