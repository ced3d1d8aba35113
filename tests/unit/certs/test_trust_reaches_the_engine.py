"""A trusted CA file that fails Part 3's check fails everywhere (issue 10.2).

The same certificate is judged by TRUST-CA in Part 3, by CA-TRUSTED-ROOTS in Part 4's
pre-flight, ``cmgtui check`` and the report, and the script refuses to upload it.
"""

from __future__ import annotations

import pytest

from cmgtui.domain.certs import check_trusted_cas, describe_certificate
from cmgtui.domain.certs.trust import TrustedCa, trust_evidence
from cmgtui.domain.powershell import ScriptIncomplete, generate_script
from cmgtui.domain.report import build_report
from cmgtui.domain.rules.checks import evaluate
from cmgtui.domain.rules.results import Status
from cmgtui.model.profile import TrustedCertificate
from tests.unit.powershell.profiles import usgov_pki_2207

from .cert_factory import NOW, Leaf, root


def _record(ca: TrustedCa) -> TrustedCertificate:
    return TrustedCertificate(path=f"C:\\certs\\{ca.info.thumbprint[:6]}.cer", subject=ca.info.subject,
                              thumbprint=ca.info.thumbprint, is_root=ca.is_root, not_after=ca.info.not_after)


def _profile_with(*certs):  # type: ignore[no-untyped-def]
    cas = [TrustedCa("x.cer", cert, describe_certificate(cert)) for cert in certs]
    results = check_trusted_cas(cas, now=NOW)
    profile = usgov_pki_2207()
    profile.client_auth.trusted_certificates = [_record(ca) for ca in cas]
    profile.evidence["trust.cas"] = trust_evidence(cas, results)
    return profile, results


def test_a_non_ca_certificate_fails_trusted_roots_check_report_and_is_not_uploaded() -> None:
    profile, results = _profile_with(root(), Leaf(self_signed=True).build())
    trust_ca = next(r for r in results if r.rule == "TRUST-CA" and r.status is Status.FAIL)
    roots = next(r for r in evaluate(profile, NOW) if r.rule == "CA-TRUSTED-ROOTS")
    assert roots.status is Status.FAIL
    assert trust_ca.message in roots.message and roots.message.startswith("TRUST-CA: ")
    report = build_report(profile, evaluate(profile, NOW), [], now=NOW, tool_version="test")
    assert report.script is None
    assert any("not uploaded as -CARootCert" in m and "TRUST-CA" in m for m in report.missing)
    with pytest.raises(ScriptIncomplete):
        generate_script(profile, tool_version="test")


def test_removing_the_rejected_certificate_clears_the_failure() -> None:
    profile, _ = _profile_with(root(), Leaf(self_signed=True).build())
    profile.client_auth.trusted_certificates = [c for c in profile.client_auth.trusted_certificates
                                                if "Root" in c.subject]
    roots = next(r for r in evaluate(profile, NOW) if r.rule == "CA-TRUSTED-ROOTS")
    assert roots.status is Status.PASS
    script = generate_script(profile, tool_version="test")
    assert "-CARootCert" in script or "CARootCert" in script
