"""CERT-CHAIN: the issuing CA certificates come with the server certificate and verify."""

from __future__ import annotations

from cryptography import x509

from cmgtui.domain.certs.bundle import is_ca
from cmgtui.domain.certs.chain import name_of, short_name, verify_signature, walk_chain
from cmgtui.domain.certs.context import LintContext
from cmgtui.domain.certs.spec import RuleSpec
from cmgtui.domain.rules.results import RuleResult, Severity

CHAIN = RuleSpec("CERT-CHAIN", Severity.ERROR, "server-auth-cert.md; cmg-communication-error.md (INVALID_CA)")

_EXPORT_CHAIN = (
    "Export the .pfx again with 'Include all certificates in the certification path', "
    "or add the intermediate CA certificates when assembling it."
)


def check_chain(ctx: LintContext) -> RuleResult:
    """Intermediates present, every signature verifies, CAs valid; root optional."""
    leaf = ctx.certificate
    walk = walk_chain(leaf, ctx.bundle.chain)
    shown = " <- ".join(name_of(c) for c in walk.path)
    extra = (
        f" {len(walk.unused)} other certificate(s) in the file are not part of the chain."
        if walk.unused
        else ""
    )
    if walk.unchecked:
        extra += (
            f" The signature of {', '.join(repr(name_of(c)) for c in walk.unchecked)} uses a hash that cannot "
            "be verified (see CERT-SIGNATURE-HASH)."
        )
    if walk.bad_signature is not None:
        child, parent = walk.bad_signature
        return CHAIN.failed(
            f"The signature of '{name_of(child)}' does not verify with the included '{name_of(parent)}' "
            "certificate (same name, different key).",
            _EXPORT_CHAIN,
            shown,
        )
    for ca in walk.path[1:]:
        problem = _ca_problem(ctx, ca)
        if problem:
            return CHAIN.failed(
                problem, "Include the CA certificates that are current for this certificate.", shown
            )
    if len(walk.path) == 1:
        if walk.ends_self_signed:
            if verify_signature(leaf, leaf) is False:
                return CHAIN.failed(
                    "The self-signed certificate's own signature does not verify.", _EXPORT_CHAIN
                )
            return CHAIN.warned(
                "The certificate is self-signed: every client would have to trust this one certificate.",
                "Use a certificate from a public CA or your enterprise PKI (or cmgtui cert lab for a lab).",
                shown,
            )
        return CHAIN.warned(
            f"No issuing CA certificate is included (issuer '{short_name(walk.missing_issuer)}'); clients "
            "and the CMG may not build the chain." + extra,
            _EXPORT_CHAIN,
            shown,
        )
    if walk.ends_self_signed:
        return CHAIN.passed(f"Complete chain {shown}; the root is included.{extra}", shown)
    return CHAIN.passed(
        f"Chain {shown}; the root '{short_name(walk.missing_issuer)}' is not included "
        f"(clients must already trust it).{extra}",
        shown,
    )


def _ca_problem(ctx: LintContext, ca: x509.Certificate) -> str | None:
    """Why an issuing certificate in the chain is unusable, or None."""
    name = name_of(ca)
    if not is_ca(ca):
        return f"The issuing certificate '{name}' is not marked as a CA (basic constraints)."
    if ctx.now > ca.not_valid_after_utc:
        return f"The issuing CA certificate '{name}' expired on {ca.not_valid_after_utc:%Y-%m-%d}."
    if ctx.now < ca.not_valid_before_utc:
        return f"The issuing CA certificate '{name}' is not valid yet."
    return None
