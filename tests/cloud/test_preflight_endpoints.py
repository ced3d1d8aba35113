"""The sandbox's pre-flight endpoints answer with the status, code and body shape of their public references.

References (each read in Azure/azure-rest-api-specs unless said otherwise):

* Compute resource SKUs: ``specification/compute/resource-manager/Microsoft.Compute/Skus/stable/2021-07-01/
  examples/skus/ListAvailableResourceSkusForARegion.json`` and, for ``restrictions``, ``skus.json`` there.
* Compute usages: ``specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2023-07-01/
  examples/computeRPCommonExamples/Usage_List_MaximumSet_Gen.json``; the labels ("Total Regional vCPUs")
  as ``az vm list-usage`` prints them in the Azure docs' VM quota article.
* Policy assignments: ``specification/resources/resource-manager/Microsoft.Authorization/policy/stable/
  2023-04-01/examples/listPolicyAssignmentsForResourceGroup.json``.
* Deployment validation: ``specification/resources/resource-manager/Microsoft.Resources/deployments/stable/
  2025-04-01/examples/PostDeploymentValidateOnResourceGroup.json`` (its 200, its 400, and its 202 with a
  ``Location`` to poll); policy denials as ``details`` of
  ``InvalidTemplateDeployment`` as in the body recorded in Azure/ARO-RP ``pkg/hive/failure/reasons_test.go``;
  the ``RequestDisallowedByPolicy`` detail as MicrosoftDocs/azure-docs
  ``articles/automation/enforce-job-execution-hybrid-worker.md`` shows it.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from typing import Any

from cmgtui.sandbox.scenario import parse_scenario
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION as SUB

SCENARIO = f'''
[[subscriptions]]
id = "{SUB}"
name = "Contoso Production"
roles = ["Owner"]
resource_groups = [{{ name = "cmg-rg", location = "westus3" }}]
quota = {{ "standardAv2Family" = {{ limit = 20, used = 4 }}, "cores" = {{ limit = 40, used = 4 }} }}
unavailable_sizes = {{ "westus3" = ["Standard_A2_v2"] }}
[[subscriptions.policies]]
name = "Allowed locations"
effect = "deny"
rule = {{ allowed_locations = ["eastus", "westeurope"] }}
[[subscriptions.policies]]
name = "Require CostCenter"
rule = {{ required_tags = ["CostCenter"] }}
[[subscriptions.policies]]
name = "No public IPs"
rule = {{ deny_types = ["Microsoft.Network/publicIPAddresses"] }}
'''


def _call(sandbox: SandboxServer, method: str, path: str, body: Any = None) -> tuple[int, dict[str, Any]]:
    status, answer, _ = _request(sandbox, method, path, body)
    return status, answer


def _request(sandbox: SandboxServer, method: str, path: str,
             body: Any = None) -> tuple[int, dict[str, Any], dict[str, str]]:
    assert sandbox.ca_path is not None
    context = ssl.create_default_context(cafile=str(sandbox.ca_path))
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(sandbox.url + path, data=data, method=method, headers={
        "Authorization": f"Bearer {sandbox.state.issue_token()}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, context=context) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else {}, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc), dict(exc.headers)


def _validate(sandbox: SandboxServer, path: str, body: Any) -> tuple[int, dict[str, Any]]:
    """POST the validation; as the example's 202, poll the Location it gives for the verdict."""
    status, answer, headers = _request(sandbox, "POST", path, body)
    if status != 202:
        return status, answer
    assert answer == {} and headers["Retry-After"]
    location = headers["Location"]
    assert "/operationResults/" in location and location.endswith("?api-version=2025-04-01")
    return _call(sandbox, "GET", location.removeprefix(sandbox.url))


def _all(sandbox: SandboxServer, path: str) -> list[dict[str, Any]]:
    status, body = _call(sandbox, "GET", path)
    assert status == 200, body
    items = list(body["value"])
    while body.get("nextLink"):
        status, body = _call(sandbox, "GET", body["nextLink"].removeprefix(sandbox.url))
        items += body["value"]
    return items


def _rehearse(sandbox: SandboxServer) -> None:
    sandbox.state.restore(parse_scenario(SCENARIO))


def test_skus_have_the_example_shape_and_the_scenario_restriction(sandbox: SandboxServer) -> None:
    _rehearse(sandbox)
    items = _all(sandbox, f"/subscriptions/{SUB}/providers/Microsoft.Compute/skus?api-version=2021-07-01"
                          "&$filter=location%20eq%20%27westus3%27")
    assert {i["name"] for i in items} == {"Standard_B2s", "Standard_A2_v2", "Standard_A4_v2",
                                          "Standard_D2ads_v6", "Standard_D4ads_v6", "Standard_D8ads_v6"}
    a2 = next(i for i in items if i["name"] == "Standard_A2_v2")
    assert {"resourceType", "locations", "capabilities", "locationInfo", "name", "tier", "size", "family"} <= set(a2)
    assert a2["resourceType"] == "virtualMachines" and a2["family"] == "standardAv2Family"
    assert {"name": "vCPUs", "value": "2"} in a2["capabilities"]
    assert a2["restrictions"] == [{"type": "Location", "values": ["westus3"],
                                   "restrictionInfo": {"locations": ["westus3"]},
                                   "reasonCode": "NotAvailableForSubscription"}]
    a4 = next(i for i in items if i["name"] == "Standard_A4_v2")
    assert a4["restrictions"] == [] and {"name": "vCPUs", "value": "4"} in a4["capabilities"]
    every = _all(sandbox, f"/subscriptions/{SUB}/providers/Microsoft.Compute/skus?api-version=2021-07-01")
    assert len(every) == 6 * 22  # the sizes before and from 2609 in each of the sandbox's public regions, paged


def test_skus_refuse_an_unknown_api_version_and_an_unregistered_provider(sandbox: SandboxServer) -> None:
    status, body = _call(sandbox, "GET", f"/subscriptions/{SUB}/providers/Microsoft.Compute/skus?api-version=2099-01-01")
    assert status == 400 and body["error"]["code"] == "InvalidApiVersionParameter"
    sandbox.state.providers[SUB]["Microsoft.Compute"].state = "NotRegistered"
    status, body = _call(sandbox, "GET", f"/subscriptions/{SUB}/providers/Microsoft.Compute/skus?api-version=2021-07-01")
    assert status == 409 and body["error"]["code"] == "MissingSubscriptionRegistration"


def test_usages_have_the_example_shape_and_the_scenario_quota(sandbox: SandboxServer) -> None:
    _rehearse(sandbox)
    items = _all(sandbox, f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/westus3/usages"
                          "?api-version=2024-07-01")
    by_name = {i["name"]["value"]: i for i in items}
    assert by_name["cores"] == {"unit": "Count", "currentValue": 4, "limit": 40,
                                "name": {"value": "cores", "localizedValue": "Total Regional vCPUs"}}
    assert by_name["standardAv2Family"]["limit"] == 20 and by_name["standardAv2Family"]["currentValue"] == 4
    assert by_name["standardBSFamily"]["limit"] == 100  # left out of the scenario: the default
    status, body = _call(sandbox, "GET", f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/mars/usages"
                                         "?api-version=2024-07-01")
    assert status == 400 and body["error"]["code"] == "LocationNotAvailableForResourceType"


def test_policy_assignments_have_the_example_shape(sandbox: SandboxServer) -> None:
    _rehearse(sandbox)
    items = _all(sandbox, f"/subscriptions/{SUB}/providers/Microsoft.Authorization/policyAssignments"
                          "?api-version=2023-04-01")
    assert [i["properties"]["displayName"] for i in items] == ["Allowed locations", "Require CostCenter",
                                                               "No public IPs"]
    first = items[0]
    assert first["type"] == "Microsoft.Authorization/policyAssignments"
    assert first["id"] == f"/subscriptions/{SUB}/providers/Microsoft.Authorization/policyAssignments/{first['name']}"
    assert {"displayName", "policyDefinitionId", "parameters", "scope", "notScopes"} <= set(first["properties"])
    assert first["properties"]["parameters"] == {"listOfAllowedLocations": {"value": ["eastus", "westeurope"]}}
    assert items[1]["properties"]["parameters"] == {"tagName": {"value": "CostCenter"}}


def _template(location: str, tags: dict[str, str], rtype: str = "Microsoft.KeyVault/vaults",
              name: str = "grcmg") -> dict[str, Any]:
    return {"properties": {"mode": "Incremental", "parameters": {}, "template": {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [{"type": rtype, "apiVersion": "2022-07-01", "name": name, "location": location,
                       "tags": tags}]}}}


_VALIDATE = (f"/subscriptions/{SUB}/resourcegroups/cmg-rg/providers/Microsoft.Resources/deployments/"
             "dry/validate?api-version=2025-04-01")


def test_validate_passes_as_the_example_200(sandbox: SandboxServer) -> None:
    status, body = _validate(sandbox, _VALIDATE, _template("eastus", {}))
    assert status == 200
    assert body["type"] == "Microsoft.Resources/deployments" and body["name"] == "dry"
    assert body["properties"]["provisioningState"] == "Succeeded"
    assert body["properties"]["validatedResources"] == [
        {"id": f"/subscriptions/{SUB}/resourceGroups/cmg-rg/providers/Microsoft.KeyVault/vaults/grcmg"}]
    before = sandbox.state.to_json()
    _validate(sandbox, _VALIDATE, _template("eastus", {}))
    assert sandbox.state.to_json() == before  # nothing was created


def test_validate_denial_is_invalid_template_deployment_with_policy_violation(sandbox: SandboxServer) -> None:
    _rehearse(sandbox)
    status, body = _validate(sandbox, _VALIDATE, _template("westus3", {"CostCenter": "1"}))
    assert status == 400
    error = body["error"]
    assert error["code"] == "InvalidTemplateDeployment"
    assert error["message"].startswith("The template deployment 'dry' is not valid according to the validation "
                                       "procedure. The tracking id is '")
    (detail,) = error["details"]
    assert detail["code"] == "RequestDisallowedByPolicy" and detail["target"] == "grcmg"
    assert detail["message"].startswith("Resource 'grcmg' was disallowed by policy. Policy identifiers: '[{")
    (extra,) = detail["additionalInfo"]
    assert extra["type"] == "PolicyViolation"
    info = extra["info"]
    assert info["policyAssignmentDisplayName"] == "Allowed locations"
    assert info["policyDefinitionEffect"] == "Deny"
    assert {"policyDefinitionDisplayName", "policyDefinitionId", "policyAssignmentId", "policyAssignmentName",
            "policyAssignmentScope", "policyAssignmentParameters"} <= set(info)


def test_validate_tag_and_type_denials(sandbox: SandboxServer) -> None:
    _rehearse(sandbox)
    _, untagged = _validate(sandbox, _VALIDATE, _template("eastus", {}))
    assert [d["additionalInfo"][0]["info"]["policyAssignmentDisplayName"] for d in untagged["error"]["details"]] == [
        "Require CostCenter"]
    _, public_ip = _validate(sandbox, _VALIDATE, _template("eastus", {"CostCenter": "1"},
                                                                 "Microsoft.Network/publicIPAddresses", "grcmg-ip"))
    assert [d["additionalInfo"][0]["info"]["policyAssignmentDisplayName"] for d in public_ip["error"]["details"]] == [
        "No public IPs"]


def test_validate_storage_name_error_is_the_examples(sandbox: SandboxServer) -> None:
    status, body = _validate(sandbox, _VALIDATE, _template("eastus", {}, "Microsoft.Storage/storageAccounts", "a"))
    assert status == 400
    assert body["error"]["details"] == [{
        "code": "AccountNameInvalid", "target": "a",
        "message": "a is not a valid storage account name. Storage account name must be between 3 and 24 characters "
                   "in length and use numbers and lower-case letters only."}]


def test_validate_answers_202_then_the_verdict_once(sandbox: SandboxServer) -> None:
    status, answer, headers = _request(sandbox, "POST", _VALIDATE, _template("eastus", {}))
    assert status == 202 and answer == {}
    path = headers["Location"].removeprefix(sandbox.url)
    assert _call(sandbox, "GET", path)[0] == 200
    status, again = _call(sandbox, "GET", path)
    assert status == 404 and again["error"]["code"] == "OperationNotFound"


def test_validate_needs_the_group_and_write_rights(sandbox: SandboxServer) -> None:
    missing = _VALIDATE.replace("/cmg-rg/", "/nowhere/")
    status, body = _validate(sandbox, missing, _template("eastus", {}))
    assert status == 404 and body["error"]["code"] == "ResourceGroupNotFound"
    sandbox.state.set_subscription_roles(SUB, ["Reader"])
    status, body = _validate(sandbox, _VALIDATE, _template("eastus", {}))
    assert status == 403 and body["error"]["code"] == "AuthorizationFailed"


def test_subscription_scope_validate_judges_nested_resources(sandbox: SandboxServer) -> None:
    _rehearse(sandbox)
    inner = _template("westus3", {"CostCenter": "1"})["properties"]["template"]
    body = {"location": "westus3", "properties": {"mode": "Incremental", "template": {
        "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        "contentVersion": "1.0.0.0", "resources": [
            {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2024-03-01", "name": "new-rg",
             "location": "westus3"},
            {"type": "Microsoft.Resources/deployments", "apiVersion": "2024-03-01", "name": "inner",
             "resourceGroup": "new-rg", "properties": {"mode": "Incremental", "template": inner}}]}}}
    status, answer = _validate(sandbox, f"/subscriptions/{SUB}/providers/Microsoft.Resources/deployments/dry/"
                                         "validate?api-version=2025-04-01", body)
    assert status == 400
    assert [d["target"] for d in answer["error"]["details"]] == ["grcmg"]  # the group itself is not judged
    assert "new-rg" not in sandbox.state.resource_groups[SUB]
