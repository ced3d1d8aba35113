"""Scenario files: a TOML description of the rehearsal tenant the sandbox plays.

An administrator describes *their* situation (Reader only, a PIM-eligible Global
Administrator, a disabled subscription, a provider not registered, a taken name, too little
vCPU quota, a VM size not offered in a region, Azure Policy assignments) and rehearses against
it with ``cmgtui sandbox serve --scenario FILE`` or ``CMGTUI_SANDBOX_SCENARIO=FILE``. Every key
is documented in the README. The file's shape is a set of pydantic models with
``extra="forbid"`` (:class:`ScenarioFile`; :func:`scenario_schema` is its JSON Schema, printed by
``cmgtui sandbox schema``); :func:`parse_scenario` refuses an unknown key or a bad value with a
:class:`ScenarioError` naming the file and the key. :func:`default_scenario` is the built-in
tenant, with realistic behaviour on (replication lag, paging, a provider left unregistered,
Owner *and* Contributor on the first subscription).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

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
    #: vCPU quotas ``{usage name: {"limit", "used"}}``; a name left out takes :data:`DEFAULT_QUOTA`.
    quota: dict[str, dict[str, int]] = field(default_factory=dict)
    #: ``{region: [VM size]}``: sizes restricted for this subscription (``NotAvailableForSubscription``).
    unavailable_sizes: dict[str, list[str]] = field(default_factory=dict)
    #: Policy assignments ``{"name", "effect", "rule": {kind: [values]}}`` at subscription scope.
    policies: list[dict[str, Any]] = field(default_factory=list)


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
# The file's shape as pydantic models (``extra="forbid"``): unknown keys and bad values are refused,
# and :func:`scenario_schema` gives the JSON Schema of the file for editors.

#: Each quota's default when a scenario leaves it out: room for any CMG.
DEFAULT_QUOTA: dict[str, dict[str, int]] = {"cores": {"limit": 100, "used": 4},
                                            "standardBSFamily": {"limit": 100, "used": 4},
                                            "standardAv2Family": {"limit": 100, "used": 0},
                                            "standardDADSv6Family": {"limit": 100, "used": 0}}
_RESOURCE_TYPE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+/[A-Za-z][A-Za-z0-9/]*$")
_Text = Annotated[str, Field(strict=True)]


def _known_regions() -> set[str]:
    from cmgtui.sandbox.state import LOCATIONS, USGOV_LOCATIONS

    return {name for name, *_ in [*LOCATIONS, *USGOV_LOCATIONS]}


def _region(value: str) -> str:
    name = value.lower().replace(" ", "")
    if name not in _known_regions():
        raise ValueError(f"'{value}' is not an Azure region the sandbox knows (for example eastus, westus3, "
                         "westeurope)")
    return name


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must be a non-empty string")
    return value.strip()


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TenantFile(_File):
    """``[tenant]``."""

    name: _Text = "Contoso"
    verified_domains: list[_Text] = Field(default_factory=lambda: ["contoso.com"])

    _name = field_validator("name")(_non_empty)

    @field_validator("verified_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        for domain in value:
            if not _DOMAIN.match(domain.lower()):
                raise ValueError(f"'{domain}' is not a DNS domain name")
        return [d.lower() for d in value]


_DirectoryRole = Literal["Global Administrator", "Privileged Role Administrator", "Cloud Application Administrator",
                         "Application Administrator", "Application Developer"]


class UserFile(_File):
    """``[user]``: the signed-in administrator's directory roles."""

    directory_roles: list[_DirectoryRole] = Field(default_factory=lambda: ["Global Administrator"])
    eligible_roles: list[_DirectoryRole] = Field(default_factory=list)


class ResourceGroupFile(_File):
    """One ``resource_groups`` entry."""

    name: _Text
    location: _Text

    _name = field_validator("name")(_non_empty)

    @field_validator("location")
    @classmethod
    def _location(cls, value: str) -> str:
        return _non_empty(value).lower().replace(" ", "")


class QuotaFile(_File):
    """One vCPU quota: its limit and what is already used."""

    limit: Annotated[int, Field(strict=True, ge=0, le=100_000)]
    used: Annotated[int, Field(strict=True, ge=0, le=100_000)] = 0


class PolicyRuleFile(_File):
    """What a policy assignment checks: exactly one of the three kinds."""

    allowed_locations: list[_Text] | None = None
    required_tags: list[_Text] | None = None
    deny_types: list[_Text] | None = None

    @field_validator("allowed_locations")
    @classmethod
    def _locations(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [_region(v) for v in value]

    @field_validator("required_tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [_non_empty(v) for v in value]

    @field_validator("deny_types")
    @classmethod
    def _types(cls, value: list[str] | None) -> list[str] | None:
        for item in value or []:
            if not _RESOURCE_TYPE.match(item):
                raise ValueError(f"'{item}' is not a resource type like Microsoft.Network/publicIPAddresses")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> PolicyRuleFile:
        kinds = [k for k in ("allowed_locations", "required_tags", "deny_types") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of allowed_locations, required_tags, deny_types")
        return self


class PolicyFile(_File):
    """``[[subscriptions.policies]]``: a policy assignment at subscription scope."""

    name: _Text
    effect: Literal["deny", "audit", "disabled"] = "deny"
    rule: PolicyRuleFile

    _name = field_validator("name")(_non_empty)


#: The vCPU quotas a scenario may set (usage names of ``Microsoft.Compute/locations/{location}/usages``).
_QuotaName = Literal["cores", "standardBSFamily", "standardAv2Family", "standardDADSv6Family"]
#: The VM sizes a CMG uses (Compute resource SKU names).
_Sku = Literal["Standard_B2s", "Standard_A2_v2", "Standard_A4_v2"]


class SubscriptionFile(_File):
    """``[[subscriptions]]``: one subscription."""

    id: _Text
    name: _Text
    state: Literal["Enabled", "Disabled", "Warned"] = "Enabled"
    roles: list[Literal["Owner", "Contributor", "Reader", "User Access Administrator"]] = Field(
        default_factory=lambda: ["Owner"])
    providers: dict[Literal["Microsoft.Compute", "Microsoft.Network", "Microsoft.Storage", "Microsoft.KeyVault"],
                    Literal["Registered", "NotRegistered", "Registering", "Unregistered"]] = Field(default_factory=dict)
    resource_groups: list[ResourceGroupFile] = Field(default_factory=list)
    taken_names: list[_Text] = Field(default_factory=list)
    quota: dict[_QuotaName, QuotaFile] = Field(default_factory=dict)
    unavailable_sizes: dict[str, list[_Sku]] = Field(default_factory=dict)
    policies: list[PolicyFile] = Field(default_factory=list)

    _name = field_validator("name")(_non_empty)

    @field_validator("id")
    @classmethod
    def _guid(cls, value: str) -> str:
        if not _GUID.match(value.strip()):
            raise ValueError(f"must be a GUID like 11111111-2222-4333-8444-555555555555, not {value!r}")
        return value.strip().lower()

    @field_validator("unavailable_sizes")
    @classmethod
    def _regions(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {_region(region): list(sizes) for region, sizes in value.items()}


class BehaviourFile(_File):
    """``[behaviour]``: how strictly the sandbox imitates the services' timing."""

    replication_reads: Annotated[int, Field(strict=True, ge=0, le=50)] = 2
    page_size: Annotated[int, Field(strict=True, ge=1, le=1000)] = 10
    registration_reads: Annotated[int, Field(strict=True, ge=0, le=50)] = 3
    device_code: Literal["approve", "decline", "expire"] = "approve"
    device_code_polls: Annotated[int, Field(strict=True, ge=0, le=100)] = 2


#: ``[cmg] health``: the states ``cmgtui sandbox deploy`` can give the simulated CMG.
CMG_HEALTH_STATES = ("running", "one-stopped", "deallocated", "failed", "missing")


class CmgFile(_File):
    """``[cmg]``: the simulated CMG deployment's state (``running`` unless a scenario says otherwise)."""

    health: Literal["running", "one-stopped", "deallocated", "failed", "missing"] = "running"


class ScenarioFile(_File):
    """A scenario file: every table is optional; a table left out keeps the built-in tenant's."""

    model_config = ConfigDict(extra="forbid", title="cmgtui sandbox scenario")

    tenant: TenantFile = Field(default_factory=TenantFile)
    user: UserFile = Field(default_factory=UserFile)
    subscriptions: list[SubscriptionFile] | None = Field(default=None, min_length=1)
    behaviour: BehaviourFile = Field(default_factory=BehaviourFile)
    cmg: CmgFile = Field(default_factory=CmgFile)

    @field_validator("subscriptions")
    @classmethod
    def _unique(cls, value: list[SubscriptionFile] | None) -> list[SubscriptionFile] | None:
        ids = [s.id for s in value or []]
        if len(set(ids)) != len(ids):
            raise ValueError("two subscriptions have the same id")
        return value


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (``cmgtui sandbox schema``)."""
    return ScenarioFile.model_json_schema()


_TABLES = {"tenant": "[tenant]", "user": "[user]", "behaviour": "[behaviour]", "cmg": "[cmg]"}


def _where(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location in the file's own words: ``[[subscriptions]] #1 quota.cores.limit``."""
    parts = [f"#{p + 1}" if isinstance(p, int) else p for p in loc if p != "[key]"]
    if not parts:
        return ""
    head = parts.pop(0)
    if head != "subscriptions":
        out = _TABLES.get(str(head), str(head))
        return f"{out} {'.'.join(map(str, parts))}".strip()
    out = "[[subscriptions]]"
    if parts and str(parts[0]).startswith("#"):
        out += f" {parts.pop(0)}"
    if len(parts) >= 2 and parts[0] == "policies" and str(parts[1]).startswith("#"):
        out += f" [[subscriptions.policies]] {parts[1]}"
        parts = parts[2:]
    return f"{out} {'.'.join(map(str, parts))}".strip()


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the table at ``loc`` accepts (for an unknown key's message)."""
    model: Any = ScenarioFile
    for part in loc:
        field_info = getattr(model, "model_fields", {}).get(part)
        if field_info is None:
            continue  # a list index or a table's own key (a quota name, a region)
        model = field_info.annotation
        for _ in range(3):  # unwrap list[...], X | None, dict[..., X]
            if isinstance(model, type) and issubclass(model, BaseModel):
                break
            args = [a for a in getattr(model, "__args__", ()) if a is not type(None)]
            model = args[-1] if args else model
    return sorted(getattr(model, "model_fields", {}))


def _message(source: str, error: Any) -> str:
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        parent, key = loc[:-1], loc[-1]
        allowed = _allowed_keys(parent)
        hint = f"; use one of: {', '.join(allowed)}" if allowed else ""
        where = _where(parent) or "the file"
        return f"{source}: {where}: unknown key '{key}'{hint}."
    shown = error.get("input")
    if error["type"] == "literal_error":
        options = ", ".join(re.findall(r"'([^']*)'", str((error.get("ctx") or {}).get("expected", ""))))
        if loc and loc[-1] == "[key]":
            return f"{source}: {_where(loc[:-2])}: '{shown}' is not known; use one of: {options}."
        if loc and isinstance(loc[-1], int):
            return f"{source}: {_where(loc[:-1])}: '{shown}' is not known; use one of: {options}."
        return f"{source}: {_where(loc)} must be one of {options}, not {shown!r}."
    text = str(error["msg"]).removeprefix("Value error, ").replace("Field required", "is required")
    text = re.sub(r"valid dictionary or instance of \w+", "table", text)
    text = text.replace("Input should be a valid integer", "must be a whole number")
    value = "" if isinstance(shown, (dict, list)) or error["type"] == "missing" else f", not {shown!r}"
    return f"{source}: {_where(loc) or 'the file'}: {text}{value}."


def _to_scenario(data: ScenarioFile) -> Scenario:
    base = default_scenario()
    subscriptions = base.subscriptions if data.subscriptions is None else [
        SubscriptionSpec(
            id=s.id, name=s.name, state=s.state, roles=list(s.roles), providers=dict(s.providers),
            resource_groups=[{"name": g.name, "location": g.location} for g in s.resource_groups],
            taken_names=[n.lower() for n in s.taken_names],
            quota={name: {"limit": q.limit, "used": q.used} for name, q in s.quota.items()},
            unavailable_sizes={r: list(sizes) for r, sizes in s.unavailable_sizes.items()},
            policies=[{"name": p.name, "effect": p.effect,
                       "rule": p.rule.model_dump(exclude_none=True)} for p in s.policies])
        for s in data.subscriptions]
    b = data.behaviour
    return Scenario(tenant_name=data.tenant.name, verified_domains=list(data.tenant.verified_domains),
                    directory_roles=list(data.user.directory_roles), eligible_roles=list(data.user.eligible_roles),
                    subscriptions=subscriptions,
                    behaviour=Behaviour(b.replication_reads, b.page_size, b.registration_reads, b.device_code,
                                        b.device_code_polls), cmg_health=data.cmg.health)


def parse_scenario(text: str, source: str = "scenario") -> Scenario:
    """Parse scenario TOML; raises ScenarioError naming the file and the bad key or value."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source} is not valid TOML: {exc}.") from None
    try:
        parsed = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_message(source, exc.errors()[0])) from None
    return _to_scenario(parsed)


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
