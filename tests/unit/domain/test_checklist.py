"""Checklist item status: computed from values, confirmations, drafts and evidence."""

from __future__ import annotations

import pytest

from cmgtui.domain.azure.sizing import vm_instances_problem
from cmgtui.domain.rules.checklist import (
    CHECKLIST_ENTRIES,
    ItemState,
    entry,
    held_registrar_role,
    item_reason,
    item_result,
    item_state,
)
from cmgtui.domain.rules.checks import evaluate
from cmgtui.domain.rules.profile_rules import rule_ids
from cmgtui.domain.rules.results import Phase, Status
from cmgtui.model import AzureEnvironment, Checklist, EntraRole, Profile

from .factories import complete_profile, evidence


def _state(p: Profile, item: str) -> ItemState:
    return item_state(p, item)


def _reason(p: Profile, item: str) -> str:
    return item_reason(item_result(p, item))


def test_eight_items_in_seed_order_with_explanations() -> None:
    assert [e.id for e in CHECKLIST_ENTRIES] == [
        "environment", "region", "vm_instances", "entra_role",
        "subscription_owner", "cmgcp_server", "internet_access", "optional_feature",
    ]
    for e in CHECKLIST_ENTRIES:
        assert e.title and len(e.explanation) > 80
        assert "Azure AD" not in e.explanation


def test_ids_match_profile_checklist_fields() -> None:
    assert {e.id for e in CHECKLIST_ENTRIES} == set(Checklist.model_fields)


def test_empty_profile_everything_todo_with_reason() -> None:
    p = Profile(name="x")
    for item in CHECKLIST_ENTRIES:
        assert _state(p, item.id) is ItemState.TODO, item.id
        assert _reason(p, item.id) and "\n" not in _reason(p, item.id)


def test_complete_profile_all_done() -> None:
    p = complete_profile()
    assert all(_state(p, e.id) is ItemState.DONE for e in CHECKLIST_ENTRIES)


def test_unknown_item_id() -> None:
    with pytest.raises(KeyError, match="unknown checklist item"):
        item_result(Profile(name="x"), "nope")
    with pytest.raises(KeyError):
        entry("nope")


def test_environment_done_once_set_without_confirmation() -> None:
    p = Profile(name="x", environment=AzureEnvironment.US_GOVERNMENT)
    assert _state(p, "environment") is ItemState.DONE and "US Government" in _reason(p, "environment")


def test_draft_makes_item_a_problem() -> None:
    p = complete_profile()
    p.drafts["gateway.vm_instances"] = "lots"
    assert _state(p, "vm_instances") is ItemState.PROBLEM and "'lots'" in _reason(p, "vm_instances")


def test_region_checks() -> None:
    p = Profile(name="x", environment=AzureEnvironment.PUBLIC, region="westus2")
    assert _state(p, "region") is ItemState.DONE
    p.region = "usgovvirginia"
    assert _state(p, "region") is ItemState.PROBLEM
    assert "other Azure cloud" in _reason(p, "region")
    p.region = "West US"
    assert _state(p, "region") is ItemState.PROBLEM
    p.region = "brandnewregion"
    assert _state(p, "region") is ItemState.TODO
    assert "sign in" in _reason(p, "region")
    evidence(p, "arm.locations", locations=["westus", "eastus"])
    assert _state(p, "region") is ItemState.PROBLEM
    p.region = "eastus"
    assert _state(p, "region") is ItemState.DONE


def test_vm_instances_default_needs_input_or_confirmation() -> None:
    p = Profile(name="x")
    assert _state(p, "vm_instances") is ItemState.TODO
    p.checklist.vm_instances.confirmed = True
    assert _state(p, "vm_instances") is ItemState.DONE
    p.gateway.vm_instances = 17
    assert _state(p, "vm_instances") is ItemState.PROBLEM
    p.gateway.vm_instances = None
    assert _state(p, "vm_instances") is ItemState.TODO
    p2 = Profile(name="y")
    p2.gateway.peak_concurrent_clients = 100
    assert _state(p2, "vm_instances") is ItemState.DONE


def test_entra_role_manual_and_evidence() -> None:
    p = Profile(name="x")
    p.checklist.entra_role.confirmed = True
    assert _state(p, "entra_role") is ItemState.TODO
    p.entra.app_registrar_role = EntraRole.APPLICATION_DEVELOPER
    assert _state(p, "entra_role") is ItemState.DONE
    q = Profile(name="y")
    evidence(q, "graph.roles", roles=["Cloud Application Administrator"])
    # not done while the role field still reads "Choose…" (the App fills it from what sign-in read)
    assert _state(q, "entra_role") is ItemState.TODO
    assert held_registrar_role(q.evidence["graph.roles"].data) is EntraRole.CLOUD_APPLICATION_ADMINISTRATOR
    q.entra.app_registrar_role = EntraRole.CLOUD_APPLICATION_ADMINISTRATOR
    assert _state(q, "entra_role") is ItemState.DONE
    evidence(q, "graph.roles", roles=["User Administrator"])
    assert _state(q, "entra_role") is ItemState.PROBLEM


def test_subscription_owner_evidence() -> None:
    p = Profile(name="x")
    evidence(p, "arm.owner", is_owner=False)
    assert _state(p, "subscription_owner") is ItemState.PROBLEM
    p.checklist.subscription_owner.confirmed = True
    assert _state(p, "subscription_owner") is ItemState.DONE
    q = Profile(name="y")
    evidence(q, "arm.owner", is_owner=True)
    assert _state(q, "subscription_owner") is ItemState.DONE


def test_cmgcp_server_fqdns() -> None:
    p = Profile(name="x")
    p.site.cmgcp_servers = ["cmgcp01.contoso.com", "server02"]
    assert _state(p, "cmgcp_server") is ItemState.PROBLEM and "single label" in _reason(p, "cmgcp_server")
    p.site.cmgcp_servers = ["cmgcp01.contoso.com"]
    assert _state(p, "cmgcp_server") is ItemState.DONE


def test_internet_confirmation_decides_and_the_failed_probe_stays_a_warning() -> None:
    """Issue 10.2: the probe runs on this machine; the administrator's word on the site systems decides."""
    p = Profile(name="x")
    evidence(p, "probe.internet", failures=["aka.ms:443 timed out", "x:443 refused"], from_host="jumphost01")
    result = item_result(p, "internet_access")
    assert result.status is Status.FAIL and _state(p, "internet_access") is ItemState.PROBLEM
    assert "jumphost01" in result.message
    assert "aka.ms:443 timed out" in result.message and "+1 more" in result.message
    p.checklist.internet_access.confirmed = True
    result = item_result(p, "internet_access")
    assert result.status is Status.WARN and _state(p, "internet_access") is ItemState.DONE
    assert "Confirmed by you" in result.message and "jumphost01" in result.message
    assert "aka.ms:443 timed out" in result.message
    evidence(p, "probe.internet", failures=[], from_host="jumphost01")
    p.checklist.internet_access.confirmed = False
    assert _state(p, "internet_access") is ItemState.DONE


def test_checklist_items_are_rules_in_check_and_the_report() -> None:
    """Issue 12.1: every item is a rule with a stable ID in the checklist phase of the engine."""
    ids = [e.rule_id for e in CHECKLIST_ENTRIES]
    assert ids == ["CHECKLIST-ENVIRONMENT", "CHECKLIST-REGION", "CHECKLIST-VM-INSTANCES", "CHECKLIST-ENTRA-ROLE",
                   "CHECKLIST-SUBSCRIPTION-OWNER", "CHECKLIST-CMGCP-SERVER", "CHECKLIST-INTERNET-ACCESS",
                   "CHECKLIST-OPTIONAL-FEATURE"]
    results = evaluate(Profile(name="x"))
    mine = [r for r in results if r.phase is Phase.CHECKLIST]
    assert [r.rule for r in mine] == ids
    assert rule_ids()[:8] == ids


def test_vm_count_has_one_wording_in_the_field_the_rule_and_the_checklist() -> None:
    p = Profile(name="x")
    p.gateway.vm_instances = 17
    field = vm_instances_problem("17")
    assert field == "17 is out of range; enter a number from 1 to 16."
    assert item_result(p, "vm_instances").message == field
    assert next(r for r in evaluate(p) if r.rule == "GW-VM-INSTANCES").message == field


def test_optional_feature() -> None:
    p = Profile(name="x")
    p.checklist.optional_feature.confirmed = True
    assert _state(p, "optional_feature") is ItemState.TODO
    p.optional_feature_enabled = True
    assert _state(p, "optional_feature") is ItemState.DONE


def test_peak_clients_has_one_wording_in_the_field_the_rule_and_the_checklist() -> None:
    from cmgtui.domain.azure.sizing import peak_clients_problem

    p = Profile(name="x")
    p.drafts["gateway.peak_concurrent_clients"] = "lots"
    field = peak_clients_problem("lots")
    assert field == "'lots' isn't a whole number; enter one from 1 to 10,000,000."
    assert item_result(p, "vm_instances").message == field
    assert next(r for r in evaluate(p) if r.rule == "GW-CAPACITY").message == field
