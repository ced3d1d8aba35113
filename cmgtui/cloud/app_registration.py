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

A client secret exists once, in Graph's answer to ``addPassword``: it goes to the caller's
:data:`SecretSink` (a 0600 file, fsynced) before anything else, and only then does the journal
record where it went; one the sink cannot take is removed again (``removePassword``). A rerun
keeps a secret the journal says was saved and replaces one it does not (:func:`_secret_step`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
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
from cmgtui.cloud.models import ClientSecret, CreatedApps, Creation, SecretDelivery
from cmgtui.model.enums import EntraPath
from cmgtui.model.profile import EntraPart
from cmgtui.cloud.retry import LogFn, quiet

KIND = "create_apps"
#: The journal step of the server app's client secret; its ``done`` line names the file that holds it.
SECRET_STEP = "server_secret"

#: Writes a new secret to its file, durably, and returns the file's path; raises OSError when it cannot.
SecretSink = Callable[[ClientSecret], str]


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
                      deliver: SecretSink | None = None, log: LogFn = quiet, op: str | None = None,
                      previous: PendingOperation | None = None) -> Creation:
    """Create (or find) both apps per domain sheet §4.2; returns them and the secret, if one was added.

    A new secret goes to ``deliver`` the moment Graph returns it (see :func:`_secret_step`);
    its text is otherwise only in the returned :class:`Creation`, never journaled or logged.
    ``op``/``previous`` are set by :func:`resume_pending`.
    """
    op = op or journal.begin(KIND, spec.to_json())
    run = _Run(graph, journal, op, previous, log)
    secret: ClientSecret | None = None
    delivery: SecretDelivery | None = None
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
        secret, delivery = await _secret_step(run, server, spec, deliver)

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
        raise CreationFailed(exc, secret, delivery) from exc
    result = CreatedApps(org.tenant_id, summarize_app(server), summarize_app(client), server_sp,
                         client_sp, uri, made["server_app"], made["client_app"])
    journal.end(op, "completed", {"server_app_id": result.server.app_id,
                                  "client_app_id": result.client.app_id})
    log("Both app registrations are ready")
    return Creation(result, secret, delivery)


def _scope_id(server: Any) -> str:
    for scope in (server.api.oauth2_permission_scopes if server.api else None) or []:
        if scope.value == SCOPE_VALUE:
            return str(scope.id)
    raise CloudError("unexpected", f"The server app '{server.display_name}' exposes no "
                     f"{SCOPE_VALUE} scope.", "Add the scope in the portal (Expose an API), or "
                     "delete the app and create it again here.")


async def _secret_step(run: _Run, server: Any, spec: AppSpec,
                       deliver: SecretSink | None) -> tuple[ClientSecret | None, SecretDelivery | None]:
    """Add the server app's secret unless one cmgtui delivered is already there.

    A secret exists once, in Graph's answer: it is handed to ``deliver`` (which writes it to
    its file, durably) before anything else, and only then does the journal's ``done`` line
    say where it went. A secret that cannot be delivered is removed again (removePassword).
    On a rerun, a secret the earlier run delivered is kept; one it added but never delivered
    (its ``intent`` has no ``done``: the process died or the file could not be written) is
    removed — those are the keys not in the intent's ``existing_key_ids`` — and one new
    secret is added, so the tenant holds no secret that no file holds.
    """
    if spec.secret_months is None:
        return None, None
    previous = run.previous
    done = previous.done_steps.get(SECRET_STEP) if previous is not None else None
    if done is not None and done.get("file"):
        delivery = SecretDelivery(str(done.get("key_id", "")), str(done.get("expires", "")), str(done["file"]))
        run.log(f"The client secret added by the earlier run (key ID {delivery.key_id}) was saved to "
                f"{delivery.file}; not adding another")
        return None, delivery
    app = await run.graph.get_app_raw(server.id, replication=True)
    before = [str(p.key_id) for p in app.password_credentials or []]
    undelivered: list[str] = []
    if done is not None:  # added, never saved to a file (an older cmgtui saved it only at the very end)
        undelivered = [k for k in before if k == str(done.get("key_id", ""))]
    elif previous is not None and SECRET_STEP in previous.intents:
        known = set(previous.intents[SECRET_STEP].get("existing_key_ids", before))
        undelivered = [k for k in before if k not in known]
    interrupted = previous is not None and (done is not None or SECRET_STEP in previous.intents)
    if before and not run.created_server and not interrupted:
        earlier = _earlier_delivery(run.journal, before)
        if earlier is not None:
            run.log(f"The server app keeps the client secret saved earlier to {earlier.file} "
                    f"(key ID {earlier.key_id}); not adding another")
        else:
            run.log(f"The existing server app already has {len(before)} client secret(s); not adding "
                    "another (add one explicitly if you need a new one)")
        return None, earlier
    for key_id in undelivered:
        run.log(f"Removing client secret {key_id}: an earlier attempt added it but no file received it")
        await run.graph.remove_client_secret(server.id, key_id, log=run.log)
    before = [k for k in before if k not in undelivered]
    run.journal.intent(run.op, SECRET_STEP, {"existing_key_ids": before})
    try:
        secret = await run.graph.add_client_secret(server.id, spec.secret_months, log=run.log)
    except CloudError as exc:
        run.journal.failed(run.op, SECRET_STEP, exc.message)
        raise
    if deliver is None:  # held in memory only: a rerun counts it as never delivered
        run.journal.done(run.op, SECRET_STEP, {"key_id": secret.key_id, "expires": secret.end_date_time})
        return secret, None
    try:
        where = deliver(secret)
    except OSError as exc:
        raise await _undeliverable(run, server, secret, exc) from None
    delivery = SecretDelivery(secret.key_id, secret.end_date_time, where)
    run.journal.done(run.op, SECRET_STEP, {"key_id": secret.key_id, "expires": secret.end_date_time,
                                           "file": where})
    run.log(f"Client secret saved to {where} (readable by you only)")
    return secret, delivery


async def _undeliverable(run: _Run, server: Any, secret: ClientSecret, exc: OSError) -> CloudError:
    """Remove a secret no file could take (disk full, no permission); the error to raise."""
    reason = exc.strerror or str(exc)
    target = f" {exc.filename}" if exc.filename else ""
    run.journal.failed(run.op, SECRET_STEP, f"could not write the secret file: {reason}")
    run.log(f"Could not write the secret file{target}: {reason}; removing the client secret "
            f"{secret.key_id} so that none exists that no file holds")
    try:
        await run.graph.remove_client_secret(server.id, secret.key_id, log=run.log)
    except CloudError as removal:
        return CloudError("invalid", f"The client secret could not be written to the file{target} "
                          f"({reason}), and removing it from the server app failed: {removal.message}",
                          "Run the creation again: it removes the unsaved secret (key ID "
                          f"{secret.key_id}) and adds a new one. Choose a file on a disk with space.")
    run.journal.done(run.op, "secret_removed", {"key_id": secret.key_id})
    return CloudError("invalid", f"The client secret could not be written to the file{target} "
                      f"({reason}), so it was removed from the server app again (key ID {secret.key_id}); "
                      "no secret exists that no file holds.",
                      "Choose a file on a disk with space that you can write to, then create again "
                      "(a new secret is added).")


def _earlier_delivery(journal: OperationsJournal, key_ids: list[str]) -> SecretDelivery | None:
    """The newest secret the journal says cmgtui saved to a file that the app still holds."""
    for data in reversed(journal.step_outcomes(SECRET_STEP)):
        if data.get("file") and str(data.get("key_id", "")) in key_ids:
            return SecretDelivery(str(data["key_id"]), str(data.get("expires", "")), str(data["file"]))
    return None


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


def record_created(entra: EntraPart, created: CreatedApps | None, delivery: SecretDelivery | None, *,
                   tenant_name: str = "") -> None:
    """Write what a creation made into Part 2 of a profile: the IDs, the app ID URI and the
    secret's key ID and expiry, never its text (the one place both fronts record a creation).

    ``delivery`` is the secret this run or an earlier one saved to a file: a new one always
    replaces the recorded key; one saved earlier fills the key only when none is recorded.
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
    if delivery is not None and delivery.key_id:
        entra.server_app.secret_key_id = delivery.key_id
        if delivery.expires:
            entra.server_app.secret_expiry = datetime.fromisoformat(delivery.expires)


def unfinished(journal: OperationsJournal) -> PendingOperation | None:
    """The newest app creation the journal shows as unfinished (the one a resume continues)."""
    found = [p for p in journal.pending() if p.kind == KIND]
    return found[-1] if found else None


async def resume(graph: GraphGateway, journal: OperationsJournal, pending: PendingOperation, *,
                 deliver: SecretSink | None = None, log: LogFn = quiet) -> Creation:
    """Re-run the unfinished creation ``pending``: every step finds before it creates."""
    log(f"Resuming app creation {pending.op} (unfinished steps: {', '.join(pending.open_steps) or 'none'})")
    try:
        spec = AppSpec(**pending.inputs)
    except (TypeError, ValueError) as exc:
        raise CreationFailed(CloudError(
            "invalid", f"The journal's record of the unfinished creation cannot be used ({exc}).",
            "Create the apps again from Part 2's settings; existing apps are found and reused."), None, None) from None
    return await create_apps(graph, spec, journal, deliver=deliver, log=log, op=pending.op, previous=pending)


class CreationFailed(CloudError):
    """An app creation stopped with ``error``; ``secret`` and ``delivery`` are what it had
    already added and saved (the secret's text for its one-time display, where it went)."""

    def __init__(self, error: CloudError, secret: ClientSecret | None, delivery: SecretDelivery | None) -> None:
        super().__init__(error.kind, error.message, error.what_to_do, status=error.status, code=error.code)
        self.secret = secret
        self.delivery = delivery
