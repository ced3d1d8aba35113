"""Create, resume and verify the CMG's two Microsoft Entra app registrations through Graph.

:func:`create_apps` follows domain sheet §4.2 steps 2-9: the server (web) app with its
identifier URI, ``user_impersonation`` scope, web redirect ``http://localhost`` and ID-token
issuance; optionally a client secret; its service principal; optionally Graph
``Directory.Read.All`` (for Entra user discovery); the client (native) app as a public client
with the broker redirect URI patched in once its app ID is known; its service principal; and
admin consent for its delegated permissions.

Creation is idempotent. Each app carries a tag cmgtui controls, and every step looks for what
it would create before creating it, so running twice or resuming after a crash between two
calls never makes a second app. Each step's intent and outcome go to the operations journal.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from cmgtui.cloud.app_shapes import (
    BROKER_PREFIX,
    CLIENT_TAG,
    SCOPE_VALUE,
    SERVER_TAG,
    client_app_body,
    client_redirect_patch,
    server_app_body,
)
from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.graph import APP_ROLE_TEXT, CONSENT_ROLE_TEXT, GraphGateway, summarize_app
from cmgtui.cloud.journal import OperationsJournal, PendingOperation
from cmgtui.cloud.models import ClientSecret, CreatedApps
from cmgtui.cloud.retry import LogFn, quiet

KIND = "create_apps"


@dataclass(frozen=True, slots=True)
class AppSpec:
    """What to create. ``app_id_uri`` empty means ``api://{tenantId}/ConfigMgrService``."""

    server_name: str = "CMG-ServerApp"
    client_name: str = "CMG-ClientApp"
    app_id_uri: str = ""
    user_discovery: bool = False
    secret_months: int | None = 12

    def __post_init__(self) -> None:
        if not self.server_name.strip() or not self.client_name.strip():
            raise ValueError("Enter a name for both the server app and the client app.")
        if self.server_name.strip().lower() == self.client_name.strip().lower():
            raise ValueError("The server app and the client app need different names.")
        if self.secret_months not in (None, 12, 24):
            raise ValueError("A client secret lasts 12 or 24 months.")

    def to_json(self) -> dict[str, Any]:
        """The journal's record of the inputs (no secret is part of a spec)."""
        return asdict(self)


class _Run:
    """One pass over the steps, writing intent/outcome lines to the journal."""

    def __init__(self, graph: GraphGateway, journal: OperationsJournal, op: str,
                 previous: PendingOperation | None, log: LogFn) -> None:
        self.graph, self.journal, self.op, self.log = graph, journal, op, log
        self.previous = previous
        self.created_server = False

    async def step(self, name: str, intent: dict[str, Any], action):
        """Record intent, run ``action`` (find-or-create), record the outcome."""
        self.journal.intent(self.op, name, intent)
        try:
            result, data = await action()
        except CloudError as exc:
            self.journal.failed(self.op, name, exc.message)
            raise
        self.journal.done(self.op, name, data)
        return result

    async def app(self, name: str, tag: str, build) -> tuple[Any, bool]:
        """Find the app ``name`` carrying ``tag``; create it with ``build()`` if absent."""
        found = await self.graph.find_apps_raw(display_name=name)
        ours = [a for a in found if tag in (a.tags or [])]
        if ours:
            ours.sort(key=lambda a: str(a.created_date_time or ""))
            if len(ours) > 1:
                self.log(f"Warning: {len(ours)} apps named '{name}' carry cmgtui's tag; using the oldest")
            self.log(f"App '{name}' already exists (app ID {ours[0].app_id}); reusing it")
            return ours[0], False
        if found:
            raise CloudError("conflict", f"An app named '{name}' already exists and was not created "
                             "by cmgtui.", "Choose another name, or import the existing app instead.")
        self.log(f"Creating app registration '{name}'")
        try:
            created = await self.graph.call(lambda: self.graph.client.applications.post(build()),
                                            f"create app '{name}'", idempotent=False,
                                            role=APP_ROLE_TEXT, log=self.log)
        except CloudError as exc:
            if exc.status == 400 and "identifierUris" in exc.message:
                raise CloudError("conflict", f"Could not create app '{name}': its Application ID URI "
                                 "is already used by another app in the tenant.",
                                 "Choose another Application ID URI, or import the existing app.",
                                 status=400) from None
            raise
        self.log(f"Created '{name}' (app ID {created.app_id})")
        return created, True

    async def service_principal(self, app: Any) -> str:
        """Find or create the service principal of ``app``; returns its object ID."""
        from msgraph.generated.models.service_principal import ServicePrincipal

        sp = await self.graph.find_service_principal(str(app.app_id))
        if sp is not None:
            return sp.id
        self.log(f"Creating the service principal of '{app.display_name}'")
        sp = await self.graph.call(
            lambda: self.graph.client.service_principals.post(ServicePrincipal(app_id=str(app.app_id))),
            "create a service principal", idempotent=False, role=APP_ROLE_TEXT, log=self.log)
        return sp.id

    async def grant(self, client_sp: str, resource_sp: str, scope: str) -> str:
        """Admin consent (AllPrincipals) of ``scope`` on ``resource_sp`` for ``client_sp``."""
        from kiota_abstractions.base_request_configuration import RequestConfiguration
        from msgraph.generated.models.o_auth2_permission_grant import OAuth2PermissionGrant
        from msgraph.generated.oauth2_permission_grants.oauth2_permission_grants_request_builder import (
            Oauth2PermissionGrantsRequestBuilder,
        )

        params = Oauth2PermissionGrantsRequestBuilder.Oauth2PermissionGrantsRequestBuilderGetQueryParameters(
            filter=f"clientId eq '{client_sp}' and resourceId eq '{resource_sp}'")
        existing = await self.graph.call(lambda: self.graph.client.oauth2_permission_grants.get(
            request_configuration=RequestConfiguration(query_parameters=params)), "read consent grants")
        for grant in (existing.value if existing is not None else None) or []:
            if grant.consent_type != "AllPrincipals":
                continue
            scopes = (grant.scope or "").split()
            if scope in scopes:
                self.log(f"Admin consent for {scope} already granted")
                return grant.id or ""
            # One AllPrincipals grant per client and resource: extend it rather than add one.
            self.log(f"Adding {scope} to the existing admin consent")
            patch = OAuth2PermissionGrant(scope=" ".join([*scopes, scope]))
            await self.graph.call(lambda: self.graph.client.oauth2_permission_grants.by_o_auth2_permission_grant_id(
                grant.id).patch(patch), f"grant admin consent for {scope}", role=CONSENT_ROLE_TEXT,
                log=self.log)
            return grant.id or ""
        self.log(f"Granting admin consent for {scope}")
        body = OAuth2PermissionGrant(client_id=client_sp, consent_type="AllPrincipals",
                                     resource_id=resource_sp, scope=scope)
        made = await self.graph.call(lambda: self.graph.client.oauth2_permission_grants.post(body),
                                     f"grant admin consent for {scope}", idempotent=False,
                                     role=CONSENT_ROLE_TEXT, log=self.log)
        return made.id or ""


async def create_apps(graph: GraphGateway, spec: AppSpec, journal: OperationsJournal, *,
                      log: LogFn = quiet, op: str | None = None,
                      previous: PendingOperation | None = None) -> tuple[CreatedApps, ClientSecret | None]:
    """Create (or find) both apps per domain sheet §4.2; returns them and a new secret, if any.

    The secret's text is in the returned :class:`ClientSecret` only; it is never journaled or
    logged. ``op``/``previous`` are set by :func:`resume_pending`.
    """
    op = op or journal.begin(KIND, spec.to_json())
    run = _Run(graph, journal, op, previous, log)
    try:
        org = await graph.organization()
        uri = spec.app_id_uri or f"api://{org.tenant_id}/ConfigMgrService"
        graph_sp, roles, scopes = await graph.graph_permission_ids()

        async def server_step():
            app, created = await run.app(spec.server_name, SERVER_TAG, lambda: server_app_body(
                spec, uri, uuid.uuid4(), roles, scopes))
            run.created_server = created
            return app, {"object_id": app.id, "app_id": str(app.app_id), "created": created}
        server = await run.step("server_app", {"name": spec.server_name, "uri": uri}, server_step)
        secret = await _secret_step(run, server, spec)

        async def server_sp_step():
            sp_id = await run.service_principal(server)
            return sp_id, {"sp_id": sp_id}
        server_sp = await run.step("server_sp", {"app_id": str(server.app_id)}, server_sp_step)
        if spec.user_discovery:
            await run.step("directory_read_all", {"sp_id": server_sp},
                           lambda: _directory_read_all(run, server_sp, graph_sp, roles))
        scope_id = _scope_id(server)

        async def client_step():
            app, created = await run.app(spec.client_name, CLIENT_TAG, lambda: client_app_body(
                spec, server, scope_id, scopes))
            return app, {"object_id": app.id, "app_id": str(app.app_id), "created": created}
        client = await run.step("client_app", {"name": spec.client_name}, client_step)

        async def redirect_step():
            log("Setting the client app's broker redirect URI and public client flows")
            await graph.call(lambda: graph.client.applications.by_application_id(client.id).patch(
                client_redirect_patch(str(client.app_id))), "update the client app",
                role=APP_ROLE_TEXT, log=log)
            return None, {"redirect": f"{BROKER_PREFIX}{client.app_id}"}
        await run.step("client_redirect", {"object_id": client.id}, redirect_step)

        async def client_sp_step():
            sp_id = await run.service_principal(client)
            return sp_id, {"sp_id": sp_id}
        client_sp = await run.step("client_sp", {"app_id": str(client.app_id)}, client_sp_step)

        async def consent(resource: str, scope: str):
            return None, {"grant_id": await run.grant(client_sp, resource, scope)}
        await run.step("consent_server", {"scope": SCOPE_VALUE},
                       lambda: consent(server_sp, SCOPE_VALUE))
        await run.step("consent_graph", {"scope": "User.Read"}, lambda: consent(graph_sp, "User.Read"))
    except CloudError as exc:
        journal.end(op, "failed", {"message": exc.message})
        raise
    result = CreatedApps(org.tenant_id, summarize_app(server), summarize_app(client), server_sp,
                         client_sp, uri)
    journal.end(op, "completed", {"server_app_id": result.server.app_id,
                                  "client_app_id": result.client.app_id})
    log("Both app registrations are ready")
    return result, secret


def _scope_id(server: Any) -> str:
    for scope in (server.api.oauth2_permission_scopes if server.api else None) or []:
        if scope.value == SCOPE_VALUE:
            return str(scope.id)
    raise CloudError("unexpected", f"The server app '{server.display_name}' exposes no "
                     f"{SCOPE_VALUE} scope.", "Add the scope in the portal (Expose an API), or "
                     "delete the app and create it again here.")


async def _secret_step(run: _Run, server: Any, spec: AppSpec) -> ClientSecret | None:
    """Add the server app's secret unless an earlier run already did.

    An app found already made that has a secret keeps it (a rerun adds none). A secret is not idempotent: when a previous run recorded the intent but not the outcome,
    the secret may exist with its text lost; that key is named in the log, then a new one made.
    """
    if spec.secret_months is None:
        return None
    if run.previous is not None and "server_secret" in run.previous.done_steps:
        key = run.previous.done_steps["server_secret"].get("key_id", "")
        run.log(f"A client secret was already added (key ID {key}); not adding another")
        return None
    app = await run.graph.get_app_raw(server.id)
    before = [str(p.key_id) for p in app.password_credentials or []]
    lost = run.previous is not None and "server_secret" in run.previous.open_steps
    if before and not run.created_server and not lost:
        run.log(f"The existing server app already has {len(before)} client secret(s); not adding "
                "another (add one explicitly if you need a new one)")
        return None
    if lost:
        run.log("An earlier attempt to add a secret lost its answer; existing secret key IDs: "
                + (", ".join(before) or "none") + ". Remove unused ones in the portal.")

    async def action():
        secret = await run.graph.add_client_secret(server.id, spec.secret_months, log=run.log)
        return secret, {"key_id": secret.key_id, "expires": secret.end_date_time}
    return await run.step("server_secret", {"existing_key_ids": before}, action)


async def _directory_read_all(run: _Run, server_sp: str, graph_sp: str, roles: dict[str, str]):
    """Grant Graph ``Directory.Read.All`` (application) to the server app, once."""
    from msgraph.generated.models.app_role_assignment import AppRoleAssignment

    role_id = roles.get("Directory.Read.All")
    if role_id is None:
        raise CloudError("not_found", "Microsoft Graph offers no Directory.Read.All app role here.",
                         "Turn off Microsoft Entra user discovery, or grant it in the portal.")
    graph = run.graph
    existing = await graph.call(lambda: graph.client.service_principals.by_service_principal_id(
        server_sp).app_role_assignments.get(), "read the server app's permissions")
    for item in (existing.value if existing is not None else None) or []:
        if str(item.app_role_id) == role_id and str(item.resource_id) == graph_sp:
            run.log("Directory.Read.All is already granted to the server app")
            return None, {"assignment_id": item.id}
    run.log("Granting Directory.Read.All (application) to the server app")
    body = AppRoleAssignment(principal_id=uuid.UUID(server_sp), resource_id=uuid.UUID(graph_sp),
                             app_role_id=uuid.UUID(role_id))
    made = await graph.call(lambda: graph.client.service_principals.by_service_principal_id(
        graph_sp).app_role_assigned_to.post(body), "grant Directory.Read.All", idempotent=False,
        role=CONSENT_ROLE_TEXT, log=run.log)
    return None, {"assignment_id": made.id}


async def resume_pending(graph: GraphGateway, journal: OperationsJournal, *,
                         log: LogFn = quiet) -> list[tuple[CreatedApps, ClientSecret | None]]:
    """Re-run every app creation the journal shows as unfinished; returns their results."""
    results = []
    for pending in journal.pending():
        if pending.kind != KIND:
            continue
        log(f"Resuming app creation {pending.op} (unfinished steps: "
            f"{', '.join(pending.open_steps) or 'none'})")
        spec = AppSpec(**pending.inputs)
        results.append(await create_apps(graph, spec, journal, log=log, op=pending.op,
                                         previous=pending))
    return results
