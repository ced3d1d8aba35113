"""Following a certificate's issuers through the certificates that came with it.

Used by the server certificate's CERT-CHAIN rule and by the trusted-root checks of PKI
client authentication. Only signatures and names are checked here (no revocation, no
trust store): the question is whether the file is complete and consistent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa

from cmgtui.domain.certs.errors import PARSE_ERRORS, PARSE_OR_TYPE_ERRORS


@dataclass
class ChainWalk:
    """Where following issuers from a certificate led.

    ``path`` starts with the certificate itself; ``bad_signature`` names a certificate
    whose signature did not verify with the only candidate issuer; ``unchecked`` lists
    certificates whose signature uses a hash that cannot be verified; ``missing_issuer`` is
    the issuer name of the last certificate when it was not found (None when the path
    ended at a self-signed certificate).
    """

    path: list[x509.Certificate] = field(default_factory=list)
    ends_self_signed: bool = False
    missing_issuer: x509.Name | None = None
    bad_signature: tuple[x509.Certificate, x509.Certificate] | None = None
    unchecked: list[x509.Certificate] = field(default_factory=list)
    unused: list[x509.Certificate] = field(default_factory=list)


def is_self_issued(cert: x509.Certificate) -> bool:
    """Subject equals issuer (a root, or a self-signed server certificate)."""
    try:
        return cert.subject == cert.issuer
    except PARSE_ERRORS:
        return False


def verify_signature(cert: x509.Certificate, issuer: x509.Certificate) -> bool | None:
    """True: ``issuer`` signed ``cert``; False: it did not; None: the hash can't be checked.

    ``cryptography`` refuses SHA-1 and MD5 certificate signatures; SHA-1 is then checked
    with the issuer's public key directly, and what still cannot be checked (MD5) gives
    None, so a weak hash is reported by CERT-SIGNATURE-HASH rather than as a broken chain.
    """
    try:
        cert.verify_directly_issued_by(issuer)
    except InvalidSignature:
        return False
    except PARSE_OR_TYPE_ERRORS:
        return _verify_with_public_key(cert, issuer)
    return True


def _verify_with_public_key(cert: x509.Certificate, issuer: x509.Certificate) -> bool | None:
    """Verify ``cert``'s signature with ``issuer``'s key for any hash the key type allows."""
    try:
        if cert.issuer != issuer.subject:
            return False
        key = issuer.public_key()
        signature, data = cert.signature, cert.tbs_certificate_bytes
        algorithm = cert.signature_hash_algorithm
        if isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
            parameters = cert.signature_algorithm_parameters
            if not isinstance(parameters, padding.PSS | padding.PKCS1v15):
                return None
            key.verify(signature, data, parameters, algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
            key.verify(signature, data, ec.ECDSA(algorithm))
        elif isinstance(key, dsa.DSAPublicKey) and algorithm is not None:
            key.verify(signature, data, algorithm)
        else:
            return None
    except InvalidSignature:
        return False
    except PARSE_OR_TYPE_ERRORS:
        return None
    return True


def walk_chain(leaf: x509.Certificate, pool: Sequence[x509.Certificate]) -> ChainWalk:
    """Follow issuers from ``leaf`` through ``pool`` until a self-signed or missing issuer."""
    walk = ChainWalk(path=[leaf])
    remaining = [c for c in pool if c != leaf]
    current = leaf
    while True:
        if is_self_issued(current):
            walk.ends_self_signed = True
            break
        candidates = [c for c in remaining if _subject(c) == _issuer(current)]
        if not candidates:
            walk.missing_issuer = _issuer(current)
            break
        verdicts = [(c, verify_signature(current, c)) for c in candidates]
        issuer = next((c for c, ok in verdicts if ok is True), None)
        if issuer is None:
            issuer = next((c for c, ok in verdicts if ok is None), None)
            if issuer is None:
                walk.bad_signature = (current, candidates[0])
                break
            walk.unchecked.append(current)
        walk.path.append(issuer)
        remaining.remove(issuer)
        current = issuer
    walk.unused = remaining
    return walk


def name_of(cert: x509.Certificate) -> str:
    """A short human name for a certificate: its CN, else its whole subject."""
    return short_name(_subject(cert))


def short_name(name: x509.Name | None) -> str:
    """The CN of ``name`` if it has one, else the RFC 4514 string."""
    if name is None:
        return "(none)"
    try:
        cns = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        if cns:
            return str(cns[0].value)
        return name.rfc4514_string() or "(empty name)"
    except PARSE_ERRORS:
        return "(unreadable name)"


def _subject(cert: x509.Certificate) -> x509.Name | None:
    try:
        return cert.subject
    except PARSE_ERRORS:
        return None


def _issuer(cert: x509.Certificate) -> x509.Name | None:
    try:
        return cert.issuer
    except PARSE_ERRORS:
        return None
