"""Create, resume and verify the CMG's two Microsoft Entra app registrations through Graph.

:func:`create_apps` follows domain sheet §4.2 steps 2-9: the server (web) app with its
identifier URI, ``user_impersonation`` scope, web redirect ``http://localhost`` and ID-token
issuance; optionally a client secret; its service principal; optionally Graph
``Directory.Read.All`` (for Entra user discovery); the client (native) app as a public client
with the broker redirect URI patched in once its app ID is known; its service principal; and
admin consent for its delegated permissions.

Creation is idempotent. Each app is written with Graph's upsert
(``PATCH /applications(uniqueName=...)`` with ``Prefer: create-if-missing``) under a unique name
derived from its display name, so an answer lost on the way back can be sent again without a
second app; each app also carries a tag cmgtui controls, and every step looks for what it would
create before creating it. A resume finds earlier work by the object IDs the journal recorded,
never by display name alone. Graph is eventually consistent: every call on an object created
moments ago waits out replication (bounded backoff on 404 ``Request_ResourceNotFound`` and
400 "does not reference a valid application object"). An https Application ID URI is checked
against the tenant's verified domains before anything is created.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
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
from cmgtui.cloud.graph import (
    APP_ROLE_TEXT,
    CONSENT_ROLE_TEXT,
    GRAPH_APP_ROLE_TEXT,
    GraphGateway,
    summarize_app,
)
from cmgtui.cloud.journal import OperationsJournal, PendingOperation
from cmgtui.cloud.models import ClientSecret, CreatedApps
from cmgtui.model.enums import EntraPath
from cmgtui.model.profile import EntraPart
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


def unique_name(kind: str, display_name: str) -> str:
    """The Graph ``uniqueName`` cmgtui upserts an app under (stable for one display name)."""
    digest = hashlib.sha256(display_name.strip().lower().encode("utf-8")).hexdigest()[:16]
    return f"cmgtui-{kind}-{digest}"


def identifier_uri_problem(uri: str, verified_domains: tuple[str, ...]) -> str | None:
    """Why Entra would refuse ``uri`` as an Application ID URI, or None.

    ``api://`` URIs are always allowed; an https URI's host must be a verified domain of the
    tenant or a subdomain of one (refused with ``HostNameNotOnVerifiedDomain`` since 2021).
    """
    parts = urlsplit(uri.strip())
    scheme = parts.scheme.lower()
    if scheme == "api" and parts.netloc:
        return None
    if scheme != "https" or not parts.hostname:
        return (f"'{uri}' is not an api:// or https:// URI; use api://{{tenantId}}/ConfigMgrService.")
    host = parts.hostname.lower()
    if any(host == d.lower() or host.endswith("." + d.lower()) for d in verified_domains):
        return None
    listed = ", ".join(verified_domains) or "none"
    return (f"the host {host} of '{uri}' is not a verified domain of the tenant (verified: {listed}); "
            "Entra refuses it (HostNameNotOnVerifiedDomain). Use api://{tenantId}/ConfigMgrService "
            "or an https URI on a verified domain.")


class _Run:
    """One pass over the steps, writing intent/outcome lines to the journal."""

    def __init__(self, graph: GraphGateway, journal: OperationsJournal, op: str,
                 previous: PendingOperation | None, log: LogFn) -> None:
        self.graph, self.journal, self.op, self.log = graph, journal, op, log
        self.previous = previous
        self.created_server = False
        self.started = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)

    def recorded(self, step: str, key: str) -> str:
        """An ID an earlier run of this operation recorded for ``step`` (empty when none)."""
        if self.previous is None:
            return ""
        return str(self.previous.done_steps.get(step, {}).get(key) or "")

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

    async def app(self, name: str, tag: str, kind: str, build, known_id: str = "") -> tuple[Any, bool]:
        """The app ``name`` carrying ``tag``: the one the journal recorded (``known_id``), one
        found already made, or a new one upserted under its unique name."""
        from kiota_abstractions.base_request_configuration import RequestConfiguration

        graph = self.graph
        if known_id:
            app = await graph.get_app_raw(known_id, replication=True)
            self.log(f"App '{name}' was made by the earlier run (app ID {app.app_id}); continuing")
            return app, False
        found = await graph.find_apps_raw(display_name=name)
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
        unique = unique_name(kind, name)
        builder = graph.client.applications_with_unique_name(unique)
        config = RequestConfiguration()
        config.headers.add("Prefer", "create-if-missing")
        self.log(f"Creating app registration '{name}'")
        created = await graph.call(lambda: builder.patch(build(), request_configuration=config),
                                   f"create app '{name}'", role=APP_ROLE_TEXT, log=self.log)
        if created is None:  # 204: an earlier attempt made it (its answer was lost)
            created = await graph.call(lambda: builder.get(), f"read app '{name}'", replication=True)
        new = created.created_date_time is None or created.created_date_time >= self.started
        self.log(f"Created '{name}' (app ID {created.app_id})" if new
                 else f"App '{name}' already exists (app ID {created.app_id}); reusing it")
        return created, new

    async def service_principal(self, app: Any, known_id: str = "") -> str:
        """Find or create the service principal of ``app``; returns its object ID."""
        from msgraph.generated.models.service_principal import ServicePrincipal

        if known_id:
            return known_id
        sp = await self.graph.find_service_principal(str(app.app_id))
        if sp is not None:
            return sp.id
        self.log(f"Creating the service principal of '{app.display_name}'")
        try:
            sp = await self.graph.call(
                lambda: self.graph.client.service_principals.post(ServicePrincipal(app_id=str(app.app_id))),
                "create a service principal", idempotent=False, role=APP_ROLE_TEXT, log=self.log,
                replication=True)
        except CloudError as error:
            if error.status != 409:
                raise
            # An earlier attempt made it and Graph has not listed it yet: wait for it.
            sp = await self.graph.call(lambda: self._require_sp(str(app.app_id)),
                                       "look up a service principal", replication=True)
        return sp.id

    async def _require_sp(self, app_id: str) -> Any:
        sp = await self.graph.find_service_principal(app_id)
        if sp is None:
            raise CloudError("not_found", "The service principal is not listed yet.", "Try again.",
                             status=404, code="Request_ResourceNotFound")
        return sp

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
        for grant in await self.graph.collect(existing, self.graph.client.oauth2_permission_grants,
                                              "read consent grants"):
            if grant.consent_type != "AllPrincipals":
                continue
            scopes = (grant.scope or "").split()
            if scope in scopes:
                self.log(f"Admin consent for {scope} already granted")
                return grant.id or ""
            # One AllPrincipals grant per client and resource: extend it rather than add one.
            self.log(f"Adding {scope} to the existing admin consent")
            patch = OAuth2PermissionGrant(scope=" ".join([*scopes, scope]))
            grants = self.graph.client.oauth2_permission_grants.by_o_auth2_permission_grant_id(grant.id)
            await self.graph.call(lambda: grants.patch(patch), f"grant admin consent for {scope}",  # noqa: B023 - awaited within the iteration
                                  role=CONSENT_ROLE_TEXT, log=self.log, replication=True)
            return grant.id or ""
        self.log(f"Granting admin consent for {scope}")
        body = OAuth2PermissionGrant(client_id=client_sp, consent_type="AllPrincipals",
                                     resource_id=resource_sp, scope=scope)
        try:
            made = await self.graph.call(lambda: self.graph.client.oauth2_permission_grants.post(body),
                                         f"grant admin consent for {scope}", idempotent=False,
                                         role=CONSENT_ROLE_TEXT, log=self.log, replication=True)
        except CloudError as error:
            if error.status != 409:
                raise
            # An earlier attempt made the grant and Graph has not listed it yet: wait, then extend it.
            self.log("The consent grant exists but is not listed yet; waiting for Graph to replicate it")
            await self.graph.call(lambda: self._require_grant(params), "read consent grants", replication=True)
            return await self.grant(client_sp, resource_sp, scope)
        return made.id or ""

    async def _require_grant(self, params: Any) -> Any:
        from kiota_abstractions.base_request_configuration import RequestConfiguration

        found = await self.graph.client.oauth2_permission_grants.get(
            request_configuration=RequestConfiguration(query_parameters=params))
        if not (found.value if found is not None else None):
            raise CloudError("not_found", "The consent grant is not listed yet.", "Try again.",
                             status=404, code="Request_ResourceNotFound")
        return found


async def create_apps(graph: GraphGateway, spec: AppSpec, journal: OperationsJournal, *,
                      log: LogFn = quiet, op: str | None = None,
                      previous: PendingOperation | None = None) -> tuple[CreatedApps, ClientSecret | None]:
    """Create (or find) both apps per domain sheet §4.2; returns them and a new secret, if any.

    The secret's text is in the returned :class:`ClientSecret` only; it is never journaled or
    logged. ``op``/``previous`` are set by :func:`resume_pending`.
    """
    op = op or journal.begin(KIND, spec.to_json())
    run = _Run(graph, journal, op, previous, log)
    secret: ClientSecret | None = None
    made = {"server_app": run.recorded("server_app", "created") == "True",
            "client_app": run.recorded("client_app", "created") == "True"}
    try:
        org = await graph.organization()
        uri = spec.app_id_uri or f"api://{org.tenant_id}/ConfigMgrService"
        problem = identifier_uri_problem(uri, org.verified_domains)
        if problem is not None:
            raise CloudError("invalid", f"Could not create the server app: {problem}",
                             f"Use api://{org.tenant_id}/ConfigMgrService as the Application ID URI in "
                             "Part 2 (or an https URI on a verified domain), then create the apps again.")
        graph_sp, roles, scopes = await graph.graph_permission_ids()

        async def server_step():
            app, created = await run.app(spec.server_name, SERVER_TAG, "server", lambda: server_app_body(
                spec, uri, uuid.uuid4(), roles, scopes), run.recorded("server_app", "object_id"))
            run.created_server = created
            made["server_app"] = made["server_app"] or created
            return app, {"object_id": app.id, "app_id": str(app.app_id), "created": made["server_app"]}
        server = await run.step("server_app", {"name": spec.server_name, "uri": uri}, server_step)
        secret = await _secret_step(run, server, spec)

        async def server_sp_step():
            sp_id = await run.service_principal(server, run.recorded("server_sp", "sp_id"))
            return sp_id, {"sp_id": sp_id}
        server_sp = await run.step("server_sp", {"app_id": str(server.app_id)}, server_sp_step)
        if spec.user_discovery:
            await run.step("directory_read_all", {"sp_id": server_sp},
                           lambda: _directory_read_all(run, server_sp, graph_sp, roles))
        scope_id = _scope_id(server)

        async def client_step():
            app, created = await run.app(spec.client_name, CLIENT_TAG, "client", lambda: client_app_body(
                spec, server, scope_id, scopes), run.recorded("client_app", "object_id"))
            made["client_app"] = made["client_app"] or created
            return app, {"object_id": app.id, "app_id": str(app.app_id), "created": made["client_app"]}
        client = await run.step("client_app", {"name": spec.client_name}, client_step)

        async def redirect_step():
            log("Setting the client app's broker redirect URI and public client flows")
            await graph.call(lambda: graph.client.applications.by_application_id(client.id).patch(
                client_redirect_patch(str(client.app_id))), "update the client app",
                role=APP_ROLE_TEXT, log=log, replication=True)
            return None, {"redirect": f"{BROKER_PREFIX}{client.app_id}"}
        await run.step("client_redirect", {"object_id": client.id}, redirect_step)

        async def client_sp_step():
            sp_id = await run.service_principal(client, run.recorded("client_sp", "sp_id"))
            return sp_id, {"sp_id": sp_id}
        client_sp = await run.step("client_sp", {"app_id": str(client.app_id)}, client_sp_step)

        async def consent(resource: str, scope: str):
            return None, {"grant_id": await run.grant(client_sp, resource, scope)}
        await run.step("consent_server", {"scope": SCOPE_VALUE},
                       lambda: consent(server_sp, SCOPE_VALUE))
        await run.step("consent_graph", {"scope": "User.Read"}, lambda: consent(graph_sp, "User.Read"))
    except CloudError as exc:
        journal.end(op, "failed", {"message": exc.message})
        # A secret added before the failure is shown nowhere else: the caller can still save it.
        exc.secret = secret  # type: ignore[attr-defined]
        raise
    result = CreatedApps(org.tenant_id, summarize_app(server), summarize_app(client), server_sp,
                         client_sp, uri, made["server_app"], made["client_app"])
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

    An app found already made that has a secret keeps it (a rerun adds none). A secret is not
    idempotent: when a previous run recorded the intent but not the outcome, a secret may exist
    whose text nobody has. Such orphans (keys not in the intent's ``existing_key_ids``) are
    removed, then one new secret is added, so the app keeps exactly one secret per successful run.
    """
    if spec.secret_months is None:
        return None
    if run.previous is not None and "server_secret" in run.previous.done_steps:
        key = run.previous.done_steps["server_secret"].get("key_id", "")
        run.log(f"A client secret was already added (key ID {key}); not adding another")
        return None
    app = await run.graph.get_app_raw(server.id, replication=True)
    before = [str(p.key_id) for p in app.password_credentials or []]
    lost = run.previous is not None and "server_secret" in run.previous.open_steps
    if before and not run.created_server and not lost:
        run.log(f"The existing server app already has {len(before)} client secret(s); not adding "
                "another (add one explicitly if you need a new one)")
        return None
    if lost:
        known = set(run.previous.intents.get("server_secret", {}).get("existing_key_ids", before))
        for key_id in [k for k in before if k not in known]:
            run.log(f"Removing client secret {key_id}: an earlier attempt added it but its text was lost")
            await run.graph.remove_client_secret(server.id, key_id, log=run.log)
        before = [k for k in before if k in known]

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
    builder = graph.client.service_principals.by_service_principal_id(server_sp).app_role_assignments
    existing = await graph.call(lambda: builder.get(), "read the server app's permissions", replication=True)
    for item in await graph.collect(existing, builder, "read the server app's permissions"):
        if str(item.app_role_id) == role_id and str(item.resource_id) == graph_sp:
            run.log("Directory.Read.All is already granted to the server app")
            return None, {"assignment_id": item.id}
    run.log("Granting Directory.Read.All (application) to the server app")
    body = AppRoleAssignment(principal_id=uuid.UUID(server_sp), resource_id=uuid.UUID(graph_sp),
                             app_role_id=uuid.UUID(role_id))
    try:
        made = await graph.call(lambda: graph.client.service_principals.by_service_principal_id(
            graph_sp).app_role_assigned_to.post(body), "grant Directory.Read.All", idempotent=False,
            role=GRAPH_APP_ROLE_TEXT, log=run.log, replication=True)
    except CloudError as error:
        if error.status != 409:
            raise
        run.log("Directory.Read.All was granted by an earlier attempt; waiting for Graph to list it")
        return await graph.call(lambda: _require_assignment(graph, server_sp, graph_sp, role_id),
                                "read the server app's permissions", replication=True)
    return None, {"assignment_id": made.id}


async def _require_assignment(graph: GraphGateway, server_sp: str, graph_sp: str, role_id: str):
    builder = graph.client.service_principals.by_service_principal_id(server_sp).app_role_assignments
    for item in await graph.collect(await builder.get(), builder, "read the server app's permissions"):
        if str(item.app_role_id) == role_id and str(item.resource_id) == graph_sp:
            return None, {"assignment_id": item.id}
    raise CloudError("not_found", "The app role assignment is not listed yet.", "Try again.",
                     status=404, code="Request_ResourceNotFound")


def record_created(entra: EntraPart, created: CreatedApps | None, secret: ClientSecret | None, *,
                   tenant_name: str = "", lost: dict[str, Any] | None = None) -> None:
    """Write what a creation made into Part 2 of a profile: the IDs, the app ID URI and the
    secret's key ID and expiry, never its text (the TUI and ``cmgtui entra create`` both use it).

    ``lost`` is the journal's record of a secret added by an interrupted run whose value was
    never shown: with no new secret, its key ID and expiry are what the tenant holds.
    """
    if created is not None:
        entra.path = EntraPath.CREATE_HERE
        entra.tenant_id = created.tenant_id
        entra.tenant_name = tenant_name or entra.tenant_name
        entra.server_app.display_name = created.server.display_name
        entra.server_app.app_id, entra.server_app.object_id = created.server.app_id, created.server.object_id
        entra.server_app.app_id_uri = created.app_id_uri
        entra.client_app.display_name = created.client.display_name
        entra.client_app.app_id, entra.client_app.object_id = created.client.app_id, created.client.object_id
    if secret is not None:
        entra.server_app.secret_key_id = secret.key_id
        entra.server_app.secret_expiry = datetime.fromisoformat(secret.end_date_time)
    elif lost and lost.get("key_id") and not entra.server_app.secret_key_id:
        entra.server_app.secret_key_id = str(lost["key_id"])
        entra.server_app.secret_expiry = datetime.fromisoformat(str(lost["expires"]))


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
