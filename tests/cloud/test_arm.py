"""Every ARM gateway method against the sandbox with the real azure-mgmt-resource clients."""

from __future__ import annotations

import pytest

from cmgtui.cloud.arm import ArmGateway, suggest_names
from cmgtui.cloud.errors import CloudError
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION, READER_SUBSCRIPTION, TENANT_ID, USER_ID

SUB = OWNER_SUBSCRIPTION


async def test_list_subscriptions_has_tenant_and_state(arm: ArmGateway) -> None:
    subs = {s.subscription_id: s for s in await arm.list_subscriptions()}
    assert set(subs) == {OWNER_SUBSCRIPTION, READER_SUBSCRIPTION}
    assert subs[OWNER_SUBSCRIPTION].tenant_id == TENANT_ID
    assert subs[OWNER_SUBSCRIPTION].state == "Enabled" and subs[OWNER_SUBSCRIPTION].enabled
    assert subs[READER_SUBSCRIPTION].state == "Disabled" and not subs[READER_SUBSCRIPTION].enabled


async def test_list_locations_returns_public_regions(arm: ArmGateway) -> None:
    locations = await arm.list_locations(SUB)
    names = [loc.name for loc in locations]
    assert {"eastus", "westus", "westeurope", "southeastasia", "westus2"} <= set(names)
    assert names == sorted(names)
    west = next(loc for loc in locations if loc.name == "westus")
    assert west.display_name == "West US" and west.geography == "US"


async def test_unknown_subscription_is_not_found(arm: ArmGateway) -> None:
    with pytest.raises(CloudError) as info:
        await arm.list_locations("00000000-0000-4000-8000-000000000000")
    assert info.value.kind == "not_found"


async def test_resource_groups_list_get_and_region_mismatch(arm: ArmGateway) -> None:
    groups = await arm.list_resource_groups(SUB)
    assert [(g.name, g.location) for g in groups] == [("cmg-rg", "eastus")]
    assert (await arm.get_resource_group(SUB, "CMG-RG")).location == "eastus"
    assert await arm.get_resource_group(SUB, "missing-rg") is None
    mismatch = await arm.check_resource_group(SUB, "cmg-rg", "westus")
    assert mismatch.exists and mismatch.region_mismatch and mismatch.location == "eastus"
    same = await arm.check_resource_group(SUB, "cmg-rg", "eastus")
    assert same.exists and not same.region_mismatch
    absent = await arm.check_resource_group(SUB, "new-rg", "westus")
    assert not absent.exists and not absent.region_mismatch


async def test_create_resource_group_is_idempotent_and_logged(arm: ArmGateway, sandbox: SandboxServer) -> None:
    lines: list[str] = []
    created = await arm.create_resource_group(SUB, "cmg-west", "westus", log=lines.append)
    again = await arm.create_resource_group(SUB, "cmg-west", "westus")
    assert created.name == again.name == "cmg-west" and created.location == "westus"
    assert list(sandbox.state.resource_groups[SUB]).count("cmg-west") == 1
    assert any("Creating resource group 'cmg-west'" in line for line in lines)


async def test_create_resource_group_in_other_region_conflicts(arm: ArmGateway) -> None:
    with pytest.raises(CloudError) as info:
        await arm.create_resource_group(SUB, "cmg-rg", "westus")
    assert info.value.kind == "conflict" and "eastus" in info.value.message


async def test_create_resource_group_as_reader_is_forbidden_and_names_the_role(arm: ArmGateway) -> None:
    with pytest.raises(CloudError) as info:
        await arm.create_resource_group(READER_SUBSCRIPTION, "cmg-new", "westus")
    assert info.value.kind == "forbidden" and "Owner" in info.value.what_to_do


async def test_provider_states_for_the_four_namespaces(arm: ArmGateway) -> None:
    states = {p.namespace: p.state for p in await arm.provider_states(SUB)}
    assert states == {"Microsoft.Compute": "Registered", "Microsoft.Network": "Registered",
                      "Microsoft.KeyVault": "NotRegistered", "Microsoft.Storage": "Registered"}


async def test_register_provider_polls_until_registered(arm: ArmGateway) -> None:
    seen: list[str] = []
    lines: list[str] = []
    final = await arm.register_provider(SUB, "Microsoft.KeyVault", poll_interval=0.01,
                                        progress=lambda p: seen.append(p.state), log=lines.append)
    assert final.registered
    assert seen[0] == "Registering" and seen[-1] == "Registered"
    assert (await arm.provider_state(SUB, "Microsoft.KeyVault")).state == "Registered"
    assert any("Registering resource provider Microsoft.KeyVault" in line for line in lines)


async def test_register_provider_bounded_poll_returns_last_state(arm: ArmGateway, sandbox: SandboxServer) -> None:
    sandbox.state.scenario.behaviour.registration_reads = 50
    final = await arm.register_provider(SUB, "Microsoft.KeyVault", poll_interval=0.01, max_polls=2)
    assert final.state == "Registering" and not final.registered


async def test_register_already_registered_provider_sends_no_register(arm: ArmGateway, sandbox: SandboxServer) -> None:
    final = await arm.register_provider(SUB, "Microsoft.Compute", poll_interval=0.01)
    assert final.registered
    assert not any(r.path.endswith("/register") for r in sandbox.requests)


async def test_owner_and_contributor_is_owner_and_names_both_roles(arm: ArmGateway) -> None:
    # The default scenario gives Owner AND Contributor: two permission entries, Contributor's
    # with notActions. A union of the entries would wrongly say "not Owner".
    owner = await arm.is_owner(SUB, USER_ID)
    assert owner.is_owner and owner.roles == ("Contributor", "Owner")
    assert owner.evidence == "roles found: Contributor, Owner (Owner rights)"
    without_principal = await arm.is_owner(SUB)
    assert without_principal.is_owner and without_principal.roles == ("Contributor", "Owner")


@pytest.mark.parametrize(("roles", "is_owner"), [
    (["Contributor"], False), (["Reader"], False), (["Owner"], True),
    (["Reader", "Contributor"], False), (["User Access Administrator", "Contributor"], True),
])
async def test_owner_is_decided_per_entry_for_any_mix(arm: ArmGateway, sandbox: SandboxServer,
                                                     roles: list[str], is_owner: bool) -> None:
    sandbox.state.set_subscription_roles(SUB, roles)
    check = await arm.is_owner(SUB, USER_ID)
    assert check.is_owner is is_owner
    assert set(check.roles) == set(roles) and all(r in check.evidence for r in roles)


def _register_all(sandbox: SandboxServer) -> None:
    for provider in sandbox.state.providers[SUB].values():
        provider.state = "Registered"


async def test_single_name_checks(arm: ArmGateway, sandbox: SandboxServer) -> None:
    _register_all(sandbox)
    assert not (await arm.check_storage_name(SUB, "contosocmg")).available
    storage = await arm.check_storage_name(SUB, "fabrikamcmg")
    assert storage.available and storage.kind == "storage"
    vault = await arm.check_keyvault_name(SUB, "ContosoCMG")
    assert not vault.available and vault.reason == "AlreadyExists"
    assert (await arm.check_keyvault_name(SUB, "fabrikamcmg")).available
    invalid = await arm.check_storage_name(SUB, "Bad-Name")
    assert not invalid.available and invalid.reason == "AccountNameInvalid"
    assert not (await arm.check_dns_label(SUB, "westus", "contosocmg")).available
    assert (await arm.check_dns_label(SUB, "eastus", "fabrikamcmg")).available


async def test_check_all_names_suggests_a_free_prefix(arm: ArmGateway, sandbox: SandboxServer) -> None:
    _register_all(sandbox)
    lines: list[str] = []
    report = await arm.check_all_names(SUB, "ContosoCMG", "westus", log=lines.append)
    assert report.prefix == "contosocmg" and not report.all_available
    assert {c.kind for c in report.checks} == {"dns_label", "key_vault", "storage"}
    assert report.suggestion is not None and report.suggestion.startswith("contosocmg")
    assert len(report.suggestion) == len("contosocmg") + 2
    confirm = await arm.check_all_names(SUB, report.suggestion, "westus")
    assert confirm.all_available and confirm.suggestion is None
    assert any("Suggested free prefix" in line for line in lines)


async def test_check_all_names_skips_taken_suggestions(arm: ArmGateway, sandbox: SandboxServer) -> None:
    _register_all(sandbox)
    first = suggest_names("fabrikam", 3)
    sandbox.state.taken_names.update({"fabrikam", first[0]})
    report = await arm.check_all_names(SUB, "fabrikam", "westus")
    assert report.suggestion == first[1]


async def test_check_all_names_rejects_a_bad_prefix(arm: ArmGateway) -> None:
    with pytest.raises(ValueError, match="3-24"):
        await arm.check_all_names(SUB, "9lives", "westus")


def test_suggestions_keep_the_prefix_rule() -> None:
    import re

    for candidate in suggest_names("a" * 24, 5) + suggest_names("abc", 5):
        assert re.fullmatch(r"[a-z][a-z0-9]{2,23}", candidate)


async def test_owner_of_one_resource_group_only_is_not_subscription_owner(arm: ArmGateway,
                                                                         sandbox: SandboxServer) -> None:
    from cmgtui.sandbox.state import _assignment

    assignment = _assignment(READER_SUBSCRIPTION, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
    assignment["properties"]["scope"] = f"/subscriptions/{READER_SUBSCRIPTION}/resourceGroups/legacy-rg"
    sandbox.state.extra_assignments[READER_SUBSCRIPTION] = [assignment]
    check = await arm.is_owner(READER_SUBSCRIPTION, USER_ID)
    assert not check.is_owner and check.roles == ("Reader",)
