"""Microsoft Graph gateway: tenant, signed-in user and roles, applications, service principals.

The Graph client is built per ARCHITECTURE §5: an ``httpx.AsyncClient`` whose SSL context
trusts the sandbox CA (system trust in production), wrapped with the Graph client factory's
default middleware (its retry handler switched off: :mod:`cmgtui.cloud.retry` is the one
retry policy), an ``AzureIdentityAuthenticationProvider`` whose allowed hosts include the
Graph host (otherwise no token is sent), and the adapter's base URL set to the session's
Graph endpoint. The SDK has no public close, so :meth:`GraphGateway.close` closes the
transport. Methods return the plain dataclasses of :mod:`cmgtui.cloud.models`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cmgtui.cloud.credentials import CloudSession
from cmgtui.cloud.models import AppSummary, ClientSecret, Organization, SignedInUser
from cmgtui.cloud.retry import LogFn, quiet, with_retry

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"

#: Directory role template IDs of the roles that matter for the CMG app registrations.
ROLE_TEMPLATES: dict[str, str] = {
    "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
    "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
    "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
    "cf1c38e5-3621-4004-a7cb-879624dced7c": "Application Developer",
}
APP_ROLE_TEXT = ("the Global Administrator role (or Cloud Application Administrator / "
                 "Application Administrator) in Microsoft Entra ID")
CONSENT_ROLE_TEXT = ("the Global Administrator role (or Privileged Role Administrator / Cloud Application "
                     "Administrator / Application Administrator) in Microsoft Entra ID (admin consent)")
GRAPH_APP_ROLE_TEXT = ("the Global Administrator or Privileged Role Administrator role in Microsoft Entra "
                       "ID (granting Microsoft Graph application permissions)")
#: Seconds to wait before each retry while Graph replicates a new object (about a minute in all).
REPLICATION_DELAYS = (1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0, 15.0)
#: What an app-only (service principal) sign-in cannot check, for the message that says so.
APP_ONLY_SKIPS = ("directory roles of the signed-in administrator (Global Administrator, V29)",
                  "PIM-eligible roles")


def _quote(value: str) -> str:
    """An OData string literal body (single quotes doubled)."""
    return value.replace("'", "''")


def warm_up_graph() -> None:
    """Load the Graph SDK client, its async HTTP backend, the request builders that the sign-in
    and the live checks use and the ~1,200 model modules that the first response parses import
    (about 1.3 s of imports).

    Blocking: run it in a thread (the sign-in does, before its first Graph call). Imported
    on the event loop instead, it froze the screen for 0.7 s right after start-up, so that
    keys typed then waited; what it left out (anyio's asyncio backend, which httpcore loads on
    the first request, the signed-in user's model and the live checks' request builders) still
    froze it for about a tenth of a second each. Parses tiny local payloads; no network.
    """
    import anyio._backends._asyncio  # noqa: F401 - httpcore's async backend, loaded at the first request
    import anyio.streams.tls  # noqa: F401
    import httpcore  # noqa: F401 - httpx imports it only when the Graph client makes its transport
    import msgraph  # noqa: F401 - the client and its request adapter
    import msgraph.generated.organization.organization_request_builder  # noqa: F401
    import msgraph.generated.role_management.directory.role_eligibility_schedule_instances.filter_by_current_user_with_on.filter_by_current_user_with_on_request_builder  # noqa: F401,E501
    import msgraph.generated.users.item.transitive_member_of.graph_directory_role.graph_directory_role_request_builder  # noqa: F401,E501
    import msgraph.generated.users.item.user_item_request_builder  # noqa: F401
    from kiota_serialization_json.json_parse_node_factory import JsonParseNodeFactory
    from msgraph.generated.models.directory_role_collection_response import DirectoryRoleCollectionResponse
    from msgraph.generated.models.o_data_errors.o_data_error import ODataError  # noqa: F401 - an error answer's model
    from msgraph.generated.models.organization_collection_response import (
        OrganizationCollectionResponse,
    )
    from msgraph.generated.models.user import User

    factory = JsonParseNodeFactory()
    for payload, model in ((b'{"value": [{"id": "x"}]}', OrganizationCollectionResponse),
                           (b'{"value": [{"id": "x"}]}', DirectoryRoleCollectionResponse),
                           (b'{"id": "x", "userPrincipalName": "x"}', User)):
        factory.get_root_parse_node("application/json", payload).get_object_value(model)


def summarize_app(app: Any) -> AppSummary:
    """An SDK ``Application`` as a plain AppSummary."""
    return AppSummary(app.id or "", str(app.app_id or ""), app.display_name or "",
                      tuple(app.identifier_uris or ()), tuple(app.tags or ()))


class GraphGateway:
    """Async Graph calls for one session. Use ``async with GraphGateway(session) as graph:``."""

    def __init__(self, session: CloudSession, *, attempts: int = 5) -> None:
        self._session = session
        self._attempts = attempts
        self._http: Any = None
        self._client: Any = None

    @property
    def client(self) -> Any:
        """The ``GraphServiceClient`` (built on first use)."""
        if self._client is None:
            self._client = self._build()
        return self._client

    def _build(self) -> Any:
        import ssl

        import httpx
        from kiota_authentication_azure.azure_identity_authentication_provider import (
            AzureIdentityAuthenticationProvider,
        )
        from kiota_http.middleware.options import RetryHandlerOption
        from msgraph import GraphServiceClient
        from msgraph.graph_request_adapter import GraphRequestAdapter
        from msgraph.graph_request_adapter import options as graph_options
        from msgraph_core import GraphClientFactory

        ca = self._session.ca_path
        verify: Any = ssl.create_default_context(cafile=str(ca)) if ca is not None else True
        http = httpx.AsyncClient(verify=verify, timeout=httpx.Timeout(30.0))
        no_retry = RetryHandlerOption(max_retries=0, should_retry=False)
        # The SDK's own options (the /me URL replacement, telemetry) plus retries switched off.
        http = GraphClientFactory.create_with_default_middleware(
            client=http, options={**graph_options, RetryHandlerOption.get_key(): no_retry})
        self._http = http
        auth = AzureIdentityAuthenticationProvider(
            self._session.credential, scopes=[self._session.graph_scope],
            allowed_hosts=[self._session.graph_host])
        adapter = GraphRequestAdapter(auth, client=http)
        adapter.base_url = self._session.graph_base_url
        return GraphServiceClient(request_adapter=adapter)

    async def close(self) -> None:
        """Close the HTTP transport (the Graph SDK offers no public close)."""
        if self._http is not None:
            await self._http.aclose()
        self._http = None
        self._client = None

    async def __aenter__(self) -> GraphGateway:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def call(self, make, action: str, *, idempotent: bool = True, role: str = "",
                   log: LogFn | None = None, replication: bool = False) -> Any:
        """Await ``make()`` (a new SDK coroutine per attempt) with the shared retry policy.

        ``replication`` marks a call on an object created moments ago: Graph's 404
        ``Request_ResourceNotFound`` and 400 "does not reference a valid application object"
        then mean "not replicated yet" and are retried with :data:`REPLICATION_DELAYS`.
        """
        self._session.ensure_signed_in()
        scale = self._session.replication_delay_scale
        extra: dict[str, Any] = {}
        if replication:
            extra = {"retry_if": lambda e: e.replication_lag,
                     "delays": lambda attempt: REPLICATION_DELAYS[min(attempt, len(REPLICATION_DELAYS)) - 1]
                     * scale}
        return await with_retry(make, action=action, idempotent=idempotent,
                                attempts=max(self._attempts, len(REPLICATION_DELAYS) + 1) if replication
                                else self._attempts, needed_role=role, log=log, sleep=self._session.sleep,
                                on_unauthorized=self._session.credential.clear, **extra)

    async def collect(self, first: Any, builder: Any, action: str, headers: dict[str, str] | None = None) -> list[Any]:
        """Every item of a collection: ``first`` page plus the pages its ``@odata.nextLink`` names
        (requested with the same ``headers``, e.g. ``ConsistencyLevel`` for advanced queries)."""
        from kiota_abstractions.base_request_configuration import RequestConfiguration

        items = list((first.value if first is not None else None) or [])
        link = getattr(first, "odata_next_link", None) if first is not None else None
        config = RequestConfiguration()
        for key, value in (headers or {}).items():
            config.headers.add(key, value)
        while link:
            page = await self.call(lambda url=link: builder.with_url(url).get(request_configuration=config), action)
            items.extend((page.value if page is not None else None) or [])
            link = getattr(page, "odata_next_link", None) if page is not None else None
        return items

    # Tenant and user ------------------------------------------------------------------------

    async def organization(self) -> Organization:
        """Tenant ID, display name and verified domains (``GET /organization``)."""
        result = await self.call(lambda: self.client.organization.get(), "read the tenant")
        org = (result.value or [None])[0] if result is not None else None
        if org is None:
            from cmgtui.cloud.errors import CloudError

            raise CloudError("not_found", "Could not read the tenant: Graph returned no organization.",
                             "Check that you signed in to the right Microsoft Entra tenant.")
        domains = org.verified_domains or []
        initial = next((d.name for d in domains if d.is_initial), "") or ""
        default = next((d.name for d in domains if d.is_default), "") or ""
        return Organization(org.id or "", org.display_name or "",
                            tuple(d.name for d in domains if d.name), initial, default)

    async def signed_in_user(self) -> SignedInUser:
        """The signed-in user, their active CMG-relevant directory roles and their PIM-eligible ones.

        ``/me/transitiveMemberOf/microsoft.graph.directoryRole`` is an advanced query: it is sent
        with ``ConsistencyLevel: eventual`` and ``$count=true``. It lists active roles only, so
        eligible (not activated) assignments are read from ``roleEligibilityScheduleInstances``;
        when that is not allowed, ``eligible_roles`` stays empty. A service principal sign-in has
        no user: ``/me`` is not called and the result says ``app_only``.
        """
        if self._session.app_only:
            return SignedInUser("", "service principal", "service principal", app_only=True)
        from kiota_abstractions.base_request_configuration import RequestConfiguration
        from msgraph.generated.users.item.transitive_member_of.graph_directory_role.graph_directory_role_request_builder import (  # noqa: E501
            GraphDirectoryRoleRequestBuilder,
        )

        me = await self.call(lambda: self.client.me.get(), "read your user account")
        builder = self.client.me.transitive_member_of.graph_directory_role
        config = RequestConfiguration(
            query_parameters=GraphDirectoryRoleRequestBuilder.GraphDirectoryRoleRequestBuilderGetQueryParameters(
                count=True))
        config.headers.add("ConsistencyLevel", "eventual")
        first = await self.call(lambda: builder.get(request_configuration=config), "read your directory roles")
        roles = await self.collect(first, builder, "read your directory roles", {"ConsistencyLevel": "eventual"})
        names = {ROLE_TEMPLATES[t] for t in (str(r.role_template_id or "").lower() for r in roles)
                 if t in ROLE_TEMPLATES}
        return SignedInUser(me.id or "", me.user_principal_name or "", me.display_name or "",
                            tuple(sorted(names)), tuple(sorted(set(await self._eligible_roles()) - names)))

    async def _eligible_roles(self) -> list[str]:
        """Display names of the user's PIM-eligible directory roles (empty when unreadable)."""
        from cmgtui.cloud.errors import CloudError

        builder = self.client.role_management.directory.role_eligibility_schedule_instances \
            .filter_by_current_user_with_on("principal")
        try:
            first = await self.call(lambda: builder.get(), "read your eligible roles")
            items = await self.collect(first, builder, "read your eligible roles")
        except CloudError:
            return []
        return [ROLE_TEMPLATES[str(i.role_definition_id or "").lower()] for i in items
                if str(i.role_definition_id or "").lower() in ROLE_TEMPLATES]

    # Applications ---------------------------------------------------------------------------

    async def _list_apps(self, flt: str) -> list[Any]:
        from kiota_abstractions.base_request_configuration import RequestConfiguration
        from msgraph.generated.applications.applications_request_builder import (
            ApplicationsRequestBuilder,
        )

        config = RequestConfiguration(
            query_parameters=ApplicationsRequestBuilder.ApplicationsRequestBuilderGetQueryParameters(
                filter=flt))
        result = await self.call(lambda: self.client.applications.get(request_configuration=config),
                                 "search app registrations")
        return await self.collect(result, self.client.applications, "search app registrations")

    async def find_apps_raw(self, *, display_name: str = "", app_id: str = "") -> list[Any]:
        """SDK ``Application`` objects with this display name or app ID (for the creator)."""
        if app_id:
            return await self._list_apps(f"appId eq '{_quote(app_id)}'")
        if display_name:
            return await self._list_apps(f"displayName eq '{_quote(display_name)}'")
        raise ValueError("Give a display name or an app ID to search for.")

    async def find_apps(self, *, display_name: str = "", app_id: str = "") -> list[AppSummary]:
        """App registrations with this display name or app (client) ID."""
        return [summarize_app(a) for a in await self.find_apps_raw(display_name=display_name,
                                                                     app_id=app_id)]

    async def get_app_raw(self, object_id: str, *, replication: bool = False) -> Any:
        """The full SDK ``Application`` by object ID (``replication``: it may be brand new)."""
        return await self.call(lambda: self.client.applications.by_application_id(object_id).get(),
                               "read the app registration", replication=replication)

    async def add_client_secret(self, app_object_id: str, months: int, *, display_name: str = "cmgtui",
                                log: LogFn = quiet) -> ClientSecret:
        """Add a client secret valid for 12 or 24 months; its text is returned once, never logged."""
        if months not in (12, 24):
            raise ValueError("A client secret lasts 12 or 24 months.")
        from msgraph.generated.applications.item.add_password.add_password_post_request_body import (
            AddPasswordPostRequestBody,
        )
        from msgraph.generated.models.password_credential import PasswordCredential

        start = datetime.now(UTC)
        end = start + timedelta(days=round(months * 30.44))
        body = AddPasswordPostRequestBody(password_credential=PasswordCredential(
            display_name=display_name, start_date_time=start, end_date_time=end))
        log(f"Adding a client secret valid for {months} months")
        created = await self.call(
            lambda: self.client.applications.by_application_id(app_object_id).add_password.post(body),
            "add a client secret", idempotent=False, role=APP_ROLE_TEXT, log=log, replication=True)
        expiry = created.end_date_time.isoformat() if created.end_date_time else end.isoformat()
        log(f"Client secret added (key ID {created.key_id}, expires {expiry[:10]})")
        return ClientSecret(str(created.key_id or ""), expiry, created.hint or "",
                            created.secret_text or "")

    async def remove_client_secret(self, app_object_id: str, key_id: str, *, log: LogFn = quiet) -> None:
        """Remove the client secret ``key_id`` (``POST /applications/{id}/removePassword``)."""
        import uuid

        from msgraph.generated.applications.item.remove_password.remove_password_post_request_body import (
            RemovePasswordPostRequestBody,
        )

        body = RemovePasswordPostRequestBody(key_id=uuid.UUID(key_id))
        await self.call(lambda: self.client.applications.by_application_id(app_object_id).remove_password.post(body),
                        "remove a client secret", role=APP_ROLE_TEXT, log=log, replication=True)

    # Service principals ---------------------------------------------------------------------

    async def find_service_principal(self, app_id: str) -> Any | None:
        """The SDK ``ServicePrincipal`` of ``app_id``, or None."""
        from kiota_abstractions.base_request_configuration import RequestConfiguration
        from msgraph.generated.service_principals.service_principals_request_builder import (
            ServicePrincipalsRequestBuilder,
        )

        params = ServicePrincipalsRequestBuilder.ServicePrincipalsRequestBuilderGetQueryParameters(
            filter=f"appId eq '{_quote(app_id)}'")
        config = RequestConfiguration(query_parameters=params)
        result = await self.call(
            lambda: self.client.service_principals.get(request_configuration=config),
            "look up a service principal")
        found = await self.collect(result, self.client.service_principals, "look up a service principal")
        return found[0] if found else None

    async def graph_permission_ids(self) -> tuple[str, dict[str, str], dict[str, str]]:
        """Microsoft Graph's service principal ID, app role IDs and delegated scope IDs by value.

        IDs are read from the tenant rather than hard-coded (domain sheet §4.2).
        """
        sp = await self.find_service_principal(GRAPH_APP_ID)
        if sp is None:
            from cmgtui.cloud.errors import CloudError

            raise CloudError("not_found", "Microsoft Graph's service principal is missing in the tenant.",
                             "This tenant cannot grant Graph permissions; contact Microsoft support.")
        roles = {r.value: str(r.id) for r in sp.app_roles or [] if r.value}
        scopes = {s.value: str(s.id) for s in sp.oauth2_permission_scopes or [] if s.value}
        return sp.id or "", roles, scopes
