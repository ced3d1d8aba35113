"""Azure Resource Manager gateway: subscriptions, regions, groups, providers, roles, names.

Built from a :class:`~cmgtui.cloud.credentials.CloudSession`. It uses the async clients of
``azure-mgmt-resource`` (``ResourceManagementClient`` and ``SubscriptionClient``) where they
cover a call, and the same authenticated pipeline's ``send_request`` for the rest (storage,
key vault and DNS-label name checks, ``Microsoft.Authorization``). Each method retries
throttling through :func:`~cmgtui.cloud.retry.with_retry` and returns plain dataclasses.
Use it as ``async with ArmGateway(session) as arm:`` so its HTTP sessions get closed.

The clients' pipelines are built here without azure-mgmt-core's
``ARMAutoResourceProviderRegistrationPolicy``: on a ``409 MissingSubscriptionRegistration`` that
policy POSTs ``register`` and polls without a bound, so a read-only pre-flight would write and
hang. Here the 409 reaches the caller, and name checks report the namespace as unregistered.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

from cmgtui.cloud.credentials import CloudSession
from cmgtui.cloud.errors import from_status, parse_retry_after
from cmgtui.cloud.models import (
    GroupPlacement,
    Location,
    NameCheck,
    NameReport,
    OwnerCheck,
    PolicyAssignment,
    ProviderState,
    ResourceGroup,
    SkuOffer,
    Subscription,
    Usage,
)
from cmgtui.cloud.retry import LogFn, quiet, with_retry
from cmgtui.domain.azure.names import PREFIX_PATTERN

CMG_PROVIDERS = ("Microsoft.Compute", "Microsoft.Network", "Microsoft.KeyVault", "Microsoft.Storage")
OWNER_ROLE_ID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
PROVIDERS_API = "2021-04-01"
STORAGE_API = "2023-01-01"
KEYVAULT_API = "2022-07-01"
NETWORK_API = "2024-05-01"
AUTHORIZATION_API = "2022-04-01"
SKUS_API = "2021-07-01"
USAGES_API = "2024-07-01"
POLICY_API = "2023-04-01"
DEPLOYMENTS_API = "2025-04-01"
#: How many times an asynchronous validation's Location is polled before giving up.
VALIDATE_POLLS = 60
OWNER_ROLE_TEXT = "the Owner role on the subscription"
#: Built-in role definition IDs by name (Azure built-in roles reference).
ROLE_NAMES = {"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
              "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
              "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
              "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator"}
#: The write that only Owner-level rights include (Contributor's notActions exclude it).
_AUTHORIZATION_WRITE = "microsoft.authorization/roleassignments/write"


def _matches(pattern: str, action: str) -> bool:
    """ARM action wildcard match (``*`` spans any characters, case-insensitive)."""
    regex = "^" + re.escape(pattern.lower()).replace(r"\*", ".*") + "$"
    return re.match(regex, action.lower()) is not None


def entry_grants(entry: dict, action: str) -> bool:
    """Whether one permissions entry allows ``action`` (in ``actions``, not in ``notActions``)."""
    return (any(_matches(a, action) for a in entry.get("actions", []))
            and not any(_matches(n, action) for n in entry.get("notActions", [])))


def role_of_entry(entry: dict) -> str:
    """The built-in role a permissions entry has the shape of, or "a custom role"."""
    actions = {a.lower() for a in entry.get("actions", [])}
    not_actions = entry.get("notActions", [])
    if actions == {"*"}:
        return "Contributor" if not_actions else "Owner"
    if actions == {"*/read"} and not not_actions:
        return "Reader"
    if "microsoft.authorization/*" in actions and "*" not in actions:
        return "User Access Administrator"
    return "a custom role"


def arm_policies(credential: Any, scopes: list[str], **kwargs: Any) -> list[Any]:
    """The ARM pipeline azure-mgmt-resource builds, minus the auto-registration policy."""
    from azure.core.pipeline import policies
    from azure.mgmt.core.policies import ARMHttpLoggingPolicy, AsyncARMChallengeAuthenticationPolicy

    return [
        policies.RequestIdPolicy(**kwargs),
        policies.HeadersPolicy(**kwargs),
        policies.UserAgentPolicy(sdk_moniker="cmgtui", **kwargs),
        policies.ProxyPolicy(**kwargs),
        policies.ContentDecodePolicy(**kwargs),
        policies.AsyncRedirectPolicy(**kwargs),
        policies.AsyncRetryPolicy(retry_total=0),
        AsyncARMChallengeAuthenticationPolicy(credential, *scopes, **kwargs),
        policies.CustomHookPolicy(**kwargs),
        policies.NetworkTraceLoggingPolicy(**kwargs),
        policies.DistributedTracingPolicy(**kwargs),
        policies.SensitiveHeaderCleanupPolicy(**kwargs),
        ARMHttpLoggingPolicy(**kwargs),
    ]


def _text(value: Any) -> str:
    """An SDK enum's wire value (``Enabled``), or the string itself."""
    return str(getattr(value, "value", value) or "")


def warm_up_arm() -> None:
    """Load the Resource Manager clients, their models and their HTTP transport (aiohttp, whose
    import also builds its default SSL contexts): about 0.3 s of imports and set-up that the
    first ARM call would otherwise do on the event loop, freezing the screen.

    Blocking: run it in a thread before the first ARM call (the live checks after a sign-in
    do). No network.
    """
    import azure.core.pipeline.transport._aiohttp  # noqa: F401 - the async transport every client builds
    import azure.core.rest._aiohttp  # noqa: F401 - its responses
    import azure.mgmt.core.polling.async_arm_polling  # noqa: F401
    import azure.mgmt.resource.resources.aio  # noqa: F401
    import azure.mgmt.resource.subscriptions.aio  # noqa: F401


class ArmGateway:
    """Async ARM calls for one session; clients are created per subscription and cached."""

    def __init__(self, session: CloudSession, *, attempts: int = 5) -> None:
        self._session = session
        self._attempts = attempts
        self._clients: dict[str, Any] = {}
        self._subscription_client: Any = None

    def _client_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "base_url": self._session.endpoints.arm_endpoint,
            "credential_scopes": [self._session.endpoints.arm_scope],
            "retry_total": 0,
        }
        if self._session.ca_path is not None:
            kwargs["connection_verify"] = str(self._session.ca_path)
        kwargs["policies"] = arm_policies(self._session.credential, [self._session.endpoints.arm_scope])
        return kwargs

    def _resources(self, subscription_id: str) -> Any:
        client = self._clients.get(subscription_id)
        if client is None:
            from azure.mgmt.resource.resources.aio import ResourceManagementClient

            client = ResourceManagementClient(self._session.credential, subscription_id,
                                              **self._client_kwargs())
            self._clients[subscription_id] = client
        return client

    def _subscriptions(self) -> Any:
        if self._subscription_client is None:
            from azure.mgmt.resource.subscriptions.aio import SubscriptionClient

            self._subscription_client = SubscriptionClient(self._session.credential,
                                                           **self._client_kwargs())
        return self._subscription_client

    async def close(self) -> None:
        """Close every client's HTTP session."""
        clients = [*self._clients.values()]
        if self._subscription_client is not None:
            clients.append(self._subscription_client)
        self._clients.clear()
        self._subscription_client = None
        for client in clients:
            await client.close()

    async def __aenter__(self) -> ArmGateway:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _retry(self, call, action: str, *, idempotent: bool = True, role: str = "",
                     log: LogFn | None = None):
        """Run ``call`` under the retry policy, refusing when the session is signed out."""
        self._session.ensure_signed_in()
        return await with_retry(call, action=action, idempotent=idempotent, attempts=self._attempts,
                                needed_role=role, log=log, sleep=self._session.sleep,
                                on_unauthorized=self._session.credential.clear)

    async def _raw(self, subscription_id: str, method: str, path: str, *, action: str,
                   params: dict[str, str], body: dict | None = None, role: str = "") -> dict:
        """Send a request the clients do not wrap, through the same authenticated pipeline."""
        from azure.core.rest import HttpRequest

        client = self._resources(subscription_id)
        url = f"{self._session.endpoints.arm_endpoint.rstrip('/')}{path}"
        request = HttpRequest(method, url, params=params, json=body)
        response = await client.send_request(request)
        await response.read()
        if response.status_code >= 400:
            try:
                error = (response.json() or {}).get("error") or {}
            except ValueError:
                error = {}
            raise from_status(response.status_code, error.get("code", ""), error.get("message", ""),
                              action=action, needed_role=role,
                              retry_after=parse_retry_after(response.headers.get("Retry-After")))
        return response.json() if response.content else {}

    async def _raw_list(self, subscription_id: str, path: str, *, action: str,
                        params: dict[str, str]) -> list[dict]:
        """Every item of a raw ARM list, following ``nextLink`` page by page."""
        data = await self._retry(lambda: self._raw(subscription_id, "GET", path, action=action,
                                                   params=params), action)
        items = list(data.get("value", []))
        link = data.get("nextLink")
        while link:
            page = await self._retry(lambda url=link: self._raw_url(subscription_id, url, action=action),
                                     action)
            items.extend(page.get("value", []))
            link = page.get("nextLink")
        return items

    async def _raw_url(self, subscription_id: str, url: str, *, action: str) -> dict:
        """GET a ``nextLink`` exactly as ARM gave it (it carries its own query)."""
        from azure.core.rest import HttpRequest

        response = await self._resources(subscription_id).send_request(HttpRequest("GET", url))
        await response.read()
        if response.status_code >= 400:
            error = (response.json() or {}).get("error") or {} if response.content else {}
            raise from_status(response.status_code, error.get("code", ""), error.get("message", ""),
                              action=action)
        return response.json() if response.content else {}

    # Subscriptions and locations ------------------------------------------------------------

    async def list_subscriptions(self) -> list[Subscription]:
        """Every subscription the signed-in principal can see, with its tenant and state."""
        async def call() -> list[Subscription]:
            return [Subscription(s.subscription_id or "", s.display_name or "", s.tenant_id or "",
                                 _text(s.state)) async for s in self._subscriptions().subscriptions.list()]
        return await self._retry(call, "list subscriptions")

    async def list_locations(self, subscription_id: str) -> list[Location]:
        """The regions offered to ``subscription_id`` (physical regions only), sorted by name."""
        async def call() -> list[Location]:
            out = []
            async for loc in self._subscriptions().subscriptions.list_locations(subscription_id):
                meta = loc.metadata
                if meta is not None and (_text(meta.region_type) or "Physical") != "Physical":
                    continue
                out.append(Location(loc.name or "", loc.display_name or "",
                                    loc.regional_display_name or "",
                                    (meta.geography_group or "") if meta is not None else ""))
            return sorted(out, key=lambda location: location.name)
        return await self._retry(call, "list the regions")

    # Resource groups ------------------------------------------------------------------------

    async def list_resource_groups(self, subscription_id: str) -> list[ResourceGroup]:
        """Every resource group in the subscription with its region."""
        async def call() -> list[ResourceGroup]:
            return [ResourceGroup(g.name or "", g.location or "")
                    async for g in self._resources(subscription_id).resource_groups.list()]
        return await self._retry(call, "list resource groups")

    async def get_resource_group(self, subscription_id: str, name: str) -> ResourceGroup | None:
        """The group ``name``, or None when it does not exist."""
        from azure.core.exceptions import ResourceNotFoundError

        async def call() -> ResourceGroup | None:
            try:
                group = await self._resources(subscription_id).resource_groups.get(name)
            except ResourceNotFoundError:
                return None
            return ResourceGroup(group.name or name, group.location or "")
        return await self._retry(call, f"read resource group '{name}'")

    async def check_resource_group(self, subscription_id: str, name: str, region: str) -> GroupPlacement:
        """Whether ``name`` exists and whether it is in ``region`` (V26: it must be)."""
        group = await self.get_resource_group(subscription_id, name)
        if group is None:
            return GroupPlacement(name, region, exists=False)
        return GroupPlacement(name, region, exists=True, location=group.location)

    async def create_resource_group(self, subscription_id: str, name: str, region: str, *,
                                    log: LogFn = quiet) -> ResourceGroup:
        """Create (or confirm) the group ``name`` in ``region``; PUT is idempotent."""
        async def call() -> ResourceGroup:
            group = await self._resources(subscription_id).resource_groups.create_or_update(
                name, {"location": region, "tags": {"createdBy": "cmgtui"}})
            return ResourceGroup(group.name or name, group.location or region)
        log(f"Creating resource group '{name}' in {region}")
        group = await self._retry(call, f"create resource group '{name}'", role=OWNER_ROLE_TEXT, log=log)
        log(f"Resource group '{group.name}' is ready in {group.location}")
        return group

    # Resource providers ---------------------------------------------------------------------

    async def provider_state(self, subscription_id: str, namespace: str) -> ProviderState:
        """The registration state of one provider namespace."""
        async def call() -> ProviderState:
            provider = await self._resources(subscription_id).providers.get(namespace)
            return ProviderState(provider.namespace or namespace, _text(provider.registration_state))
        return await self._retry(call, f"read provider {namespace}")

    async def provider_states(self, subscription_id: str,
                              namespaces: tuple[str, ...] = CMG_PROVIDERS) -> list[ProviderState]:
        """States of the CMG's four providers, read concurrently."""
        return list(await asyncio.gather(*(self.provider_state(subscription_id, ns)
                                           for ns in namespaces)))

    async def register_provider(self, subscription_id: str, namespace: str, *,
                                poll_interval: float = 2.0, max_polls: int = 60,
                                log: LogFn = quiet,
                                progress: Callable[[ProviderState], None] | None = None) -> ProviderState:
        """Register ``namespace`` and poll until Registered (at most ``max_polls`` times).

        Returns the last state seen; a state other than Registered after the last poll means
        registration is still running in Azure (the caller can check again later).
        """
        async def call() -> ProviderState:
            provider = await self._resources(subscription_id).providers.register(namespace)
            return ProviderState(provider.namespace or namespace, _text(provider.registration_state))
        current = await self.provider_state(subscription_id, namespace)
        if current.registered:
            log(f"{namespace} is already registered")
            return current
        log(f"Registering resource provider {namespace}")
        current = await self._retry(call, f"register provider {namespace}", role=OWNER_ROLE_TEXT
                                    + " (or Contributor)", log=log)
        for _ in range(max_polls):
            if progress is not None:
                progress(current)
            if current.registered:
                break
            await self._session.sleep(poll_interval)
            current = await self.provider_state(subscription_id, namespace)
            log(f"{namespace}: {current.state}")
        if progress is not None and current.registered:
            progress(current)
        return current

    # Roles ----------------------------------------------------------------------------------

    async def is_owner(self, subscription_id: str, principal_id: str | None = None) -> OwnerCheck:
        """Whether the signed-in principal is Owner at subscription scope, and which roles it has.

        ``permissions`` answers one entry per role that applies, each with its own ``actions``
        and ``notActions``; Owner-level rights mean one entry allows
        ``Microsoft.Authorization/roleAssignments/write`` (Contributor has ``*`` too, but its
        ``notActions`` exclude that). With a ``principal_id`` the role assignments at the
        subscription (or above) are read as well, and name the roles exactly.
        """
        path = f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization"
        entries = await self._raw_list(subscription_id, f"{path}/permissions", action="read your permissions",
                                       params={"api-version": AUTHORIZATION_API})
        full = any(entry_grants(e, _AUTHORIZATION_WRITE) for e in entries)
        roles = sorted({role_of_entry(e) for e in entries})
        if principal_id:
            found = await self._raw_list(subscription_id, f"{path}/roleAssignments",
                                         action="read role assignments", params={
                                             "api-version": AUTHORIZATION_API,
                                             "$filter": f"assignedTo('{principal_id}')"})
            scope = f"/subscriptions/{subscription_id}".lower()
            # At the subscription or above it (root, management group) counts; an assignment on
            # one resource group below it does not.
            here = [a for a in found if not a["properties"].get("scope", "").lower().startswith(scope + "/")]
            named = {ROLE_NAMES.get(a["properties"]["roleDefinitionId"].rsplit("/", 1)[-1].lower(),
                                    "a custom role") for a in here}
            roles = sorted(named | ({r for r in roles if r != "a custom role"} if not named else set()))
            full = full or "Owner" in named
        found_text = ", ".join(roles) if roles else "no role"
        verdict = "Owner rights" if full else "not Owner"
        return OwnerCheck(subscription_id, full, f"roles found: {found_text} ({verdict})", tuple(roles))

    # Name availability ----------------------------------------------------------------------

    async def check_storage_name(self, subscription_id: str, name: str) -> NameCheck:
        """Storage ``checkNameAvailability`` (storage names are lower-case)."""
        async def call() -> dict:
            return await self._raw(
                subscription_id, "POST",
                f"/subscriptions/{subscription_id}/providers/Microsoft.Storage/checkNameAvailability",
                action=f"check storage name '{name}'", params={"api-version": STORAGE_API},
                body={"name": name, "type": "Microsoft.Storage/storageAccounts"})
        data = await self._name_call(call, f"check storage name '{name}'")
        if "unregistered" in data:
            return _unregistered_check("storage", name, data["unregistered"])
        return NameCheck("storage", name, bool(data.get("nameAvailable")), data.get("reason") or "",
                         data.get("message") or "")

    async def check_keyvault_name(self, subscription_id: str, name: str) -> NameCheck:
        """Key Vault ``checkNameAvailability`` (soft-deleted vaults also block a name)."""
        async def call() -> dict:
            return await self._raw(
                subscription_id, "POST",
                f"/subscriptions/{subscription_id}/providers/Microsoft.KeyVault/checkNameAvailability",
                action=f"check key vault name '{name}'", params={"api-version": KEYVAULT_API},
                body={"name": name, "type": "Microsoft.KeyVault/vaults"})
        data = await self._name_call(call, f"check key vault name '{name}'")
        if "unregistered" in data:
            return _unregistered_check("key_vault", name, data["unregistered"])
        return NameCheck("key_vault", name, bool(data.get("nameAvailable")), data.get("reason") or "",
                         data.get("message") or "")

    async def check_dns_label(self, subscription_id: str, region: str, label: str) -> NameCheck:
        """Network ``CheckDnsNameAvailability``: is ``label``.``region``.cloudapp free?"""
        async def call() -> dict:
            return await self._raw(
                subscription_id, "GET",
                f"/subscriptions/{subscription_id}/providers/Microsoft.Network/locations/{region}"
                "/CheckDnsNameAvailability", action=f"check DNS label '{label}' in {region}",
                params={"api-version": NETWORK_API, "domainNameLabel": label})
        data = await self._name_call(call, f"check DNS label '{label}' in {region}")
        if "unregistered" in data:
            return _unregistered_check("dns_label", label, data["unregistered"])
        available = bool(data.get("available"))
        return NameCheck("dns_label", label, available, "" if available else "AlreadyExists",
                         "" if available else f"The DNS label '{label}' is already used in {region}.")

    async def _check_three(self, subscription_id: str, name: str, region: str) -> tuple[NameCheck, ...]:
        return tuple(await asyncio.gather(
            self.check_dns_label(subscription_id, region, name),
            self.check_keyvault_name(subscription_id, name),
            self.check_storage_name(subscription_id, name)))

    async def check_all_names(self, subscription_id: str, prefix: str, region: str, *,
                              log: LogFn = quiet, max_suggestions: int = 5) -> NameReport:
        """Check the DNS label, key vault and storage names of ``prefix`` concurrently.

        When one is taken, try ``prefix`` + two digits (kept within the CMG prefix rule
        ``^[a-z][a-z0-9]{2,23}$``) until a candidate is free in all three, and suggest it.
        """
        name = prefix.strip().lower()
        if not PREFIX_PATTERN.match(name):
            raise ValueError("The prefix must be 3-24 lower-case letters or digits, starting with a letter.")
        log(f"Checking names for '{name}' in {region}")
        checks = await self._check_three(subscription_id, name, region)
        for check in checks:
            state = ("unknown until its provider is registered" if check.unregistered_namespace
                     else "free" if check.available else "taken")
            log(f"{check.kind}: {name} is {state}")
        suggestion = None
        unregistered = sorted({c.unregistered_namespace for c in checks if c.unregistered_namespace})
        if unregistered:
            log(f"Register {', '.join(unregistered)} first; its name check cannot run until then")
        elif not all(c.available for c in checks):
            for candidate in suggest_names(name, max_suggestions):
                if all(c.available for c in await self._check_three(subscription_id, candidate, region)):
                    suggestion = candidate
                    log(f"Suggested free prefix: {candidate}")
                    break
        return NameReport(name, region, checks, suggestion)


    # What fails a deployment: VM sizes, quota, policy, a dry run ------------------------------

    async def resource_skus(self, subscription_id: str, sizes: tuple[str, ...],
                            regions: list[str]) -> list[SkuOffer]:
        """Where each of ``sizes`` is offered to the subscription among ``regions`` (no
        ``restrictions``) and the reason code where it is restricted. One filtered read of the
        Compute resource SKUs per region, concurrently (the unfiltered list is tens of megabytes)."""
        path = f"/subscriptions/{subscription_id}/providers/Microsoft.Compute/skus"
        pages = await asyncio.gather(*(
            self._raw_list(subscription_id, path, action=f"list the VM sizes offered in {region}",
                           params={"api-version": SKUS_API, "$filter": f"location eq '{region}'"})
            for region in regions))
        offers = {name.lower(): SkuOffer(name) for name in sizes}
        for item in (i for page in pages for i in page):
            offer = offers.get(str(item.get("name", "")).lower())
            if offer is None or item.get("resourceType") != "virtualMachines":
                continue
            reasons = {}
            for restriction in item.get("restrictions") or []:
                if restriction.get("type") == "Location":
                    for region in restriction.get("values") or []:
                        reasons[str(region).lower()] = str(restriction.get("reasonCode", ""))
            for region in (str(r).lower() for r in item.get("locations") or []):
                if region in reasons:
                    offer.restricted[region] = reasons[region]
                elif region not in offer.offered:
                    offer.offered.append(region)
        return list(offers.values())

    async def compute_usages(self, subscription_id: str, region: str) -> list[Usage]:
        """The compute usages (vCPU quotas) of ``region``: family quotas and ``cores``."""
        path = f"/subscriptions/{subscription_id}/providers/Microsoft.Compute/locations/{region}/usages"
        items = await self._raw_list(subscription_id, path, action=f"read the vCPU quotas in {region}",
                                     params={"api-version": USAGES_API})
        return [Usage(str((u.get("name") or {}).get("value", "")), str((u.get("name") or {}).get("localizedValue", "")),
                      int(u.get("limit", 0)), int(u.get("currentValue", 0))) for u in items]

    async def policy_assignments(self, subscription_id: str) -> list[PolicyAssignment]:
        """The policy assignments that apply to the subscription, with any tag names they require."""
        path = f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/policyAssignments"
        items = await self._raw_list(subscription_id, path, action="list the Azure Policy assignments",
                                     params={"api-version": POLICY_API})
        out = []
        for item in items:
            props = item.get("properties") or {}
            tag = ((props.get("parameters") or {}).get("tagName") or {}).get("value")
            out.append(PolicyAssignment(str(props.get("displayName") or item.get("name", "")),
                                        str(props.get("policyDefinitionId", "")),
                                        props.get("enforcementMode", "Default") != "DoNotEnforce",
                                        [str(tag)] if isinstance(tag, str) and tag else []))
        return out

    async def validate_deployment(self, subscription_id: str, name: str, template: dict, *,
                                  resource_group: str = "", location: str = "") -> dict:
        """Resource Manager's validation of ``template`` (nothing is created): ``{}`` when valid,
        else the answer's ``error`` object. An asynchronous answer (``202``) is followed to its
        ``Location`` after ``Retry-After``. In ``resource_group``, or at subscription scope
        (``location`` then names where the deployment's metadata lives)."""
        from azure.core.rest import HttpRequest

        scope = f"/subscriptions/{subscription_id}" + (f"/resourcegroups/{resource_group}" if resource_group else "")
        url = (f"{self._session.endpoints.arm_endpoint.rstrip('/')}{scope}"
               f"/providers/Microsoft.Resources/deployments/{name}/validate")
        body: dict[str, Any] = {"properties": {"mode": "Incremental", "template": template, "parameters": {}}}
        if not resource_group:
            body["location"] = location
        action = "validate the CMG deployment"

        async def call() -> dict:
            client = self._resources(subscription_id)
            # send_request reads the whole answer (stream=False); a 202's is empty
            response = await client.send_request(
                HttpRequest("POST", url, params={"api-version": DEPLOYMENTS_API}, json=body))
            polls = 0
            while response.status_code == 202 and response.headers.get("Location") and polls < VALIDATE_POLLS:
                # asynchronous validation: poll the Location ARM gave until the verdict
                polls += 1
                wait = parse_retry_after(response.headers.get("Retry-After"))
                await self._session.sleep(5.0 if wait is None else wait)
                response = await client.send_request(HttpRequest("GET", response.headers["Location"]))
            if response.status_code == 202:
                from cmgtui.cloud.errors import CloudError

                raise CloudError("unexpected", "Resource Manager did not finish validating the CMG deployment.",
                                 "Run the pre-flight again in a few minutes.")
            data = response.json() if response.content else {}
            if response.status_code == 400 and isinstance(data.get("error"), dict) \
                    and data["error"].get("code") == "InvalidTemplateDeployment":
                return data["error"]
            if response.status_code >= 400:
                error = data.get("error") or {}
                raise from_status(response.status_code, error.get("code", ""), error.get("message", ""),
                                  action=action, needed_role="Contributor or Owner on the subscription",
                                  retry_after=parse_retry_after(response.headers.get("Retry-After")))
            return {}
        return await self._retry(call, action)

    async def _name_call(self, call, action: str) -> dict:
        """A name check; ``{"unregistered": namespace}`` when its provider is not registered."""
        from cmgtui.cloud.errors import CloudError

        try:
            return await self._retry(call, action)
        except CloudError as error:
            if error.kind != "not_registered":
                raise
            found = re.search(r"namespace '([\w.]+)'", error.detail)
            return {"unregistered": found.group(1) if found else ""}

    # Reading deployed resources (health) ----------------------------------------------------

    async def read_json(self, subscription_id: str, path: str, api_version: str, *, action: str,
                        params: dict[str, str] | None = None) -> dict | None:
        """GET an ARM resource by its path under ``/subscriptions/{id}``; None when it does not exist (404)."""
        from cmgtui.cloud.errors import CloudError

        query = {"api-version": api_version, **(params or {})}
        full = f"/subscriptions/{subscription_id}{path}"
        try:
            return await self._retry(lambda: self._raw(subscription_id, "GET", full, action=action, params=query),
                                     action)
        except CloudError as error:
            if error.status == 404:
                return None
            raise

    async def list_json(self, subscription_id: str, path: str, api_version: str, *, action: str,
                        params: dict[str, str] | None = None) -> list[dict]:
        """Every item of an ARM list under ``/subscriptions/{id}``, following ``nextLink``."""
        return await self._raw_list(subscription_id, f"/subscriptions/{subscription_id}{path}", action=action,
                                    params={"api-version": api_version, **(params or {})})


def _unregistered_check(kind: str, name: str, namespace: str) -> NameCheck:
    return NameCheck(kind, name, False, "NotRegistered",
                     f"Register {namespace} first (Fix offers it); the name check needs it.", namespace)


def suggest_names(prefix: str, count: int) -> list[str]:
    """``count`` candidate prefixes: ``prefix`` (trimmed to fit) + two digits, deterministic order."""
    base = prefix[:22]
    seed = sum(ord(c) for c in prefix)
    numbers = [(seed + i * 37) % 90 + 10 for i in range(count)]
    return [f"{base}{n:02d}" for n in numbers]
