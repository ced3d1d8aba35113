"""Linting a CMG server authentication certificate against every Part 1 rule.

:func:`lint_server_certificate` runs the rules over a loaded bundle;
:func:`lint_certificate_file` loads a file first and returns a :class:`LintReport` that
the CLI and the Part 1 screen print. A rule that meets a certificate field
``cryptography`` cannot parse fails with a message rather than raising.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509

from cmgtui.domain.certs import rules_chain, rules_key, rules_names, rules_policy
from cmgtui.domain.certs.bundle import CertificateBundle
from cmgtui.domain.certs.context import LintContext
from cmgtui.domain.certs.errors import PARSE_ERRORS
from cmgtui.domain.certs.info import CertificateInfo, describe_bundle
from cmgtui.domain.certs.loading import load_certificate_file
from cmgtui.domain.certs.names import common_name
from cmgtui.domain.certs.spec import RuleSpec
from cmgtui.domain.rules.results import RuleResult, Summary, summarize

Check = Callable[[LintContext], RuleResult]

RULES: tuple[tuple[RuleSpec, Check], ...] = (
    (rules_policy.FORMAT, rules_policy.check_format),
    (rules_key.PRIVATE_KEY, rules_key.check_private_key),
    (rules_key.KEY_ALGORITHM, rules_key.check_key_algorithm),
    (rules_key.KEY_SIZE, rules_key.check_key_size),
    (rules_policy.SIGNATURE_HASH, rules_policy.check_signature_hash),
    (rules_policy.EKU, rules_policy.check_eku),
    (rules_key.KEY_USAGE, rules_key.check_key_usage),
    (rules_names.CN, rules_names.check_cn),
    (rules_names.PREFIX, rules_names.check_prefix),
    (rules_names.SAN, rules_names.check_san),
    (rules_names.DOMAIN, rules_names.check_domain),
    (rules_policy.VALIDITY, rules_policy.check_validity),
    (rules_chain.CHAIN, rules_chain.check_chain),
    (rules_names.RENEWAL_CN, rules_names.check_renewal_cn),
)
"""Every certificate rule in report order, with the function that checks it."""

RULE_IDS: tuple[str, ...] = tuple(spec.id for spec, _ in RULES)

Previous = x509.Certificate | CertificateBundle | str | None


@dataclass(frozen=True, slots=True)
class LintReport:
    """The outcome of linting one file: what it is and every rule's result."""

    file: str
    info: CertificateInfo
    results: tuple[RuleResult, ...]

    @property
    def summary(self) -> Summary:
        """Counts by status."""
        return summarize(self.results)

    @property
    def failed(self) -> bool:
        """True when at least one rule failed."""
        return self.summary.failed

    def to_json(self) -> dict[str, Any]:
        """``{"file", "subject", "results": [{"rule","status","severity","message"}], "summary"}``."""
        return {
            "file": self.file,
            "subject": self.info.subject,
            "results": [
                {"rule": r.rule, "status": r.status.value, "severity": r.severity.value, "message": r.message}
                for r in self.results
            ],
            "summary": self.summary.offline_json(),
        }


def previous_common_name(previous: Previous) -> str | None:
    """The CN to keep on renewal, from a certificate, a bundle, or the CN itself."""
    if previous is None or isinstance(previous, str):
        return previous
    cert = previous.certificate if isinstance(previous, CertificateBundle) else previous
    try:
        return common_name(cert) or ""
    except PARSE_ERRORS:
        return ""


def lint_server_certificate(
    bundle: CertificateBundle,
    *,
    service_name: str | None = None,
    previous: Previous = None,
    region: str | None = None,
    now: datetime | None = None,
) -> list[RuleResult]:
    """Check ``bundle`` as the CMG server authentication certificate.

    ``service_name`` is the administrator's service name or prefix (required for a
    wildcard CN); ``previous`` is the certificate being renewed (or its CN), which turns on
    CERT-RENEWAL-CN; ``region`` is the chosen Azure region, checked against an Azure-domain
    CN; ``now`` defaults to the current UTC time.
    """
    ctx = LintContext(
        bundle=bundle,
        now=now or datetime.now(UTC),
        service_name=service_name or None,
        previous_cn=previous_common_name(previous),
        region=region or None,
    )
    return [_run(spec, check, ctx) for spec, check in RULES]


def lint_certificate_file(
    path: str | os.PathLike[str],
    password: bytes | None = None,
    *,
    service_name: str | None = None,
    previous: Previous = None,
    region: str | None = None,
    now: datetime | None = None,
) -> LintReport:
    """Load ``path`` and lint it; raises CertificateInputError when the file is unusable."""
    bundle = load_certificate_file(path, password)
    results = lint_server_certificate(
        bundle, service_name=service_name, previous=previous, region=region, now=now
    )
    return LintReport(file=os.fspath(path), info=describe_bundle(bundle), results=tuple(results))


def _run(spec: RuleSpec, check: Check, ctx: LintContext) -> RuleResult:
    """One rule, with a certificate field that cannot be parsed reported as its failure."""
    try:
        return check(ctx)
    except PARSE_ERRORS as exc:
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        return spec.failed(
            f"Part of the certificate this rule reads cannot be parsed ({detail}).",
            "Check the certificate with the issuing CA; it may be malformed.",
        )
