"""Scenario files: every key parsed, every bad key or value refused with a message naming it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmgtui.sandbox.scenario import Scenario, ScenarioError, default_scenario, parse_scenario
from cmgtui.sandbox.state import TenantState

FULL = '''
[tenant]
name = "Contoso"
verified_domains = ["contoso.com"]
[user]
directory_roles = ["Global Administrator"]
eligible_roles = []
[[subscriptions]]
id = "11111111-2222-4333-8444-555555555555"
name = "Contoso Production"
state = "Enabled"
roles = ["Owner"]
providers = { "Microsoft.KeyVault" = "NotRegistered" }
resource_groups = [{ name = "cmg-rg", location = "eastus" }]
taken_names = ["granitefalls"]
[behaviour]
replication_reads = 2
page_size = 100
registration_reads = 3
device_code = "approve"
device_code_polls = 2
'''


def test_the_issue_example_parses_to_exactly_what_it_says() -> None:
    scenario = parse_scenario(FULL)
    assert scenario.tenant_name == "Contoso" and scenario.verified_domains == ["contoso.com"]
    assert scenario.directory_roles == ["Global Administrator"] and scenario.eligible_roles == []
    (sub,) = scenario.subscriptions
    assert (sub.id, sub.name, sub.state, sub.roles) == ("11111111-2222-4333-8444-555555555555",
                                                         "Contoso Production", "Enabled", ["Owner"])
    assert sub.providers == {"Microsoft.KeyVault": "NotRegistered"}
    assert sub.resource_groups == [{"name": "cmg-rg", "location": "eastus"}]
    assert sub.taken_names == ["granitefalls"]
    b = scenario.behaviour
    assert (b.replication_reads, b.page_size, b.registration_reads, b.device_code, b.device_code_polls) == (
        2, 100, 3, "approve", 2)
    state = TenantState(scenario=scenario)
    assert state.providers[sub.id]["Microsoft.KeyVault"].state == "NotRegistered"
    assert state.providers[sub.id]["Microsoft.Storage"].state == "Registered"
    assert "granitefalls" in state.taken_names


def test_the_default_scenario_is_realistic() -> None:
    scenario = default_scenario()
    assert scenario.behaviour.replication_reads == 2 and scenario.behaviour.page_size < 22
    assert scenario.subscriptions[0].roles == ["Owner", "Contributor"]
    assert parse_scenario("") == scenario  # an empty file is the built-in tenant
    assert Scenario.from_json(scenario.to_json()) == scenario


@pytest.mark.parametrize(("replace", "named"), [
    ('name = "Contoso"', '[tenant] name'),
    ('name = ""\nverified_domains', None),
    ('verified_domains = ["contoso.com"]', '[tenant] verified_domains'),
    ('directory_roles = ["Global Administrator"]', '[user] directory_roles'),
    ('eligible_roles = []', '[user] eligible_roles'),
    ('id = "11111111-2222-4333-8444-555555555555"', '#1 id'),
    ('name = "Contoso Production"', '#1 name'),
    ('state = "Enabled"', '#1 state'),
    ('roles = ["Owner"]', '#1 roles'),
    ('providers = { "Microsoft.KeyVault" = "NotRegistered" }', '#1 providers'),
    ('resource_groups = [{ name = "cmg-rg", location = "eastus" }]', '#1 resource_groups'),
    ('taken_names = ["granitefalls"]', '#1 taken_names'),
    ('replication_reads = 2', '[behaviour] replication_reads'),
    ('page_size = 100', '[behaviour] page_size'),
    ('registration_reads = 3', '[behaviour] registration_reads'),
    ('device_code = "approve"', '[behaviour] device_code'),
    ('device_code_polls = 2', '[behaviour] device_code_polls'),
])
def test_a_bad_value_for_each_key_names_the_key(replace: str, named: str | None) -> None:
    key = replace.split("=", 1)[0].strip()
    bad = {"name": '"  "', "verified_domains": '["not a domain"]', "directory_roles": '["Emperor"]',
           "eligible_roles": '"Global Administrator"', "id": '"sub-1"', "state": '"Off"',
           "roles": '["Janitor"]', "providers": '{ "Microsoft.KeyVault" = "Maybe" }',
           "resource_groups": '[{ name = "x" }]', "taken_names": '[1, 2]', "replication_reads": "-1",
           "page_size": "0", "registration_reads": '"three"', "device_code": '"ask"',
           "device_code_polls": "true"}[key]
    if named is None:
        return
    text = FULL.replace(replace, f"{key} = {bad}", 1)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "rehearsal.toml")
    assert named in str(info.value)


@pytest.mark.parametrize(("text", "named"), [
    ("[tenant]\nnmae = 'x'\n", "unknown key 'nmae'"),
    ("[users]\n", "unknown key 'users'"),
    ("[behaviour]\npage_siz = 3\n", "unknown key 'page_siz'"),
    ("[[subscriptions]]\nid = '11111111-2222-4333-8444-555555555555'\nname = 'x'\nowner = true\n",
     "unknown key 'owner'"),
    ("[tenant\n", "not valid TOML"),
    ("subscriptions = []\n", "[[subscriptions]]"),
    ("[[subscriptions]]\nid = '11111111-2222-4333-8444-555555555555'\nname = 'a'\n"
     "[[subscriptions]]\nid = '11111111-2222-4333-8444-555555555555'\nname = 'b'\n", "same id"),
])
def test_unknown_keys_and_broken_files_are_named(text: str, named: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "rehearsal.toml")
    assert named in str(info.value)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_scenario_or_a_clear_error(text: str) -> None:
    try:
        parse_scenario(text)
    except ScenarioError as exc:
        assert str(exc).strip()


DEPLOYMENT_KEYS = """
[[subscriptions]]
id = "11111111-2222-4333-8444-555555555555"
name = "Contoso Production"
quota = { "standardAv2Family" = { limit = 20, used = 4 }, "cores" = { limit = 40, used = 4 } }
unavailable_sizes = { "westus3" = ["Standard_A2_v2"] }
[[subscriptions.policies]]
name = "Allowed locations"
effect = "deny"
rule = { allowed_locations = ["eastus", "westeurope"] }
[[subscriptions.policies]]
name = "Tags"
rule = { required_tags = ["CostCenter"] }
[[subscriptions.policies]]
name = "No public IPs"
effect = "audit"
rule = { deny_types = ["Microsoft.Network/publicIPAddresses"] }
"""


def test_the_deployment_keys_parse_to_exactly_what_they_say() -> None:
    (sub,) = parse_scenario(DEPLOYMENT_KEYS).subscriptions
    assert sub.quota == {"standardAv2Family": {"limit": 20, "used": 4}, "cores": {"limit": 40, "used": 4}}
    assert sub.unavailable_sizes == {"westus3": ["Standard_A2_v2"]}
    assert sub.policies == [
        {"name": "Allowed locations", "effect": "deny", "rule": {"allowed_locations": ["eastus", "westeurope"]}},
        {"name": "Tags", "effect": "deny", "rule": {"required_tags": ["CostCenter"]}},
        {"name": "No public IPs", "effect": "audit",
         "rule": {"deny_types": ["Microsoft.Network/publicIPAddresses"]}}]
    assert Scenario.from_json(parse_scenario(DEPLOYMENT_KEYS).to_json()) == parse_scenario(DEPLOYMENT_KEYS)


@pytest.mark.parametrize(("old", "new", "named"), [
    ("limit = 20, used = 4", "limit = 20, usde = 4", "quota.standardAv2Family: unknown key 'usde'; use one of: limit, used"),
    ("limit = 20, used = 4", 'limit = "20", used = 4', "quota.standardAv2Family.limit: must be a whole number"),
    ('"cores" =', '"vcpus" =', "quota: 'vcpus' is not known; use one of: cores, standardBSFamily, standardAv2Family"),
    ('"westus3" = ["Standard_A2_v2"]', '"westus3" = ["Standard_D2s_v3"]', "unavailable_sizes.westus3: 'Standard_D2s_v3' is not known"),
    ('"westus3" =', '"moon" =', "unavailable_sizes: 'moon' is not an Azure region"),
    ('effect = "deny"', 'effect = "block"', "[[subscriptions.policies]] #1 effect must be one of deny, audit, disabled"),
    ('rule = { required_tags = ["CostCenter"] }', 'rule = { required_tag = ["CostCenter"] }',
     "[[subscriptions.policies]] #2 rule: unknown key 'required_tag'"),
    ('rule = { required_tags = ["CostCenter"] }', 'rule = { required_tags = ["CostCenter"], deny_types = [] }',
     "#2 rule: give exactly one of allowed_locations, required_tags, deny_types"),
    ('"Microsoft.Network/publicIPAddresses"', '"public IPs"', "rule.deny_types: 'public IPs' is not a resource type"),
    ('name = "Tags"', 'name = "  "', "[[subscriptions.policies]] #2 name"),
])
def test_a_bad_deployment_key_names_the_file_and_the_key(old: str, new: str, named: str) -> None:
    text = DEPLOYMENT_KEYS.replace(old, new, 1)
    assert text != DEPLOYMENT_KEYS
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "rehearsal.toml")
    assert str(info.value).startswith("rehearsal.toml: ")
    assert named in str(info.value)


def test_the_schema_describes_every_key_and_forbids_others() -> None:
    from cmgtui.sandbox.scenario import scenario_schema

    schema = scenario_schema()
    sub = schema["$defs"]["SubscriptionFile"]
    assert sub["additionalProperties"] is False
    assert {"quota", "unavailable_sizes", "policies", "taken_names"} <= set(sub["properties"])
    assert schema["$defs"]["PolicyRuleFile"]["additionalProperties"] is False
