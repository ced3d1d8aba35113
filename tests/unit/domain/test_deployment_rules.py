"""What fails a real CMG deployment: VM size by region, vCPU quota, policy denials, version notices.

Public sources (verbatim where quoted):

* SupportArticles-docs ``support/mem/configmgr/cloud-services/cmg-creation-unavailable-region.md``: the
  console's refusal and the three SKUs a CMG uses.
* SupportArticles-docs ``support/mem/configmgr/cloud-services/public-ip-creation-error.md``: the 2503 update
  rollup's public IP maintenance failure and that new CMG deployments are not affected.
* MicrosoftDocs/azure-docs ``articles/automation/enforce-job-execution-hybrid-worker.md``: the
  ``RequestDisallowedByPolicy`` error body (``additionalInfo`` of type ``PolicyViolation``).
* Azure/azure-rest-api-specs ``…/deployments/stable/2025-04-01/examples/PostDeploymentValidateOnResourceGroup.json``:
  the ``InvalidTemplateDeployment`` answer with nested ``details``.
"""

from __future__ import annotations

from cmgtui.domain.azure.vm_sizes import azure_size
from cmgtui.domain.azure.compute import (
    sku_name,
    nearby_regions,
    offered_sizes,
    vcpu_quota_checks,
)
from cmgtui.domain.azure.dry_run import cmg_resources, parse_tags, read_validation_error, tags_problem
from cmgtui.domain.rules.results import Status
from cmgtui.model.enums import DeploymentMethod, VmSize

from .factories import SUBSCRIPTION, complete_profile, evidence, result

#: The console's message (cmg-creation-unavailable-region.md, "Symptoms"), verbatim.
CONSOLE = ("The VM size Standard_A2_V2 is currently not available in the region West US 3 for this subscription. "
           "Please deploy the service in other regions or choose a different VM size.")
#: The SKUs the same article lists under "Cause", verbatim.
ARTICLE_SKUS = ["Standard_B2S", "Standard_A2_V2", "Standard_A4_V2"]
#: The policy error of enforce-job-execution-hybrid-worker.md, trimmed to the keys the product reads.
POLICY_ERROR = {
    "code": "RequestDisallowedByPolicy",
    "target": "Start_VMS",
    "message": "Resource 'Start_VMS' was disallowed by policy. Policy identifiers: '[{\"policyAssignment\":{\"name\":"
               "\"Enforce Jobs on Automation Hybrid Runbook Workers\",\"id\":\"/subscriptions/75475e1e-9643-4f3d-859e-"
               "055f4c31b458/resourceGroups/MAIC-RG/providers/Microsoft.Authorization/policyAssignments/"
               "fd5e2cb3842d4eefbc857917\"},\"policyDefinition\":{\"name\":\"Enforce Jobs on Automation Hybrid Runbook "
               "Workers\",\"id\":\"/subscriptions/75475e1e-9643-4f3d-859e-055f4c31b458/providers/"
               "Microsoft.Authorization/policyDefinitions/4fdffd35-fd9f-458e-9779-94fe33401bfc\"}}]'.",
    "additionalInfo": [{"type": "PolicyViolation", "info": {
        "policyDefinitionDisplayName": "Enforce Jobs on Automation Hybrid Runbook Workers",
        "policyDefinitionEffect": "Deny",
        "policyAssignmentName": "fd5e2cb3842d4eefbc857917",
        "policyAssignmentDisplayName": "Enforce Jobs on Automation Hybrid Runbook Workers"}}],
}
#: The 400 of PostDeploymentValidateOnResourceGroup.json, verbatim.
VALIDATE_400 = {
    "code": "InvalidTemplateDeployment",
    "message": "The template deployment 'my-deployment' is not valid according to the validation procedure. The "
               "tracking id is 'dccf336d-c3ee-4057-a902-9efc0e023cd0'. See inner errors for details.",
    "details": [{"code": "PreflightValidationCheckFailed",
                 "message": "Preflight validation failed. Please refer to the details for the specific errors.",
                 "details": [{"code": "AccountNameInvalid", "target": "a",
                              "message": "a is not a valid storage account name. Storage account name must be between "
                                         "3 and 24 characters in length and use numbers and lower-case letters only."}]}],
}


def test_sizes_skus_vcpus_and_families_are_the_documented_ones() -> None:
    sizes = [VmSize.LAB, VmSize.STANDARD, VmSize.LARGE]
    assert [sku_name(s, 2509).lower() for s in sizes] == [s.lower() for s in ARTICLE_SKUS]
    assert [azure_size(s, 2509).vcpus for s in sizes] == [2, 2, 4]
    assert [azure_size(s, 2509).quota_family for s in sizes] == ["standardBSFamily", "standardAv2Family",
                                                                 "standardAv2Family"]
    assert offered_sizes(2103) == [VmSize.STANDARD] and offered_sizes(2107) == sizes
    assert sku_name(VmSize.LARGE, 2103) == "Standard_A2_v2"  # before 2107 only A2_v2 is deployed


#: memdocs "What's new in version 2609 of Configuration Manager current branch" (2026-09-18),
#: "New cloud management gateway virtual machine sizes", verbatim rows.
SIZES_2609 = """| Small | Standard_B2s | 2 | 4 GiB | Standard_D2ads_v6 | 2 | 8 GiB |
| Medium | Standard_A2_v2 | 2 | 4 GiB | Standard_D4ads_v6 | 4 | 16 GiB |
| Large | Standard_A4_v2 | 4 | 16 GiB | Standard_D8ads_v6 | 8 | 32 GiB |"""


def test_from_2609_the_sizes_are_dadsv6_with_their_own_quota_family() -> None:
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in SIZES_2609.splitlines()]
    for size, row in zip([VmSize.LAB, VmSize.STANDARD, VmSize.LARGE], rows, strict=True):
        assert sku_name(size, 2609) == row[4] and azure_size(size, 2609).vcpus == int(row[5])
        assert sku_name(size, 2509) == row[1] and azure_size(size, 2509).vcpus == int(row[2])
        assert azure_size(size, 2609).quota_family == "standardDADSv6Family"
    usages = {"standardDADSv6Family": {"limit": 20, "used": 0}, "cores": {"limit": 40, "used": 0}}
    family, regional = vcpu_quota_checks(4, VmSize.STANDARD, usages, 2609)
    assert (family.name, family.needed, family.shortfall) == ("standardDADSv6Family", 16, 0)
    assert vcpu_quota_checks(4, VmSize.STANDARD, usages, None)[0].needed == 16  # unknown version: today's sizes


def test_quota_sum_is_instances_times_vcpus_against_family_and_regional_total() -> None:
    usages = {"standardAv2Family": {"limit": 20, "used": 4}, "cores": {"limit": 40, "used": 4}}
    family, regional = vcpu_quota_checks(16, VmSize.LARGE, usages, 2509)
    assert (family.name, family.needed, family.free, family.shortfall, family.new_limit) == (
        "standardAv2Family", 64, 16, 48, 68)
    assert (regional.name, regional.shortfall) == ("cores", 28)
    assert family.numbers() == {"limit": 20, "used": 4, "needed": 64}
    # before 2107 ConfigMgr deploys A2_v2 whatever the plan says
    (early, _) = vcpu_quota_checks(4, VmSize.LARGE, usages, site_version=2103)
    assert early.needed == 8 and early.shortfall == 0
    # scaling a running CMG needs only the difference
    (more, _) = vcpu_quota_checks(6, VmSize.STANDARD, usages, 2509, already_deployed=8)
    assert more.needed == 4


def test_nearby_regions_stay_in_the_geography() -> None:
    assert nearby_regions("westus3", ["westeurope", "westus2", "westus", "eastus"], 2) == ["westus2", "westus"]


def _skus(p, offered: list[str], restricted: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    evidence(p, "arm.skus", subscription_id=SUBSCRIPTION, region="westus",
             offered={"Standard_B2s": ["westus", "westus2"], "Standard_A2_v2": offered,
                      "Standard_A4_v2": ["westus", "westus2"]},
             restricted={"Standard_A2_v2": restricted})


def test_a_size_restricted_in_the_region_fails_with_reason_regions_and_other_sizes() -> None:
    p = complete_profile()
    _skus(p, ["westus2", "westeurope"], {"westus": "NotAvailableForSubscription"})
    r = result(p, "GW-VM-SIZE-REGION")
    assert r.status is Status.FAIL
    assert r.message.startswith("The VM size Standard_A2_v2 is currently not available in the region West US for "
                                "this subscription (NotAvailableForSubscription)")
    assert "westus2" in r.fix and "Lab B2s (Standard_B2s)" in r.fix and "Large A4_v2 (Standard_A4_v2)" in r.fix


def test_the_refusal_reads_as_the_console_says_it() -> None:
    p = complete_profile()
    p.region = "westus3"
    evidence(p, "arm.skus", subscription_id=SUBSCRIPTION, region="westus3",
             offered={"Standard_A2_v2": ["westus2"]}, restricted={"Standard_A2_v2": {"westus3": "NotAvailableForSubscription"}})
    r = result(p, "GW-VM-SIZE-REGION")
    console_sentence = CONSOLE.split(". ")[0]
    assert r.message.split(" (")[0].lower() == console_sentence.lower()


def test_the_region_list_marks_regions_that_do_not_offer_the_size() -> None:
    from cmgtui.widgets.region import region_choices

    p = complete_profile()
    evidence(p, "arm.skus", subscription_id=SUBSCRIPTION, region="westus", regions=["westus", "westus3", "westus2"],
             offered={"Standard_A2_v2": ["westus", "westus2"]},
             restricted={"Standard_A2_v2": {"westus3": "NotAvailableForSubscription"}})
    labels = dict((name, label) for label, name in region_choices(p))
    assert labels["westus3"] == "West US 3 (westus3) · A2_v2 not offered"
    assert labels["westus"] == "West US (westus)" and labels["eastus"] == "East US (eastus)"  # offered / not read
    p.gateway.vm_size = VmSize.LARGE  # the mark follows the chosen size
    assert "not offered" not in dict((n, lb) for lb, n in region_choices(p))["westus3"]


def test_a_size_offered_passes_and_stale_evidence_asks_again() -> None:
    p = complete_profile()
    assert result(p, "GW-VM-SIZE-REGION").status is Status.PASS
    p.region = "westus2"
    assert result(p, "GW-VM-SIZE-REGION").status is Status.SKIP  # read for another region


def test_quota_shortfall_for_the_family_and_for_the_regional_total() -> None:
    p = complete_profile()
    p.gateway.vm_instances = 16
    p.gateway.vm_size = VmSize.LARGE
    evidence(p, "arm.usages", subscription_id=SUBSCRIPTION, region="westus",
             usages={"standardAv2Family": {"limit": 20, "used": 4}, "cores": {"limit": 100, "used": 4}})
    family, regional = result(p, "GW-VCPU-FAMILY"), result(p, "GW-VCPU-REGIONAL")
    assert family.status is Status.FAIL and regional.status is Status.PASS
    assert "needs 64 vCPUs, but only 16 of 20 are free (4 used); 48 short" in family.message
    assert "Quotas" in family.fix and "standardAv2Family" in family.fix and "at least 68" in family.fix
    assert family.to_json()["numbers"] == {"limit": 20, "used": 4, "needed": 64}
    evidence(p, "arm.usages", subscription_id=SUBSCRIPTION, region="westus",
             usages={"standardAv2Family": {"limit": 100, "used": 4}, "cores": {"limit": 20, "used": 4}})
    family, regional = result(p, "GW-VCPU-FAMILY"), result(p, "GW-VCPU-REGIONAL")
    assert family.status is Status.PASS and regional.status is Status.FAIL
    assert "Total Regional vCPUs (cores)" in regional.message and "at least 68" in regional.fix


def test_policy_denials_are_read_from_the_error_body() -> None:
    verdict = read_validation_error({"code": "InvalidTemplateDeployment", "message": "…",
                                     "details": [POLICY_ERROR]})
    (denial,) = verdict.denials
    assert (denial.assignment, denial.effect, denial.resource) == (
        "Enforce Jobs on Automation Hybrid Runbook Workers", "deny", "Start_VMS")
    assert verdict.errors == []
    other = read_validation_error(VALIDATE_400)
    assert other.denials == [] and other.errors == [{
        "code": "AccountNameInvalid", "target": "a",
        "message": "a is not a valid storage account name. Storage account name must be between 3 and 24 characters "
                   "in length and use numbers and lower-case letters only."}]


def _dry_run(p, denials: list[dict[str, str]], errors: list[dict[str, str]] | None = None) -> None:  # type: ignore[no-untyped-def]
    types: dict[str, list[str]] = {"cmg-rg": ["Microsoft.Resources/resourceGroups"]}
    for res in cmg_resources("granitefalls", "westus", {}, VmSize.STANDARD, 2):
        types.setdefault(res["name"], []).append(res["type"])
    evidence(p, "arm.dry_run", subscription_id=SUBSCRIPTION, region="westus", resource_group="cmg-rg",
             prefix="granitefalls", tags={}, valid=not denials and not errors, denials=denials,
             errors=errors or [], resource_types=types)


def test_each_policy_kind_denied_names_assignment_effect_and_resource() -> None:
    p = complete_profile()
    every = [{"assignment": "Allowed locations", "effect": "deny", "resource": n}
             for n in ("granitefalls", "granitefalls-nsg", "granitefalls-vnet", "granitefalls-ip", "granitefalls-lb")]
    _dry_run(p, every)
    r = result(p, "GW-POLICY")
    assert r.status is Status.FAIL
    assert "'Allowed locations' (deny) denies every CMG resource" in r.message
    _dry_run(p, [{"assignment": "No public IPs", "effect": "deny", "resource": "granitefalls-ip"}])
    assert "'No public IPs' (deny) denies the public IP address granitefalls-ip" in result(p, "GW-POLICY").message
    _dry_run(p, [{"assignment": "Require CostCenter", "effect": "deny", "resource": "granitefalls"}])
    assert ("denies the storage account, key vault, VM scale set granitefalls"
            in result(p, "GW-POLICY").message)
    assert result(p, "GW-DRY-RUN").status is Status.PASS  # a denial is not another error


def test_dry_run_for_other_tags_is_stale() -> None:
    p = complete_profile()
    assert result(p, "GW-POLICY").status is Status.PASS
    p.gateway.tags = {"CostCenter": "1"}
    assert result(p, "GW-POLICY").status is Status.SKIP


def test_other_validation_errors_fail_the_dry_run() -> None:
    p = complete_profile()
    _dry_run(p, [], [{"code": "AccountNameInvalid", "message": "bad", "target": "a"}])
    r = result(p, "GW-DRY-RUN")
    assert r.status is Status.FAIL and "AccountNameInvalid: bad" in r.message


def test_tags_text() -> None:
    assert parse_tags("CostCenter=1234, Owner=IT") == {"CostCenter": "1234", "Owner": "IT"}
    assert tags_problem("CostCenter") and tags_problem("a/b=1") and tags_problem("A=1, B=2") is None


def test_public_ip_2503_warns_until_the_hotfix_release() -> None:
    p = complete_profile()
    p.site.site_version = 2503
    r = result(p, "GW-PUBLIC-IP-2503")
    assert r.status is Status.WARN and "KB35958849" in r.fix and "new CMGs are not affected" in r.fix
    p.site.site_version = 2509
    assert result(p, "GW-PUBLIC-IP-2503").status is Status.PASS
    p.site.site_version = 2409
    assert result(p, "GW-PUBLIC-IP-2503").status is Status.SKIP


def test_the_site_version_notes_name_the_hotfix() -> None:
    from cmgtui.domain.rules.versions import version_implications

    assert any("KB35958849" in n.text and not n.ok for n in version_implications(2503))
    assert not any("KB35958849" in n.text for n in version_implications(2509))


def test_classic_is_retired() -> None:
    p = complete_profile()
    assert result(p, "GW-CLASSIC-RETIRED").status is Status.SKIP
    p.deployment_method = DeploymentMethod.CLASSIC
    assert result(p, "GW-CLASSIC-RETIRED").status is Status.FAIL
