"""The gateway's deployment checks with the real azure-core pipeline against the sandbox: SKUs,
usages, policy assignments and Resource Manager's validation (answers as in
``tests/cloud/test_preflight_endpoints.py``), and ``gather`` turning them into evidence."""

from __future__ import annotations

from cmgtui.cloud.arm import ArmGateway
from cmgtui.cloud.credentials import CloudSession
from cmgtui.cloud.preflight import gather
from cmgtui.domain.azure.dry_run import cmg_resources, read_validation_error, resource_group_template
from cmgtui.domain.rules.profile_rules import evaluate_profile
from cmgtui.domain.rules.results import Status
from cmgtui.model import AzureEnvironment, Profile, VmSize
from cmgtui.sandbox.scenario import parse_scenario
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION as SUB

SCENARIO = f'''
[[subscriptions]]
id = "{SUB}"
name = "Contoso Production"
resource_groups = [{{ name = "cmg-rg", location = "westus3" }}]
quota = {{ "standardAv2Family" = {{ limit = 20, used = 4 }}, "cores" = {{ limit = 40, used = 4 }} }}
unavailable_sizes = {{ "westus3" = ["Standard_A2_v2"] }}
[[subscriptions.policies]]
name = "Require CostCenter"
rule = {{ required_tags = ["CostCenter"] }}
'''


async def test_skus_usages_and_policies_read_through_the_pipeline(arm: ArmGateway, sandbox: SandboxServer) -> None:
    sandbox.state.restore(parse_scenario(SCENARIO))
    offers = {o.name: o for o in await arm.resource_skus(SUB, ("Standard_A2_v2", "Standard_A4_v2"),
                                                          ["westus3", "westus2"])}
    assert offers["Standard_A2_v2"].restricted == {"westus3": "NotAvailableForSubscription"}
    assert "westus3" not in offers["Standard_A2_v2"].offered and "westus2" in offers["Standard_A2_v2"].offered
    assert "westus3" in offers["Standard_A4_v2"].offered
    usages = {u.name: u for u in await arm.compute_usages(SUB, "westus3")}
    assert (usages["standardAv2Family"].limit, usages["standardAv2Family"].used) == (20, 4)
    assert usages["cores"].label == "Total Regional vCPUs"
    (assignment,) = await arm.policy_assignments(SUB)
    assert assignment.display_name == "Require CostCenter" and assignment.required_tags == ["CostCenter"]
    assert assignment.enforced


async def test_validation_is_a_dry_run(arm: ArmGateway, sandbox: SandboxServer) -> None:
    sandbox.state.restore(parse_scenario(SCENARIO))
    before = sandbox.state.to_json()
    untagged = resource_group_template(cmg_resources("grcmg", "westus3", {}, VmSize.STANDARD, 2))
    verdict = read_validation_error(await arm.validate_deployment(SUB, "dry", untagged, resource_group="cmg-rg"))
    assert {d.assignment for d in verdict.denials} == {"Require CostCenter"}
    assert {d.resource for d in verdict.denials} == {"grcmg", "grcmg-nsg", "grcmg-vnet", "grcmg-ip", "grcmg-lb"}
    tagged = resource_group_template(cmg_resources("grcmg", "westus3", {"CostCenter": "1"}, VmSize.STANDARD, 2))
    assert await arm.validate_deployment(SUB, "dry", tagged, resource_group="cmg-rg") == {}
    assert sandbox.state.to_json() == before


async def test_gather_records_the_deployment_evidence_and_the_rules_judge_it(session: CloudSession,
                                                                              sandbox: SandboxServer) -> None:
    sandbox.state.restore(parse_scenario(SCENARIO))
    profile = Profile(name="p", environment=AzureEnvironment.PUBLIC, region="westus3")
    profile.site.site_version = 2509  # the scenario restricts Standard_A2_v2, the size before 2609
    profile.certificate.service_name = "grcmg.contoso.com"
    profile.gateway.subscription_id = SUB
    profile.gateway.resource_group = "cmg-rg"
    profile.gateway.vm_instances = 9
    result = await gather(session, profile, only=("skus", "usages", "policies", "dry_run"))
    assert result.errors == []
    for found in result.evidence:
        profile.evidence[found.source] = found
    assert profile.evidence["arm.policies"].data["required_tags"] == ["CostCenter"]
    read = profile.evidence["arm.skus"].data["regions"]
    assert read[0] == "westus3" and "westus2" in read and len(read) == 7  # the region and six nearby ones
    requests = [r.path for r in sandbox.requests if r.path.endswith("/Microsoft.Compute/skus")]
    assert len(requests) >= 7  # one filtered read per region, never the whole catalogue
    verdicts = {r.rule: r for r in evaluate_profile(profile)}
    assert verdicts["GW-VM-SIZE-REGION"].status is Status.FAIL
    assert verdicts["GW-VCPU-FAMILY"].status is Status.FAIL  # 9 × 2 = 18 > 16 free
    assert verdicts["GW-VCPU-REGIONAL"].status is Status.PASS
    assert verdicts["GW-POLICY"].status is Status.FAIL and verdicts["GW-DRY-RUN"].status is Status.PASS


async def test_a_check_that_cannot_run_is_an_error_not_a_pass(session: CloudSession, sandbox: SandboxServer) -> None:
    from cmgtui.cloud.evidence import gathered_evidence

    sandbox.state.providers[SUB]["Microsoft.Compute"].state = "NotRegistered"
    profile = Profile(name="p", environment=AzureEnvironment.PUBLIC, region="westus")
    profile.gateway.subscription_id = SUB
    result = await gather(session, profile, only=("skus", "usages"))
    assert {key for key, _ in result.errors} == {"skus", "usages"}
    for found in gathered_evidence(result.evidence, result.errors):
        profile.evidence[found.source] = found
    verdicts = {r.rule: r for r in evaluate_profile(profile)}
    assert verdicts["GW-VM-SIZE-REGION"].status is Status.ERROR
    assert verdicts["GW-VCPU-REGIONAL"].status is Status.ERROR
