"""Rules about how the certificate was issued: signature hash, EKU, validity, file format."""

from __future__ import annotations

from datetime import timedelta

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID

from cmgtui.domain.certs.bundle import SourceFormat
from cmgtui.domain.certs.context import LintContext
from cmgtui.domain.certs.spec import RuleSpec
from cmgtui.domain.rules.results import RuleResult, Severity

SIGNATURE_HASH = RuleSpec("CERT-SIGNATURE-HASH", Severity.ERROR, "V05; pki-certificate-requirements.md")
EKU = RuleSpec("CERT-EKU", Severity.ERROR, "V03; pki-certificate-requirements.md")
VALIDITY = RuleSpec("CERT-VALIDITY", Severity.ERROR, "V06; modify-cloud-management-gateway.md")
FORMAT = RuleSpec("CERT-FORMAT", Severity.WARNING, "V01; pki-certificate-requirements.md")

RENEW_SOON_DAYS = 30
"""Expiring within this many days: a warning (severity warning) - renew now."""
PLAN_RENEWAL_DAYS = 90
"""Expiring within this many days: a warning of severity info - plan the renewal."""

_STRONG = {"sha256", "sha384", "sha512"}
_WEAK_SHA2 = {"sha224", "sha512-224", "sha512-256"}
_EKU_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH: "Server Authentication",
    ExtendedKeyUsageOID.CLIENT_AUTH: "Client Authentication",
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE: "Any purpose",
}
_NEW_CERT = "Ask the CA to issue the certificate again with SHA-256 (or stronger) signatures."


def check_signature_hash(ctx: LintContext) -> RuleResult:
    """SHA-256 or stronger passes; other SHA-2 variants warn; SHA-1, MD5 and the rest fail."""
    try:
        algorithm = ctx.certificate.signature_hash_algorithm
    except UnsupportedAlgorithm:
        return SIGNATURE_HASH.failed(
            "The certificate's signature algorithm is not one Windows can verify.",
            _NEW_CERT,
            ctx.certificate.signature_algorithm_oid.dotted_string,
        )
    if algorithm is None:
        return SIGNATURE_HASH.failed(
            "The certificate is signed with an algorithm without a separate hash (e.g. Ed25519), "
            "which CMG clients do not accept.",
            _NEW_CERT,
        )
    name = algorithm.name
    if name in _STRONG:
        return SIGNATURE_HASH.passed(f"Signed with {name.upper()}.", name)
    if name in _WEAK_SHA2:
        return SIGNATURE_HASH.warned(
            f"Signed with {name.upper()}, a less common SHA-2 variant.", _NEW_CERT, name
        )
    if isinstance(algorithm, hashes.SHA1 | hashes.MD5):
        return SIGNATURE_HASH.failed(
            f"Signed with {name.upper()}; Windows does not trust {name.upper()}-signed certificates "
            "for internet-facing services.",
            _NEW_CERT,
            name,
        )
    return SIGNATURE_HASH.failed(f"Signed with {name.upper()}, which is not SHA-2.", _NEW_CERT, name)


def check_eku(ctx: LintContext) -> RuleResult:
    """The enhanced key usage includes Server Authentication (1.3.6.1.5.5.7.3.1)."""
    fix = "Request the certificate from a Web Server template (Server Authentication EKU, 1.3.6.1.5.5.7.3.1)."
    try:
        usages = list(ctx.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        return EKU.failed(
            "The certificate has no enhanced key usage; it must list Server Authentication.", fix
        )
    evidence = ", ".join(_EKU_NAMES.get(u, u.dotted_string) for u in usages)
    if ExtendedKeyUsageOID.SERVER_AUTH in usages:
        return EKU.passed("Enhanced key usage includes Server Authentication.", evidence)
    return EKU.failed(
        "The certificate is not valid for Server Authentication (EKU 1.3.6.1.5.5.7.3.1).", fix, evidence
    )


def check_validity(ctx: LintContext) -> RuleResult:
    """Valid now; expiring within 30 days warns (warning), within 90 days warns (info)."""
    cert = ctx.certificate
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    evidence = f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
    renew = "Renew the certificate (same CN, letter case included) and update it in the CMG properties."
    if ctx.now < start:
        return VALIDITY.failed(
            f"The certificate is not valid yet (from {start:%Y-%m-%d %H:%M} UTC).",
            "Wait until it becomes valid, or check the issuing CA's and this computer's clocks.",
            evidence,
        )
    if ctx.now > end:
        return VALIDITY.failed(f"The certificate expired on {end:%Y-%m-%d}.", renew, evidence)
    left = end - ctx.now
    days = left.days
    if left <= timedelta(days=RENEW_SOON_DAYS):
        return VALIDITY.warned(f"The certificate expires in {days} days ({end:%Y-%m-%d}).", renew, evidence)
    if left <= timedelta(days=PLAN_RENEWAL_DAYS):
        return VALIDITY.warned(
            f"The certificate expires in {days} days ({end:%Y-%m-%d}); plan its renewal.",
            renew,
            evidence,
            severity=Severity.INFO,
        )
    return VALIDITY.passed(f"Valid until {end:%Y-%m-%d} ({days} days).", evidence)


def check_format(ctx: LintContext) -> RuleResult:
    """The CMG wizard takes a PKCS#12 (.pfx) file; other formats need assembling first."""
    found = ctx.bundle.source_format
    if found is SourceFormat.PKCS12:
        return FORMAT.passed("PKCS#12 (.pfx) file, as the CMG wizard expects.", found.value)
    return FORMAT.warned(
        f"This is a {found.value.upper()} file; the CMG wizard takes a password-protected .pfx file.",
        "Assemble a .pfx from the issued certificate and its private key (cmgtui cert pfx).",
        found.value,
    )
