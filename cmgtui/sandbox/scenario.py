"""Scenario files: a TOML description of the rehearsal tenant the sandbox plays.

An administrator describes *their* situation (Reader only, a PIM-eligible Global
Administrator, a disabled subscription, a provider not registered, a taken name) and rehearses
against it with ``cmgtui sandbox serve --scenario FILE`` or ``CMGTUI_SANDBOX_SCENARIO=FILE``.
Every key is documented in the README; :func:`parse_scenario` refuses an unknown key or a bad
value with a :class:`ScenarioError` that names it. :func:`default_scenario` is the built-in
tenant, with realistic behaviour on (replication lag, paging, a provider left unregistered,
Owner *and* Contributor on the first subscription).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ENV_VAR = "CMGTUI_SANDBOX_SCENARIO"

#: Directory roles a scenario may give the user (Entra built-in role template IDs).
DIRECTORY_ROLES: dict[str, str] = {
    "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
    "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
    "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
    "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "Application Developer": "cf1c38e5-3621-4004-a7cb-879624dced7c",
}
#: Azure built-in roles a scenario may give the user at subscription scope (role definition IDs).
AZURE_ROLES: dict[str, str] = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
}
PROVIDER_NAMESPACES = ("Microsoft.Compute", "Microsoft.Network", "Microsoft.Storage", "Microsoft.KeyVault")
PROVIDER_STATES = ("Registered", "NotRegistered", "Registering", "Unregistered")
SUBSCRIPTION_STATES = ("Enabled", "Disabled", "Warned")
DEVICE_CODE_OUTCOMES = ("approve", "decline", "expire")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the key and what to do."""


@dataclass
class SubscriptionSpec:
    """One subscription of the scenario."""

    id: str
    name: str
    state: str = "Enabled"
    roles: list[str] = field(default_factory=lambda: ["Owner"])
    providers: dict[str, str] = field(default_factory=dict)
    resource_groups: list[dict[str, str]] = field(default_factory=list)
    taken_names: list[str] = field(default_factory=list)


@dataclass
class Behaviour:
    """How strictly the sandbox imitates the real services' timing."""

    replication_reads: int = 2
    page_size: int = 10
    registration_reads: int = 3
    device_code: str = "approve"
    device_code_polls: int = 2


@dataclass
class Scenario:
    """The whole rehearsal tenant."""

    tenant_name: str = "Contoso"
    verified_domains: list[str] = field(default_factory=lambda: ["contoso.com"])
    directory_roles: list[str] = field(default_factory=lambda: ["Global Administrator"])
    eligible_roles: list[str] = field(default_factory=list)
    subscriptions: list[SubscriptionSpec] = field(default_factory=list)
    behaviour: Behaviour = field(default_factory=Behaviour)
    cmg_health: str = "running"  # [cmg] health: the state a simulated CMG deployment takes

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready copy (kept with the persisted tenant so ``reset`` can restore it)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scenario:
        """The inverse of :meth:`to_json`."""
        data = dict(data)
        data["subscriptions"] = [SubscriptionSpec(**s) for s in data.get("subscriptions", [])]
        data["behaviour"] = Behaviour(**data.get("behaviour", {}))
        return cls(**data)

    @property
    def initial_domain(self) -> str:
        """``{tenant}.onmicrosoft.com``: every tenant's initial, always-verified domain."""
        slug = re.sub(r"[^a-z0-9]", "", self.tenant_name.lower()) or "contoso"
        return f"{slug}.onmicrosoft.com"


def default_scenario() -> Scenario:
    """The built-in rehearsal tenant: today's seed with realistic behaviour on."""
    return Scenario(subscriptions=[
        SubscriptionSpec(
            id="11111111-2222-4333-8444-555555555555", name="Contoso Production", state="Enabled",
            roles=["Owner", "Contributor"], providers={"Microsoft.KeyVault": "NotRegistered"},
            resource_groups=[{"name": "cmg-rg", "location": "eastus"}],
            taken_names=["contosocmg", "grcmg", "cmg", "grcmgvault"]),
        SubscriptionSpec(
            id="99999999-8888-4777-8666-555555555555", name="Contoso Legacy (disabled)",
            state="Disabled", roles=["Reader"],
            resource_groups=[{"name": "legacy-rg", "location": "westeurope"}]),
    ])


# -- parsing ------------------------------------------------------------------------------------

_TOP = {"tenant", "user", "subscriptions", "behaviour", "cmg"}
_TENANT = {"name", "verified_domains"}
_USER = {"directory_roles", "eligible_roles"}
_SUB = {"id", "name", "state", "roles", "providers", "resource_groups", "taken_names"}
_BEHAVIOUR = {"replication_reads", "page_size", "registration_reads", "device_code", "device_code_polls"}


def _unknown(where: str, table: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ScenarioError(f"{where}: unknown key '{extra[0]}'; use one of: {', '.join(sorted(allowed))}.")


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"[{key}] must be a table (a [{key}] section).")
    return value


def _text(where: str, value: Any, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise ScenarioError(f"{where} must be a non-empty string, not {value!r}.")
    return value.strip()


def _names(where: str, value: Any, allowed: dict[str, str] | tuple[str, ...] | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScenarioError(f"{where} must be a list of strings, not {value!r}.")
    if allowed is not None:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise ScenarioError(f"{where}: '{bad[0]}' is not known; use one of: {', '.join(allowed)}.")
    return list(value)


def _count(where: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(f"{where} must be a whole number from {low} to {high}, not {value!r}.")
    return value


def _subscription(index: int, raw: Any) -> SubscriptionSpec:
    where = f"[[subscriptions]] #{index + 1}"
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where} must be a table.")
    _unknown(where, raw, _SUB)
    sub_id = _text(f"{where} id", raw.get("id"))
    if not _GUID.match(sub_id):
        raise ScenarioError(f"{where} id must be a GUID like 11111111-2222-4333-8444-555555555555, "
                            f"not {sub_id!r}.")
    state = raw.get("state", "Enabled")
    if state not in SUBSCRIPTION_STATES:
        raise ScenarioError(f"{where} state must be one of {', '.join(SUBSCRIPTION_STATES)}, not {state!r}.")
    providers = raw.get("providers", {})
    if not isinstance(providers, dict):
        raise ScenarioError(f"{where} providers must be a table like {{ \"Microsoft.KeyVault\" = "
                            "\"NotRegistered\" }.")
    for namespace, value in providers.items():
        if namespace not in PROVIDER_NAMESPACES:
            raise ScenarioError(f"{where} providers: '{namespace}' is not one of "
                                f"{', '.join(PROVIDER_NAMESPACES)}.")
        if value not in PROVIDER_STATES:
            raise ScenarioError(f"{where} providers.{namespace} must be one of "
                                f"{', '.join(PROVIDER_STATES)}, not {value!r}.")
    groups = raw.get("resource_groups", [])
    if not isinstance(groups, list):
        raise ScenarioError(f"{where} resource_groups must be a list of {{ name, location }} tables.")
    clean_groups = []
    for group in groups:
        if not isinstance(group, dict) or set(group) != {"name", "location"}:
            raise ScenarioError(f"{where} resource_groups: each entry needs exactly name and location, "
                                f"not {group!r}.")
        clean_groups.append({"name": _text(f"{where} resource group name", group["name"]),
                             "location": _text(f"{where} resource group location",
                                               group["location"]).lower().replace(" ", "")})
    taken = [n.lower() for n in _names(f"{where} taken_names", raw.get("taken_names", []))]
    return SubscriptionSpec(sub_id.lower(), _text(f"{where} name", raw.get("name")), state,
                            _names(f"{where} roles", raw.get("roles", ["Owner"]), tuple(AZURE_ROLES)),
                            dict(providers), clean_groups, taken)


def parse_scenario(text: str, source: str = "scenario") -> Scenario:
    """Parse scenario TOML; raises ScenarioError naming the bad key or value."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source} is not valid TOML: {exc}.") from None
    _unknown(source, data, _TOP)
    tenant, user, behaviour = _table(data, "tenant"), _table(data, "user"), _table(data, "behaviour")
    _unknown("[tenant]", tenant, _TENANT)
    _unknown("[user]", user, _USER)
    _unknown("[behaviour]", behaviour, _BEHAVIOUR)
    base = default_scenario()
    domains = [d.lower() for d in _names("[tenant] verified_domains",
                                         tenant.get("verified_domains", base.verified_domains))]
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise ScenarioError(f"[tenant] verified_domains: '{domain}' is not a DNS domain name.")
    subs_raw = data.get("subscriptions")
    if subs_raw is None:
        subscriptions = base.subscriptions
    elif not isinstance(subs_raw, list) or not subs_raw:
        raise ScenarioError("[[subscriptions]] must be one or more [[subscriptions]] tables.")
    else:
        subscriptions = [_subscription(i, raw) for i, raw in enumerate(subs_raw)]
    ids = [s.id for s in subscriptions]
    if len(set(ids)) != len(ids):
        raise ScenarioError("[[subscriptions]] id: two subscriptions have the same id.")
    b = base.behaviour
    outcome = behaviour.get("device_code", b.device_code)
    if outcome not in DEVICE_CODE_OUTCOMES:
        raise ScenarioError(f"[behaviour] device_code must be one of {', '.join(DEVICE_CODE_OUTCOMES)}, "
                            f"not {outcome!r}.")
    return Scenario(
        cmg_health=_cmg_health(data),
        tenant_name=_text("[tenant] name", tenant.get("name", base.tenant_name)),
        verified_domains=domains,
        directory_roles=_names("[user] directory_roles", user.get("directory_roles", base.directory_roles),
                               tuple(DIRECTORY_ROLES)),
        eligible_roles=_names("[user] eligible_roles", user.get("eligible_roles", base.eligible_roles),
                              tuple(DIRECTORY_ROLES)),
        subscriptions=subscriptions,
        behaviour=Behaviour(
            replication_reads=_count("[behaviour] replication_reads",
                                     behaviour.get("replication_reads", b.replication_reads), 0, 50),
            page_size=_count("[behaviour] page_size", behaviour.get("page_size", b.page_size), 1, 1000),
            registration_reads=_count("[behaviour] registration_reads",
                                      behaviour.get("registration_reads", b.registration_reads), 0, 50),
            device_code=outcome,
            device_code_polls=_count("[behaviour] device_code_polls",
                                     behaviour.get("device_code_polls", b.device_code_polls), 0, 100)),
    )


# -- [cmg]: the simulated CMG deployment (kept apart from the rest of the parser) ---------------

CMG_HEALTH_STATES = ("running", "one-stopped", "deallocated", "failed", "missing")


def _cmg_health(data: dict[str, Any]) -> str:
    """``[cmg] health``: the state ``cmgtui sandbox deploy`` gives the CMG (default ``running``)."""
    cmg = _table(data, "cmg")
    _unknown("[cmg]", cmg, {"health"})
    health = cmg.get("health", "running")
    if health not in CMG_HEALTH_STATES:
        raise ScenarioError(f"[cmg] health must be one of {', '.join(CMG_HEALTH_STATES)}, not {health!r}.")
    return str(health)


def load_scenario(path: Path) -> Scenario:
    """Read and parse a scenario file; ScenarioError (naming the file) when unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"Can't read the scenario file {path}: {getattr(exc, 'strerror', None) or exc}.") from None
    return parse_scenario(text, str(path))


def scenario_from_environment() -> Scenario | None:
    """The scenario named by ``CMGTUI_SANDBOX_SCENARIO`` (None when unset)."""
    value = os.environ.get(ENV_VAR, "").strip()
    return load_scenario(Path(value).expanduser()) if value else None
