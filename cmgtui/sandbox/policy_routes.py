"""Azure Policy in the sandbox: the scenario's assignments, listed and enforced.

* ``GET /subscriptions/{sub}[/resourcegroups/{rg}]/providers/Microsoft.Authorization/policyAssignments``
  answers in the shape of azure-rest-api-specs
  ``specification/resources/resource-manager/Microsoft.Authorization/policy/stable/2023-04-01/examples/listPolicyAssignmentsForResourceGroup.json``
  (``id``, ``type``, ``name``, ``properties.displayName``, ``policyDefinitionId``, ``parameters``,
  ``scope``, ``notScopes``; ``enforcementMode`` as ``createPolicyAssignmentWithoutEnforcement.json``
  of the same folder). Each scenario policy is an assignment of the built-in definition of its
  kind: "Allowed locations" (``listOfAllowedLocations``), "Require a tag on resources"
  (``tagName``, one assignment per tag) and "Not allowed resource types"
  (``listOfResourceTypesNotAllowed``).
* :func:`denials` judges a resource as those definitions do (the location and tag policies
  leave resource groups out) and builds the ``RequestDisallowedByPolicy`` error in the shape
  MicrosoftDocs/azure-docs ``articles/automation/enforce-job-execution-hybrid-worker.md``
  shows (``target``, ``message`` with the policy identifiers, ``additionalInfo`` of type
  ``PolicyViolation`` with the assignment's display name and the definition's effect).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from cmgtui.sandbox.arm_routes import arm_checks
from cmgtui.sandbox.http import Request, Response, Route, page, route
from cmgtui.sandbox.state import TenantState

_DEFINITIONS = "/providers/Microsoft.Authorization/policyDefinitions/"
#: Built-in policy definition (ID, display name) of each scenario rule kind.
BUILT_IN = {"allowed_locations": ("e56962a6-4747-49cd-b67b-bf8b01975c4c", "Allowed locations"),
            "required_tags": ("871b6d14-10aa-478d-b590-94f262ecfa99", "Require a tag on resources"),
            "deny_types": ("6c112d4e-5bc7-47ae-a041-ea2d9dccd749", "Not allowed resource types")}
_NOT_JUDGED = {"microsoft.resources/resourcegroups", "microsoft.resources/deployments"}


@dataclass(frozen=True, slots=True)
class Assignment:
    """One policy assignment at subscription scope, from a scenario policy."""

    sub: str
    display_name: str
    effect: str
    kind: str
    values: tuple[str, ...]

    @property
    def name(self) -> str:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{self.sub}/{self.display_name}").hex[:24]

    @property
    def id(self) -> str:
        return f"/subscriptions/{self.sub}/providers/Microsoft.Authorization/policyAssignments/{self.name}"

    @property
    def definition_id(self) -> str:
        return _DEFINITIONS + BUILT_IN[self.kind][0]

    def parameters(self) -> dict[str, Any]:
        if self.kind == "allowed_locations":
            return {"listOfAllowedLocations": {"value": list(self.values)}}
        if self.kind == "required_tags":
            return {"tagName": {"value": self.values[0]}}
        return {"listOfResourceTypesNotAllowed": {"value": list(self.values)},
                "effect": {"value": self.effect.capitalize()}}

    def body(self) -> dict[str, Any]:
        scope = f"/subscriptions/{self.sub}"
        return {"id": self.id, "type": "Microsoft.Authorization/policyAssignments", "name": self.name,
                "properties": {"displayName": self.display_name, "description": "",
                               "policyDefinitionId": self.definition_id, "definitionVersion": "1.*.*",
                               "parameters": self.parameters(), "scope": scope, "notScopes": [],
                               "enforcementMode": "Default"}}

    def denies(self, resource: dict[str, Any]) -> bool:
        """Whether this assignment denies ``resource`` (``type``, ``location``, ``tags``)."""
        if self.effect != "deny":
            return False
        rtype = str(resource.get("type", "")).lower()
        if self.kind == "deny_types":
            return rtype in {v.lower() for v in self.values}
        if rtype in _NOT_JUDGED:
            return False
        if self.kind == "allowed_locations":
            location = str(resource.get("location", "")).lower().replace(" ", "")
            return location != "global" and location not in self.values
        tags = {str(k).lower() for k in (resource.get("tags") or {})}
        return self.values[0].lower() not in tags

    def violation(self, resource_name: str) -> dict[str, Any]:
        """The ``RequestDisallowedByPolicy`` detail for ``resource_name``."""
        identifiers = json.dumps([{"policyAssignment": {"name": self.display_name, "id": self.id},
                                   "policyDefinition": {"name": BUILT_IN[self.kind][1], "id": self.definition_id}}],
                                 separators=(",", ":"))
        return {"code": "RequestDisallowedByPolicy", "target": resource_name,
                "message": f"Resource '{resource_name}' was disallowed by policy. Policy identifiers: '{identifiers}'.",
                "additionalInfo": [{"type": "PolicyViolation", "info": {
                    "policyDefinitionDisplayName": BUILT_IN[self.kind][1],
                    "policyDefinitionId": self.definition_id, "policyDefinitionName": BUILT_IN[self.kind][0],
                    "policyDefinitionEffect": "Deny", "policyAssignmentId": self.id,
                    "policyAssignmentName": self.name, "policyAssignmentDisplayName": self.display_name,
                    "policyAssignmentScope": f"/subscriptions/{self.sub}",
                    "policyAssignmentParameters": self.parameters()}}]}


def assignments(state: TenantState, sub: str) -> list[Assignment]:
    """The subscription's assignments, from its scenario policies."""
    with state.lock:
        spec = next((s for s in state.scenario.subscriptions if s.id == sub), None)
        policies = list(spec.policies) if spec is not None else []
    out: list[Assignment] = []
    for policy in policies:
        ((kind, values),) = policy["rule"].items()
        if kind == "required_tags" and len(values) > 1:
            out += [Assignment(sub, f"{policy['name']} ({tag})", policy["effect"], kind, (tag,)) for tag in values]
        else:
            out.append(Assignment(sub, policy["name"], policy["effect"], kind, tuple(values)))
    return out


def denials(state: TenantState, sub: str, resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One ``RequestDisallowedByPolicy`` detail per resource and denying assignment."""
    found = assignments(state, sub)
    return [a.violation(str(r.get("name", ""))) for r in resources for a in found if a.denies(r)]


def list_assignments(state: TenantState, req: Request, match) -> Response:
    """``GET …/providers/Microsoft.Authorization/policyAssignments`` (subscription or resource group)."""
    sub = match["sub"].lower()
    if (problem := arm_checks(state, req, sub, "policy")) is not None:
        return problem
    return page(req, [a.body() for a in assignments(state, sub)], state.scenario.behaviour.page_size)


_SUB = r"/subscriptions/(?P<sub>[0-9a-fA-F-]{36})"
ROUTES: list[Route] = [
    route("GET", rf"{_SUB}/providers/Microsoft\.Authorization/policyAssignments", list_assignments),
    route("GET", rf"{_SUB}/resourcegroups/[^/]+/providers/Microsoft\.Authorization/policyAssignments",
          list_assignments),
]
