"""Read imported (or created) CMG app registrations and judge them with the domain's rules.

:func:`read_app_evidence` reads both apps, their service principals, consent grants and
Graph app-role assignments through Graph and returns them in the ``graph.apps`` evidence shape
that ``cmgtui.domain.rules.entra`` documents. :func:`verify_apps` then runs the domain's own
V31 and V33-V36 rules on that evidence, so the verdicts are exactly those the screens and
``cmgtui check`` show; no check is written twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.evidence import organization_evidence
from cmgtui.cloud.graph import GraphGateway
from cmgtui.domain.rules.entra import APP_RULE_IDS
from cmgtui.domain.rules.results import RuleResult
from cmgtui.model.enums import EntraPath
from cmgtui.model.profile import Evidence, Profile


def _id_tokens(app: Any) -> bool:
    settings = app.web.implicit_grant_settings if app.web is not None else None
    return bool(settings is not None and settings.enable_id_token_issuance)


async def _one_app(graph: GraphGateway, app_id: str, kind: str, tenant_id: str) -> Any:
    found = await graph.find_apps_raw(app_id=app_id)
    if not found:
        raise CloudError("not_found", f"No {kind} app with app ID {app_id} in tenant {tenant_id}.",
                         "Check the client ID you entered and that you signed in to the right tenant.")
    return found[0]


async def read_app_evidence(graph: GraphGateway, server_app_id: str,
                            client_app_id: str) -> dict[str, Evidence]:
    """``graph.organization`` and ``graph.apps`` evidence for the two apps."""
    org = await graph.organization()
    server = await _one_app(graph, server_app_id, "server", org.tenant_id)
    client = await _one_app(graph, client_app_id, "client", org.tenant_id)
    server_sp = await graph.find_service_principal(str(server.app_id))
    client_sp = await graph.find_service_principal(str(client.app_id))
    scopes = [s.value for s in (server.api.oauth2_permission_scopes if server.api else None) or []
              if s.is_enabled and s.value]
    granted_roles: list[str] = []
    if server_sp is not None:
        graph_sp, roles, _ = await graph.graph_permission_ids()
        names = {role_id: value for value, role_id in roles.items()}
        builder = graph.client.service_principals.by_service_principal_id(server_sp.id).app_role_assignments
        assigned = await graph.collect(await graph.call(lambda: builder.get(), "read the server app's permissions"),
                                       builder, "read the server app's permissions")
        granted_roles = sorted({names[str(a.app_role_id)] for a in assigned
                                if str(a.resource_id) == graph_sp and str(a.app_role_id) in names})
    consented: list[str] = []
    if server_sp is not None and client_sp is not None:
        consented = await _consented_scopes(graph, client_sp.id, server_sp.id)
    redirects = list(client.public_client.redirect_uris or []) if client.public_client else []
    data = {
        "server_app_id": str(server.app_id), "client_app_id": str(client.app_id),
        "server": {"id_token_issuance": _id_tokens(server), "scopes": scopes,
                   "app_roles_granted": granted_roles,
                   "identifier_uris": list(server.identifier_uris or [])},
        "client": {"id_token_issuance": _id_tokens(client),
                   "is_fallback_public_client": bool(client.is_fallback_public_client),
                   "public_client_redirect_uris": redirects, "consented_scopes": consented},
    }
    summary = f"{server.display_name} / {client.display_name}"
    return {"graph.organization": organization_evidence(org),
            "graph.apps": Evidence(source="graph.apps", summary=summary, data=data)}


async def _consented_scopes(graph: GraphGateway, client_sp: str, resource_sp: str) -> list[str]:
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph.generated.oauth2_permission_grants.oauth2_permission_grants_request_builder import (
        Oauth2PermissionGrantsRequestBuilder,
    )

    params = Oauth2PermissionGrantsRequestBuilder.Oauth2PermissionGrantsRequestBuilderGetQueryParameters(
        filter=f"clientId eq '{client_sp}' and resourceId eq '{resource_sp}'")
    found = await graph.call(lambda: graph.client.oauth2_permission_grants.get(
        request_configuration=RequestConfiguration(query_parameters=params)), "read consent grants")
    grants = await graph.collect(found, graph.client.oauth2_permission_grants, "read consent grants")
    return sorted({scope for g in grants
                   if g.consent_type == "AllPrincipals" for scope in (g.scope or "").split()})


def judge_apps(profile: Profile, evidence: dict[str, Evidence],
               now: datetime | None = None) -> list[RuleResult]:
    """Run the domain's app rules on ``profile`` with ``evidence`` added (profile untouched).

    The verification is about apps that exist, so a profile whose path is not yet chosen (or
    says ConfigMgr creates them) is judged as an import; missing tenant ID, app IDs and App ID
    URI are taken from what Graph returned.
    """
    from cmgtui.domain.rules.profile_rules import PROFILE_RULES

    trial = profile.model_copy(deep=True)
    trial.evidence.update(evidence)
    entra = trial.entra
    if entra.path in (None, EntraPath.CONFIGMGR_CREATES):
        entra.path = EntraPath.IMPORT
    apps = evidence["graph.apps"].data
    org = evidence["graph.organization"].data
    entra.tenant_id = entra.tenant_id.strip() or org["tenant_id"]
    entra.server_app.app_id = entra.server_app.app_id.strip() or apps["server_app_id"]
    entra.client_app.app_id = entra.client_app.app_id.strip() or apps["client_app_id"]
    if not entra.server_app.app_id_uri.strip() and apps["server"]["identifier_uris"]:
        entra.server_app.app_id_uri = apps["server"]["identifier_uris"][0]
    moment = now or datetime.now(UTC)
    return [r.run(trial, moment) for r in PROFILE_RULES if r.rule_id in APP_RULE_IDS]


async def verify_apps(graph: GraphGateway, profile: Profile, *, server_app_id: str = "",
                      client_app_id: str = "") -> tuple[list[RuleResult], dict[str, Evidence]]:
    """Read the apps (IDs from the arguments or the profile) and judge them property by property.

    Returns the rule results and the evidence, which the caller stores in the profile so the
    same verdicts appear everywhere.
    """
    server_id = server_app_id or profile.entra.server_app.app_id.strip()
    client_id = client_app_id or profile.entra.client_app.app_id.strip()
    if not server_id or not client_id:
        raise ValueError("Enter both the server app ID and the client app ID to verify them.")
    evidence = await read_app_evidence(graph, server_id, client_id)
    return judge_apps(profile, evidence), evidence
