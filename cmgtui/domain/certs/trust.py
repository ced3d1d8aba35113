"""Trusted root and intermediate CA files for PKI client authentication (Part 3).

With PKI client certificates the CMG needs the whole chain of the clients' issuing CAs,
exported as ``.cer`` files (domain sheet §3.3, V37). These checks say, per file, whether it
is a CA certificate, whether it is valid, whether it is a root or an intermediate, and
whether every intermediate's issuer is among the files (the chain is complete and in order).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509

from cmgtui.domain.certs.bundle import is_ca
from cmgtui.domain.certs.chain import is_self_issued, name_of, short_name, verify_signature
from cmgtui.domain.certs.errors import CertificateInputError
from cmgtui.domain.certs.info import CertificateInfo, describe_certificate
from cmgtui.domain.certs.loading import load_certificate_file
from cmgtui.domain.certs.spec import RuleSpec
from cmgtui.domain.rules.results import Phase, RuleResult, Severity
from cmgtui.model.profile import Evidence

_SOURCE = "V37; configure-authentication.md, setup-cloud-management-gateway.md"
PRESENT = RuleSpec("TRUST-PRESENT", Severity.ERROR, _SOURCE, Phase.CLIENT_AUTH)
CA_CONSTRAINT = RuleSpec("TRUST-CA", Severity.ERROR, _SOURCE, Phase.CLIENT_AUTH)
VALIDITY = RuleSpec("TRUST-VALIDITY", Severity.ERROR, _SOURCE, Phase.CLIENT_AUTH)
KIND = RuleSpec("TRUST-KIND", Severity.ERROR, _SOURCE, Phase.CLIENT_AUTH)
CHAIN = RuleSpec("TRUST-CHAIN", Severity.ERROR, _SOURCE, Phase.CLIENT_AUTH)

EXPIRY_WARNING_DAYS = 30
#: Evidence key of the latest check of the trusted set (Part 3): see :func:`trust_evidence`.
TRUST_EVIDENCE = "trust.cas"


@dataclass(frozen=True, slots=True)
class TrustedCa:
    """One CA certificate read from a trusted-certificate file."""

    path: str
    certificate: x509.Certificate
    info: CertificateInfo

    @property
    def is_root(self) -> bool:
        """Self-issued (subject equals issuer): a root rather than an intermediate."""
        return is_self_issued(self.certificate)


def load_trusted_ca_file(path: str | os.PathLike[str]) -> list[TrustedCa]:
    """The CA certificates in a ``.cer``/PEM/PKCS#7 file; refuses files holding a private key."""
    bundle = load_certificate_file(path)
    if bundle.has_private_key:
        raise CertificateInputError(
            f"{os.fspath(path)}: holds a private key; export only the CA certificate (.cer), never its key."
        )
    return [
        TrustedCa(os.fspath(path), cert, describe_certificate(cert))
        for cert in (bundle.certificate, *bundle.chain)
    ]


def check_trusted_ca_files(
    paths: Sequence[str | os.PathLike[str]], *, now: datetime | None = None
) -> tuple[list[TrustedCa], list[RuleResult]]:
    """Load every file (CertificateInputError on an unusable one) and check the set."""
    cas = [ca for path in paths for ca in load_trusted_ca_file(path)]
    return cas, check_trusted_cas(cas, now=now)


def check_trusted_cas(cas: Sequence[TrustedCa], *, now: datetime | None = None) -> list[RuleResult]:
    """Per-certificate CA, validity, kind and chain results, plus one for the set as a whole."""
    moment = now or datetime.now(UTC)
    if not cas:
        return [
            PRESENT.failed(
                "No trusted root certificate is listed for PKI client authentication.",
                "Export the clients' root CA (and any intermediates) as .cer files and add them.",
            )
        ]
    results: list[RuleResult] = []
    for ca in cas:
        results.extend((_ca(ca), _validity(ca, moment), _kind(ca), _chain(ca, cas)))
    if any(ca.is_root for ca in cas):
        results.append(
            PRESENT.passed(
                f"{sum(ca.is_root for ca in cas)} root and "
                f"{sum(not ca.is_root for ca in cas)} intermediate certificate(s)."
            )
        )
    else:
        results.append(
            PRESENT.failed(
                "Only intermediate certificates are listed; the CMG needs the root CA as well.",
                "Add the root CA certificate (.cer) that the intermediates chain up to.",
            )
        )
    return results


def _ca(ca: TrustedCa) -> RuleResult:
    name = name_of(ca.certificate)
    if is_ca(ca.certificate):
        return CA_CONSTRAINT.passed(f"'{name}' is a CA certificate.", ca.info.thumbprint)
    return CA_CONSTRAINT.failed(
        f"'{name}' is not a CA certificate (basic constraints CA is not set); it cannot anchor client certificates.",
        "Add the certificates of the CAs that issue the client certificates, not client or server certificates.",
        ca.info.thumbprint,
    )


def _validity(ca: TrustedCa, now: datetime) -> RuleResult:
    name, end = name_of(ca.certificate), ca.info.not_after
    if now < ca.info.not_before:
        return VALIDITY.failed(
            f"'{name}' is not valid yet.", "Check the CA certificate and the clock.", ca.info.thumbprint
        )
    if now > end:
        return VALIDITY.failed(
            f"'{name}' expired on {end:%Y-%m-%d}.",
            "Add the CA's current (renewed) certificate.",
            ca.info.thumbprint,
        )
    if end - now <= timedelta(days=EXPIRY_WARNING_DAYS):
        return VALIDITY.warned(
            f"'{name}' expires on {end:%Y-%m-%d}.",
            "Add the CA's renewed certificate before then.",
            ca.info.thumbprint,
        )
    return VALIDITY.passed(f"'{name}' is valid until {end:%Y-%m-%d}.", ca.info.thumbprint)


def _kind(ca: TrustedCa) -> RuleResult:
    name = name_of(ca.certificate)
    if not ca.is_root:
        return KIND.passed(f"'{name}' is an intermediate issued by '{short_name(ca.certificate.issuer)}'.")
    if verify_signature(ca.certificate, ca.certificate) is not False:
        return KIND.passed(f"'{name}' is a self-signed root.", ca.info.thumbprint)
    return KIND.failed(
        f"'{name}' names itself as issuer but its signature does not verify; the file is damaged or not a root.",
        "Export the root CA certificate again from the CA.",
        ca.info.thumbprint,
    )


def _chain(ca: TrustedCa, cas: Sequence[TrustedCa]) -> RuleResult:
    name = name_of(ca.certificate)
    if ca.is_root:
        return CHAIN.passed(f"'{name}' is a root; it needs no issuer.", ca.info.thumbprint)
    issuer = ca.certificate.issuer
    candidates = [other for other in cas if other is not ca and other.certificate.subject == issuer]
    if not candidates:
        return CHAIN.failed(
            f"The issuer of '{name}' ('{short_name(issuer)}') is not among the trusted certificates.",
            f"Add the certificate of '{short_name(issuer)}' (.cer); the whole chain up to the root is needed.",
            ca.info.thumbprint,
        )
    if any(verify_signature(ca.certificate, other.certificate) is not False for other in candidates):
        return CHAIN.passed(
            f"'{name}' chains to '{short_name(issuer)}', which is listed.", ca.info.thumbprint
        )
    return CHAIN.failed(
        f"'{name}' does not verify with the listed '{short_name(issuer)}' certificate (same name, different key).",
        f"Add the '{short_name(issuer)}' certificate that actually issued '{name}' (it may have been renewed).",
        ca.info.thumbprint,
    )


def trust_evidence(cas: Sequence[TrustedCa], results: Sequence[RuleResult]) -> Evidence:
    """``trust.cas``: the TRUST-* results of the last check and the thumbprints they judged.

    CA-TRUSTED-ROOTS and the script read it, so a certificate Part 3 rejects is rejected in
    Part 4's pre-flight, ``cmgtui check``, the report, and never uploaded as -CARootCert.
    """
    failed = sum(r.status.value == "fail" for r in results)
    return Evidence(source=TRUST_EVIDENCE, summary=f"{len(cas)} certificate(s), {failed} failed check(s)", data={
        "thumbprints": [ca.info.thumbprint for ca in cas],
        "results": [{**r.to_json(), "fix": r.fix, "evidence": r.evidence} for r in results],
    })
