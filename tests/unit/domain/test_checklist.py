"""Checklist item status: computed from values, confirmations, drafts and evidence."""

from __future__ import annotations

import pytest

from cmgtui.domain.checklist import CHECKLIST_ENTRIES, ItemState, checklist_status, entry, item_status
from cmgtui.model import AzureEnvironment, Checklist, EntraRole, Profile

from .factories import complete_profile, evidence


def _state(p: Profile, item: str) -> ItemState:
    return item_status(p, item).state


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
    for item, status in checklist_status(p):
        assert status.state is ItemState.TODO, item.id
        assert status.reason and "\n" not in status.reason


def test_complete_profile_all_done() -> None:
    p = complete_profile()
    assert all(s.state is ItemState.DONE for _, s in checklist_status(p))


def test_unknown_item_id() -> None:
    with pytest.raises(KeyError, match="unknown checklist item"):
        item_status(Profile(name="x"), "nope")
    with pytest.raises(KeyError):
        entry("nope")


def test_environment_done_once_set_without_confirmation() -> None:
    p = Profile(name="x", environment=AzureEnvironment.US_GOVERNMENT)
    status = item_status(p, "environment")
    assert status.state is ItemState.DONE and "US Government" in status.reason


def test_draft_makes_item_a_problem() -> None:
    p = complete_profile()
    p.drafts["gateway.vm_instances"] = "lots"
    status = item_status(p, "vm_instances")
    assert status.state is ItemState.PROBLEM and "'lots'" in status.reason


def test_region_checks() -> None:
    p = Profile(name="x", environment=AzureEnvironment.PUBLIC, region="westus2")
    assert _state(p, "region") is ItemState.DONE
    p.region = "usgovvirginia"
    assert _state(p, "region") is ItemState.PROBLEM
    assert "other Azure cloud" in item_status(p, "region").reason
    p.region = "West US"
    assert _state(p, "region") is ItemState.PROBLEM
    p.region = "brandnewregion"
    assert _state(p, "region") is ItemState.DONE
    assert "sign in" in item_status(p, "region").reason
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
    status = item_status(p, "cmgcp_server")
    assert status.state is ItemState.PROBLEM and "single label" in status.reason
    p.site.cmgcp_servers = ["cmgcp01.contoso.com"]
    assert _state(p, "cmgcp_server") is ItemState.DONE


def test_internet_probe_failures_override_confirmation() -> None:
    p = Profile(name="x")
    p.checklist.internet_access.confirmed = True
    assert _state(p, "internet_access") is ItemState.DONE
    evidence(p, "probe.internet", failures=["aka.ms:443 timed out", "x:443 refused"])
    status = item_status(p, "internet_access")
    assert status.state is ItemState.PROBLEM
    assert "aka.ms:443 timed out" in status.reason and "+1 more" in status.reason
    evidence(p, "probe.internet", failures=[])
    assert _state(p, "internet_access") is ItemState.DONE


def test_optional_feature() -> None:
    p = Profile(name="x")
    p.checklist.optional_feature.confirmed = True
    assert _state(p, "optional_feature") is ItemState.TODO
    p.optional_feature_enabled = True
    assert _state(p, "optional_feature") is ItemState.DONE
