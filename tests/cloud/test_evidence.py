"""Cloud evidence from the sandbox feeds the domain's rules: the verdicts the screens will show."""

from __future__ import annotations

from cmgtui.cloud.arm import ArmGateway
from cmgtui.cloud.evidence import (
    locations_evidence,
    names_evidence,
    organization_evidence,
    owner_evidence,
    providers_evidence,
    resource_group_evidence,
    roles_evidence,
)
from cmgtui.cloud.graph import GraphGateway
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION, READER_SUBSCRIPTION, USER_ID
from cmgtui.domain.rules.profile_rules import evaluate_profile
from cmgtui.domain.rules.results import Status
from cmgtui.model.enums import AzureEnvironment, EntraPath
from cmgtui.model.profile import Profile


def _profile(prefix: str) -> Profile:
    profile = Profile(name="lab", environment=AzureEnvironment.PUBLIC, region="westus")
    profile.certificate.service_name = f"{prefix}.contoso.com"
    profile.gateway.subscription_id = OWNER_SUBSCRIPTION
    profile.gateway.resource_group = "cmg-rg"
    profile.gateway.use_existing_resource_group = True
    profile.entra.path = EntraPath.CREATE_HERE
    return profile


def _status(profile: Profile) -> dict[str, Status]:
    return {r.rule: r.status for r in evaluate_profile(profile)}


async def _gather(arm: ArmGateway, graph: GraphGateway, profile: Profile, subscription: str) -> None:
    sub = subscription
    for ev in (
        locations_evidence(sub, await arm.list_locations(sub)),
        providers_evidence(sub, await arm.provider_states(sub)),
        resource_group_evidence(await arm.check_resource_group(sub, "cmg-rg", profile.region)),
        owner_evidence(await arm.is_owner(sub, USER_ID)),
        names_evidence(await arm.check_all_names(sub, "contosocmg", profile.region, max_suggestions=1)),
        organization_evidence(await graph.organization()),
        roles_evidence(await graph.signed_in_user()),
    ):
        profile.evidence[ev.source] = ev


async def test_seeded_tenant_fails_the_rules_it_should(arm: ArmGateway, graph: GraphGateway) -> None:
    profile = _profile("contosocmg")
    await _gather(arm, graph, profile, OWNER_SUBSCRIPTION)
    status = _status(profile)
    assert status["GW-REGION"] is Status.PASS
    assert status["GW-PROVIDERS"] is Status.FAIL  # Microsoft.KeyVault is not registered
    assert status["GW-RG-REGION"] is Status.FAIL  # cmg-rg is in eastus, the CMG in westus
    assert status["GW-OWNER"] is Status.PASS
    # Microsoft.KeyVault is not registered: its name check answers 409 MissingSubscriptionRegistration,
    # which means "register it first", never "the name is taken".
    keyvault = next(r for r in evaluate_profile(profile) if r.rule == "NAME-KEYVAULT-FREE")
    assert keyvault.status is Status.SKIP and "register Microsoft.KeyVault first (Fix offers it)" in keyvault.fix
    assert profile.evidence["arm.names"].data["not_registered"] == {"keyvault": "Microsoft.KeyVault"}
    assert status["NAME-DNS-FREE"] is Status.FAIL
    assert status["NAME-STORAGE-FREE"] is Status.FAIL
    assert status["ENTRA-GA"] is Status.PASS
    assert profile.evidence["arm.names"].data["suggestion"] is None  # no use suggesting until it can check


async def test_fixing_the_tenant_turns_the_rules_green(arm: ArmGateway, graph: GraphGateway,
                                                       sandbox: SandboxServer) -> None:
    await arm.register_provider(OWNER_SUBSCRIPTION, "Microsoft.KeyVault", poll_interval=0.01)
    await arm.create_resource_group(OWNER_SUBSCRIPTION, "cmg-west", "westus")
    profile = _profile("fabrikamcmg")
    profile.gateway.resource_group = "cmg-west"
    sub = OWNER_SUBSCRIPTION
    for ev in (
        providers_evidence(sub, await arm.provider_states(sub)),
        resource_group_evidence(await arm.check_resource_group(sub, "cmg-west", "westus")),
        names_evidence(await arm.check_all_names(sub, "fabrikamcmg", "westus")),
    ):
        profile.evidence[ev.source] = ev
    status = _status(profile)
    assert status["GW-PROVIDERS"] is Status.PASS and status["GW-RG-REGION"] is Status.PASS
    assert {status["NAME-KEYVAULT-FREE"], status["NAME-DNS-FREE"], status["NAME-STORAGE-FREE"]} == {Status.PASS}


async def test_reader_without_admin_roles_fails_owner_and_ga(arm: ArmGateway, graph: GraphGateway,
                                                             sandbox: SandboxServer) -> None:
    sandbox.state.set_user_roles(["Application Developer"])
    profile = _profile("contosocmg")
    profile.gateway.subscription_id = READER_SUBSCRIPTION
    await _gather(arm, graph, profile, READER_SUBSCRIPTION)
    status = _status(profile)
    assert status["GW-OWNER"] is Status.FAIL
    assert status["ENTRA-GA"] is Status.WARN
