"""evaluate / part_status / next_step over whole profiles."""

from __future__ import annotations

from cmgtui.domain.rules.checks import PartState, evaluate, next_step, part_status
from cmgtui.domain.rules.profile_rules import PART_ORDER
from cmgtui.domain.rules.results import Phase, Severity, Status
from cmgtui.model import Profile

from .factories import NOW, complete_profile, evidence


def test_evaluate_sorted_and_includes_cert_lint() -> None:
    p = complete_profile()
    evidence(p, "cert.lint", results=[
        {"rule": "CERT-KEY", "phase": "certificate", "status": "fail", "severity": "error",
         "message": "Key length 1024 isn't supported.", "fix": "Use 2048 or 4096-bit."},
    ])
    results = evaluate(p, NOW)
    positions = [PART_ORDER.index(r.phase) for r in results]
    assert positions == sorted(positions)
    key = next(r for r in results if r.rule == "CERT-KEY")
    assert key.status is Status.FAIL and key.fix == "Use 2048 or 4096-bit."


def test_no_cert_lint_asks_for_certificate() -> None:
    p = complete_profile()
    del p.evidence["cert.lint"]
    r = next(r for r in evaluate(p, NOW) if r.rule == "CERT-CHECKED")
    assert r.status is Status.SKIP and "PFX" in r.message


def test_unreadable_cert_lint_is_reported_not_raised() -> None:
    p = complete_profile()
    evidence(p, "cert.lint", results=[{"rule": "X", "status": "bogus"}, "junk"])
    r = next(r for r in evaluate(p, NOW) if r.rule == "CERT-CHECKED")
    assert r.status is Status.WARN and "2 unreadable" in r.evidence


def test_part_status_complete_profile_all_done() -> None:
    p = complete_profile()
    results = evaluate(p, NOW)
    for phase in Phase:
        status = part_status(p, phase, NOW, results)
        assert status.state is PartState.DONE, (phase, status)
    assert part_status(p, Phase.CHECKLIST).counts == {"done": 8, "todo": 0, "problem": 0}


def test_part_status_states() -> None:
    p = Profile(name="x")
    assert part_status(p, Phase.CHECKLIST).state is PartState.NOT_STARTED
    assert part_status(p, Phase.ENTRA, NOW).state is PartState.NOT_STARTED
    q = complete_profile()
    q.entra.tenant_id = "bad"
    entra = part_status(q, Phase.ENTRA, NOW)
    assert entra.state is PartState.PROBLEM and entra.counts["fail"] == 1
    q.entra.tenant_id = ""
    assert part_status(q, Phase.ENTRA, NOW).state is PartState.IN_PROGRESS
    q.region = ""
    assert part_status(q, "checklist").state is PartState.IN_PROGRESS
    q.site.cmgcp_servers = ["bad name"]
    assert part_status(q, Phase.CHECKLIST).state is PartState.PROBLEM


def test_part_status_counts_exclude_not_applicable() -> None:
    p = complete_profile()
    gateway = part_status(p, Phase.GATEWAY, NOW)
    assert gateway.counts["skip"] == 0
    assert gateway.total == gateway.counts["pass"]


def test_next_step_checklist_first() -> None:
    assert next_step(Profile(name="x"), NOW).startswith("Checklist 1. Azure environment:")
    p = complete_profile()
    p.site.cmgcp_servers = []
    assert next_step(p, NOW).startswith("Checklist 6. Server for the CMG connection point:")


def test_next_step_failure_before_missing_input_in_same_part_and_part_order() -> None:
    p = complete_profile()
    p.gateway.subscription_id = ""           # Part 4 missing input
    p.entra.server_app.app_id_uri = ""       # Part 2 missing input
    assert next_step(p, NOW).startswith("Part 2 (Microsoft Entra apps): Enter the server app's Application ID URI")
    p.entra.tenant_id = "nope"               # Part 2 failure wins over Part 2 missing input
    step = next_step(p, NOW)
    assert step.startswith("Part 2 (Microsoft Entra apps): Tenant ID:")
    assert "\n" not in step


def test_next_step_when_done() -> None:
    p = complete_profile()
    assert next_step(p, NOW) == "Every check passes: the CMG plan is ready."
    p.gateway.vm_instances = 1
    p.site.cmgcp_servers = ["cmgcp01.contoso.com", "cmgcp02.contoso.com"]
    assert next_step(p, NOW).startswith("Every check passes; review")


def test_severity_of_cert_lint_preserved() -> None:
    p = complete_profile()
    evidence(p, "cert.lint", results=[
        {"rule": "CERT-EXPIRY", "phase": "certificate", "status": "warn", "severity": "warning",
         "message": "Expires in 20 days.", "fix": "Renew."}])
    r = next(r for r in evaluate(p, NOW) if r.rule == "CERT-EXPIRY")
    assert r.severity is Severity.WARNING
    assert part_status(p, Phase.CERTIFICATE, NOW).state is PartState.DONE


def test_every_status_line_says_what_is_still_missing() -> None:
    """Issue 10.2: 'in progress' or 'problem' always names the first failure or missing input."""
    from cmgtui.domain.rules.checks import status_line
    from cmgtui.model import Profile

    p = Profile(name="fresh")
    for phase in PART_ORDER:
        line = status_line(p, phase, evaluate(p, NOW))
        assert line.startswith("Status: ") and ("Still missing: " in line or "Fix: " in line), (phase, line)
    done = complete_profile()
    results = evaluate(done, NOW)
    assert status_line(done, Phase.CLIENT_AUTH, results).endswith(("every check of this part passes.",
                                                                   "warning(s) to review."))
    p.gateway.vm_instances = 17
    assert "Fix: 17 is out of range" in status_line(p, Phase.GATEWAY, evaluate(p, NOW))


def test_a_live_check_error_is_not_done_and_says_it_could_not_check() -> None:
    from cmgtui.domain.rules.checks import part_status, status_line
    from cmgtui.domain.rules.rulebook import error_evidence_data
    from cmgtui.model import Evidence

    p = complete_profile()
    p.evidence["arm.providers"] = Evidence(source="arm.providers",
                                           data=error_evidence_data("the service answered 500", "Try again."))
    results = evaluate(p, NOW)
    providers = next(r for r in results if r.rule == "GW-PROVIDERS")
    assert providers.status.value == "error" and "could not run" in providers.message
    assert part_status(p, Phase.GATEWAY, results=results).state.value != "done"
    assert "Could not check" in status_line(p, Phase.GATEWAY, results) or "Fix: " in status_line(
        p, Phase.GATEWAY, results)
