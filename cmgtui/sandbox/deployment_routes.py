"""Resource Manager's deployment validation in the sandbox: a dry run that creates nothing.

``POST /subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.Resources/deployments/{name}/validate``
and the subscription-scope ``POST /subscriptions/{sub}/providers/Microsoft.Resources/deployments/{name}/validate``
answer as azure-rest-api-specs
``specification/resources/resource-manager/Microsoft.Resources/deployments/stable/2025-04-01/examples/PostDeploymentValidateOnResourceGroup.json``
(and ``…OnSubscription.json``) shows: ``200`` with the deployment (``properties.provisioningState``
``Succeeded``, ``validatedResources``) when the template is valid, else ``400``
``InvalidTemplateDeployment`` whose ``details`` carry the inner errors. As the example's ``202``
shows, the answer is asynchronous: ``202`` with a ``Location`` of
``/subscriptions/{sub}/operationResults/{id}`` (and ``Retry-After``), whose ``GET`` gives that 200 or 400. Azure Policy denials are
``RequestDisallowedByPolicy`` details (see :mod:`cmgtui.sandbox.policy_routes`), one per
resource and assignment, as the ``InvalidTemplateDeployment`` body recorded in Azure/ARO-RP
``pkg/hive/failure/reasons_test.go`` lists them; a storage account name that breaks the naming
rule is the example's ``AccountNameInvalid``. Resources inside a nested deployment
(``Microsoft.Resources/deployments`` with ``properties.template``) are judged too. Nothing is
stored: validation never changes the tenant.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
import zlib
from typing import Any

from cmgtui.sandbox.arm_routes import arm_checks, writer_checks
from cmgtui.sandbox.http import Request, Response, Route, arm_error, route
from cmgtui.sandbox.policy_routes import denials
from cmgtui.sandbox.state import TenantState

_SUB = r"/subscriptions/(?P<sub>[0-9a-fA-F-]{36})"
_DEPLOYMENTS = r"/providers/Microsoft\.Resources/deployments/(?P<name>[-\w._()]{1,64})/validate"


def _flatten(resources: Any, group: str) -> list[tuple[str, dict[str, Any]]]:
    """Every resource of a template with the group it lands in (nested deployments walked)."""
    out: list[tuple[str, dict[str, Any]]] = []
    for item in resources if isinstance(resources, list) else []:
        if not isinstance(item, dict):
            continue
        out.append((group, item))
        if str(item.get("type", "")).lower() == "microsoft.resources/deployments":
            inner = ((item.get("properties") or {}).get("template") or {}).get("resources")
            out += _flatten(inner, str(item.get("resourceGroup") or group))
    return out


def _naming_errors(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    errors = []
    for res in resources:
        name = str(res.get("name", ""))
        if str(res.get("type", "")).lower() == "microsoft.storage/storageaccounts" \
                and not re.fullmatch(r"[a-z0-9]{3,24}", name):
            errors.append({"code": "AccountNameInvalid", "target": name,
                           "message": f"{name} is not a valid storage account name. Storage account name must be "
                                      "between 3 and 24 characters in length and use numbers and lower-case "
                                      "letters only."})
    return errors


#: Validation results waiting for their ``operationResults`` poll (never persisted: nothing is created).
_PENDING: dict[str, Response] = {}
_PENDING_LOCK = threading.Lock()


def _accepted(req: Request, sub: str, final: Response) -> Response:
    """``202 Accepted`` with the ``Location`` to poll for ``final`` (a request ARM refuses at once,
    such as one without a template, is answered directly)."""
    error = (final.body or {}).get("error") or {} if isinstance(final.body, dict) else {}
    if final.status != 200 and error.get("code") != "InvalidTemplateDeployment":
        return final
    operation = uuid.uuid4().hex.upper()
    with _PENDING_LOCK:
        _PENDING[operation] = final
    location = f"{req.base_url}/subscriptions/{sub}/operationResults/{operation}?api-version={req.query['api-version']}"
    return Response(202, None, {"Location": location, "Retry-After": "0"})  # the verdict is ready at once


def operation_result(state: TenantState, req: Request, match) -> Response:
    """``GET /subscriptions/{sub}/operationResults/{id}``: the validation's final answer, once."""
    sub = match["sub"].lower()
    if (problem := arm_checks(state, req, sub)) is not None:
        return problem
    with _PENDING_LOCK:
        final = _PENDING.pop(match["op"].upper(), None)
    if final is None:
        return arm_error(404, "OperationNotFound", f"The operation '{match['op']}' could not be found.")
    return final


def _resource_id(sub: str, group: str, res: dict[str, Any]) -> str:
    rtype = str(res.get("type", ""))
    if rtype.lower() == "microsoft.resources/resourcegroups":
        return f"/subscriptions/{sub}/resourceGroups/{res.get('name')}"
    return f"/subscriptions/{sub}/resourceGroups/{group}/providers/{rtype}/{res.get('name')}"


def _validate(state: TenantState, req: Request, sub: str, name: str, group: str) -> Response:
    body = req.body if isinstance(req.body, dict) else {}
    props = body.get("properties") if isinstance(body.get("properties"), dict) else {}
    template = props.get("template")
    if not isinstance(template, dict):
        return arm_error(400, "InvalidRequestContent", "The request content was invalid and could not be "
                         "deserialized: 'Required property 'template' or 'templateLink' not found.'.")
    found = _flatten(template.get("resources"), group)
    resources = [r for _, r in found]
    details = [*denials(state, sub, resources), *_naming_errors(resources)]
    tracking = str(uuid.uuid4())
    if details:
        return Response(400, {"error": {
            "code": "InvalidTemplateDeployment",
            "message": f"The template deployment '{name}' is not valid according to the validation procedure. "
                       f"The tracking id is '{tracking}'. See inner errors for details.",
            "details": details}})
    scope = f"/subscriptions/{sub}" + (f"/resourceGroups/{group}" if group else "")
    providers: dict[str, set[str]] = {}
    for _, res in found:
        namespace, _, rtype = str(res.get("type", "")).partition("/")
        providers.setdefault(namespace, set()).add(rtype)
    return Response(200, {
        "id": f"{scope}/providers/Microsoft.Resources/deployments/{name}", "name": name,
        "type": "Microsoft.Resources/deployments",
        "properties": {"templateHash": str(zlib.crc32(json.dumps(template, sort_keys=True).encode())), "parameters": {},
                       "mode": props.get("mode", "Incremental"), "provisioningState": "Succeeded",
                       "timestamp": "2026-01-01T00:00:00.0000000Z", "duration": "PT0.5S", "correlationId": tracking,
                       "providers": [{"namespace": ns, "resourceTypes": [{"resourceType": t} for t in sorted(types)]}
                                     for ns, types in sorted(providers.items())],
                       "dependencies": [],
                       "validatedResources": [{"id": _resource_id(sub, g, r)} for g, r in found
                                              if str(r.get("type", "")).lower() != "microsoft.resources/deployments"]},
    })


def validate_in_group(state: TenantState, req: Request, match) -> Response:
    """``POST …/resourcegroups/{rg}/providers/Microsoft.Resources/deployments/{name}/validate``."""
    sub, group = match["sub"].lower(), match["rg"]
    with state.lock:
        if (problem := arm_checks(state, req, sub)) is not None:
            return problem
        scope = f"/subscriptions/{sub}/resourcegroups/{group}"
        if (problem := writer_checks(state, sub, "Microsoft.Resources/deployments/validate/action", scope)):
            return problem
        existing = next((g for g in state.resource_groups.get(sub, {}) if g.lower() == group.lower()), None)
    if existing is None:
        return arm_error(404, "ResourceGroupNotFound", f"Resource group '{group}' could not be found.")
    return _accepted(req, sub, _validate(state, req, sub, match["name"], existing))


def validate_in_subscription(state: TenantState, req: Request, match) -> Response:
    """``POST /subscriptions/{sub}/providers/Microsoft.Resources/deployments/{name}/validate``."""
    sub = match["sub"].lower()
    with state.lock:
        if (problem := arm_checks(state, req, sub)) is not None:
            return problem
        action = "Microsoft.Resources/deployments/validate/action"
        if (problem := writer_checks(state, sub, action, f"/subscriptions/{sub}")) is not None:
            return problem
    if not str((req.body or {}).get("location", "")).strip():
        return arm_error(400, "LocationRequired", "The location property is required for this definition.")
    return _accepted(req, sub, _validate(state, req, sub, match["name"], ""))


ROUTES: list[Route] = [
    route("POST", rf"{_SUB}/resourcegroups/(?P<rg>[^/]+){_DEPLOYMENTS}", validate_in_group),
    route("POST", rf"{_SUB}{_DEPLOYMENTS}", validate_in_subscription),
    route("GET", rf"{_SUB}/operationResults/(?P<op>[0-9A-Fa-f]{{32}})", operation_result),
]
