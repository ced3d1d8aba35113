"""The check use case: live evidence recorded the one way (``services.evidence``), then every rule judged once."""

from __future__ import annotations

from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.evidence import gathered_evidence
from cmgtui.domain.rules.checks import evaluate
from cmgtui.model import EntraRole, Evidence
from cmgtui.services.check import check
from cmgtui.services.evidence import record_evidence
from tests.unit.domain.factories import NOW, complete_profile


def test_a_complete_plan_checks_clean_with_exit_0() -> None:
    profile = complete_profile()
    report = check(profile, NOW)
    assert report.profile_name == "complete"
    assert [r.rule for r in report.results] == [r.rule for r in evaluate(profile, NOW)]
    assert report.exit_code == 0
    body = report.to_json()
    assert body["profile"] == "complete"
    assert sum(body["summary"].values()) == len(body["results"]) == len(report.results)


def test_a_live_check_that_could_not_run_is_recorded_as_an_error_and_exits_2() -> None:
    profile = complete_profile()
    profile.evidence["arm.providers"] = Evidence(source="arm.providers", observed_at=NOW,
                                                 data={"Microsoft.Compute": "Registered"})
    refused = CloudError("forbidden", "The account may not read the providers.", "Ask for Reader on the subscription.")
    record_evidence(profile, gathered_evidence([], [("providers", refused)]))
    assert "could not run" in profile.evidence["arm.providers"].summary  # the older success is gone
    report = check(profile, NOW)
    assert report.exit_code == 2
    assert any(r.status.value == "error" for r in report.results)


def test_the_roles_a_sign_in_read_fill_an_empty_role_field_only() -> None:
    profile = complete_profile()
    profile.entra.app_registrar_role = None
    roles = Evidence(source="graph.roles", observed_at=NOW, data={"roles": ["Application Administrator"]})
    record_evidence(profile, [roles])
    assert profile.evidence["graph.roles"] is roles
    assert profile.entra.app_registrar_role is EntraRole.APPLICATION_ADMINISTRATOR

    profile.entra.app_registrar_role = EntraRole.GLOBAL_ADMINISTRATOR  # the admin's own choice stays
    record_evidence(profile, [roles])
    assert profile.entra.app_registrar_role is EntraRole.GLOBAL_ADMINISTRATOR


def test_a_live_check_no_rule_reads_still_makes_the_run_exit_2() -> None:
    """The policy assignments list feeds no rule; when it could not be read, ``cmgtui check`` must
    still exit 2 (README: "2 … or a live check errored"), not 0 for a clean plan."""
    profile = complete_profile()
    refused = CloudError("unexpected", "Could not list the Azure Policy assignments.", "Try again.")
    record_evidence(profile, gathered_evidence([], [("policies", refused)]))
    assert check(profile, NOW).exit_code == 0  # nothing told it a live check failed
    report = check(profile, NOW, could_not_run=["policies"])
    assert report.could_not_run == ("policies",)
    assert report.exit_code == 2
    assert report.summary.exit_code == 0  # the rules themselves are clean
