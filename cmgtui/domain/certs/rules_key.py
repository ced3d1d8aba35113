"""Rules about the key pair: private key present and matching, algorithm, size, key usage."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from cmgtui.domain.certs.bundle import is_ca, public_keys_match
from cmgtui.domain.certs.context import LintContext
from cmgtui.domain.certs.info import key_description
from cmgtui.domain.certs.spec import RuleSpec
from cmgtui.domain.rules.results import RuleResult, Severity

PRIVATE_KEY = RuleSpec("CERT-PRIVATE-KEY", Severity.ERROR, "V02; pki-certificate-requirements.md")
KEY_ALGORITHM = RuleSpec("CERT-KEY-ALGORITHM", Severity.ERROR, "V04; server-auth-cert.md")
KEY_SIZE = RuleSpec("CERT-KEY-SIZE", Severity.ERROR, "V04; server-auth-cert.md")
KEY_USAGE = RuleSpec(
    "CERT-KEY-USAGE", Severity.ERROR, "pki-certificate-requirements.md (Web Server template)"
)

SUPPORTED_RSA_SIZES = (2048, 4096)
_REEXPORT = (
    "Export the certificate again as a .pfx with 'Yes, export the private key', "
    "or assemble one from the issued certificate and your key (cmgtui cert pfx)."
)


def check_private_key(ctx: LintContext) -> RuleResult:
    """The file carries the leaf's private key (the CMG needs a PFX with it)."""
    key = ctx.bundle.private_key
    if key is None:
        return PRIVATE_KEY.failed(
            "The file has no private key; the CMG needs the certificate with its key.", _REEXPORT
        )
    if not public_keys_match(ctx.certificate, key):
        return PRIVATE_KEY.failed(
            "The private key in the file does not belong to this certificate.",
            "Use the key the certificate request was made with, or export the certificate and key together again.",
        )
    return PRIVATE_KEY.passed("Private key present and matches the certificate.")


def check_key_algorithm(ctx: LintContext) -> RuleResult:
    """RSA only: the CMG documentation supports 2048- and 4096-bit RSA keys and nothing else."""
    described = key_description(ctx.certificate)
    if isinstance(ctx.certificate.public_key(), rsa.RSAPublicKey):
        return KEY_ALGORITHM.passed(f"RSA key ({described}).", described)
    return KEY_ALGORITHM.failed(
        f"The key is {described}; the CMG supports only RSA keys (2048 or 4096 bits), "
        "so the deployment or clients would reject it.",
        "Request a new certificate with an RSA 2048- or 4096-bit key (cmgtui cert csr).",
        described,
    )


def check_key_size(ctx: LintContext) -> RuleResult:
    """2048 or 4096 pass; other RSA sizes of at least 2048 warn; smaller keys fail."""
    key = ctx.certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        return KEY_SIZE.skipped("Not an RSA key; see CERT-KEY-ALGORITHM.")
    size = key.key_size
    evidence = f"{size} bits"
    if size in SUPPORTED_RSA_SIZES:
        return KEY_SIZE.passed(f"RSA key of {size} bits.", evidence)
    if size >= 2048:
        return KEY_SIZE.warned(
            f"RSA key of {size} bits: not one of the documented sizes (2048 or 4096); it may work but is untested.",
            "Prefer a 2048- or 4096-bit key when you next renew.",
            evidence,
        )
    return KEY_SIZE.failed(
        f"RSA key of {size} bits is too short; the CMG needs 2048 or 4096 bits.",
        "Request a new certificate with a 2048- or 4096-bit RSA key (cmgtui cert csr).",
        evidence,
    )


def check_key_usage(ctx: LintContext) -> RuleResult:
    """Key usage allows TLS server use (digital signature and key encipherment); not a CA."""
    cert = ctx.certificate
    if is_ca(cert):
        return KEY_USAGE.failed(
            "This is a CA certificate (basic constraints CA=true), not a server certificate.",
            "Use a certificate issued from a Web Server template, not the CA's own certificate.",
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return KEY_USAGE.passed("No key usage extension: the key is not restricted.")
    flags = [
        name
        for name, on in (
            ("digital signature", usage.digital_signature),
            ("key encipherment", usage.key_encipherment),
        )
        if on
    ]
    evidence = ", ".join(flags) or "neither digital signature nor key encipherment"
    if len(flags) == 2:
        return KEY_USAGE.passed("Key usage allows digital signature and key encipherment.", evidence)
    if flags:
        missing = "key encipherment" if flags == ["digital signature"] else "digital signature"
        return KEY_USAGE.warned(
            f"Key usage lacks {missing}; some TLS clients or cipher suites will refuse the certificate.",
            "Request the certificate from a Web Server template (digital signature and key encipherment).",
            evidence,
        )
    return KEY_USAGE.failed(
        "Key usage allows neither digital signature nor key encipherment, so TLS cannot use this key.",
        "Request the certificate from a Web Server template (digital signature and key encipherment).",
        evidence,
    )
