"""The sandbox tenant's state: one Entra tenant and its Azure subscriptions, built from a scenario.

Everything the sandbox answers comes from one :class:`TenantState`, guarded by a lock because
the HTTP server handles requests on several threads. It is built from a
:class:`~cmgtui.sandbox.scenario.Scenario` (the built-in default unless a scenario file
is given) and, for the embedded sandbox, persisted as JSON in the sandbox folder after every
change, so the TUI, ``check`` and ``entra`` see the same rehearsal tenant across runs.
Tests reach it through ``SandboxServer.state`` to change roles or to count created objects.

Several sandboxes may keep their tenant in one folder at once (the TUI's and a ``check`` or
``entra create`` run beside it). Each request that may change the tenant is a
:meth:`TenantState.transaction`: it holds the state file's lock (:mod:`cmgtui.holder_lock`),
re-reads the file when another sandbox wrote it, and writes it back atomically with fsync
(:mod:`cmgtui.private_files`), so no sandbox loses another's apps. The file is read with
limits and validated (:class:`SavedTenant`); a damaged or foreign file is copied aside
(:mod:`cmgtui.quarantine`) and reported as :class:`StateDamaged`, and replaced only by
``cmgtui sandbox reset``.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from cmgtui.holder_lock import HolderLock, LockBusy
from cmgtui.private_files import ensure_private_dir, write_atomic
from cmgtui.quarantine import copy_aside
from cmgtui.safe_read import ReadRefused, loads_limited, read_checked
from cmgtui.sandbox.scenario import (
    AZURE_ROLES,
    DIRECTORY_ROLES,
    PROVIDER_NAMESPACES,
    Scenario,
    default_scenario,
)
from cmgtui.rehearsal_tenant import TENANT_ID

TENANT_NAME = "Contoso"
USER_ID = "4d7f3a19-6c1e-4f52-9a0e-3b8c2d6e1f01"
OWNER_SUBSCRIPTION = "11111111-2222-4333-8444-555555555555"
READER_SUBSCRIPTION = "99999999-8888-4777-8666-555555555555"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
GRAPH_SP_ID = "c2b4f5a1-7e3d-4a8b-9c6d-0e1f2a3b4c5d"
DIRECTORY_READ_ALL = "7ab1d382-f21e-4acd-a863-ba3e13f7da61"
USER_READ = "e1fe6dd8-ba31-4d61-89e7-88639da4683d"
OWNER_ROLE = AZURE_ROLES["Owner"]
READER_ROLE = AZURE_ROLES["Reader"]
STATE_FILE = "tenant.json"
STATE_VERSION = 1
MAX_STATE_BYTES = 64 * 1024 * 1024
#: How long a sandbox waits for another one that is writing the shared state (writes take milliseconds).
STATE_LOCK_WAIT_SECONDS = 10.0

#: (name, displayName, regionalDisplayName, geography, physical location) of the public regions.
LOCATIONS: list[tuple[str, str, str, str, str]] = [
    ("eastus", "East US", "(US) East US", "US", "Virginia"),
    ("eastus2", "East US 2", "(US) East US 2", "US", "Virginia"),
    ("southcentralus", "South Central US", "(US) South Central US", "US", "Texas"),
    ("westus2", "West US 2", "(US) West US 2", "US", "Washington"),
    ("westus3", "West US 3", "(US) West US 3", "US", "Phoenix"),
    ("westus", "West US", "(US) West US", "US", "California"),
    ("centralus", "Central US", "(US) Central US", "US", "Iowa"),
    ("northcentralus", "North Central US", "(US) North Central US", "US", "Illinois"),
    ("westcentralus", "West Central US", "(US) West Central US", "US", "Wyoming"),
    ("canadacentral", "Canada Central", "(Canada) Canada Central", "Canada", "Toronto"),
    ("northeurope", "North Europe", "(Europe) North Europe", "Europe", "Ireland"),
    ("westeurope", "West Europe", "(Europe) West Europe", "Europe", "Netherlands"),
    ("uksouth", "UK South", "(Europe) UK South", "Europe", "London"),
    ("francecentral", "France Central", "(Europe) France Central", "Europe", "Paris"),
    ("germanywestcentral", "Germany West Central", "(Europe) Germany West Central", "Europe",
     "Frankfurt"),
    ("swedencentral", "Sweden Central", "(Europe) Sweden Central", "Europe", "Gävle"),
    ("southeastasia", "Southeast Asia", "(Asia Pacific) Southeast Asia", "Asia Pacific", "Singapore"),
    ("eastasia", "East Asia", "(Asia Pacific) East Asia", "Asia Pacific", "Hong Kong"),
    ("australiaeast", "Australia East", "(Asia Pacific) Australia East", "Asia Pacific",
     "New South Wales"),
    ("japaneast", "Japan East", "(Asia Pacific) Japan East", "Asia Pacific", "Tokyo, Saitama"),
    ("centralindia", "Central India", "(Asia Pacific) Central India", "Asia Pacific", "Pune"),
    ("brazilsouth", "Brazil South", "(South America) Brazil South", "South America",
     "Sao Paulo State"),
]
#: The regions of the US Government cloud (answered for tokens with the US Gov ARM audience).
USGOV_LOCATIONS: list[tuple[str, str, str, str, str]] = [
    ("usgovvirginia", "USGov Virginia", "(US) USGov Virginia", "US", "Virginia"),
    ("usgovarizona", "USGov Arizona", "(US) USGov Arizona", "US", "Arizona"),
    ("usgovtexas", "USGov Texas", "(US) USGov Texas", "US", "Texas"),
    ("usdodeast", "USDoD East", "(US) USDoD East", "US", "Virginia"),
    ("usdodcentral", "USDoD Central", "(US) USDoD Central", "US", "Iowa"),
]

#: Token audiences Azure Resource Manager accepts, per cloud (public, US Government).
ARM_AUDIENCES = {"https://management.azure.com": "public", "https://management.core.windows.net": "public",
                 "https://management.usgovcloudapi.net": "usgov",
                 "https://management.core.usgovcloudapi.net": "usgov"}
GRAPH_AUDIENCES = {"https://graph.microsoft.com", "https://graph.microsoft.us",
                   "https://dod-graph.microsoft.us", GRAPH_APP_ID}


def now_iso() -> str:
    """Current UTC time in the ISO 8601 form Graph uses (``2026-01-02T03:04:05Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def audience_of(scope: str) -> str:
    """The token audience a ``.default`` scope asks for (``https://management.azure.com``)."""
    resources = [s for s in scope.split() if s.lower() not in ("openid", "profile", "offline_access", "email")]
    return (resources or [""])[0].removesuffix("/.default").rstrip("/")


class StateDamaged(ValueError):
    """The saved tenant cannot be used; the message says why, where the copy is and what to do."""

    def __init__(self, path: Path, reason: str, copy: Path | None) -> None:
        kept = f" A copy is at {copy}." if copy else ""
        super().__init__(
            f"The sandbox tenant's saved state {path} can't be used: {reason}. It was left as it is.{kept} "
            "Run 'cmgtui sandbox reset' to start the rehearsal tenant afresh from its scenario "
            "(the apps and changes made in it are then gone)."
        )
        self.reason = reason
        self.copy = copy


class StateBusy(OSError):
    """Another sandbox held the state file for longer than this one could wait."""


class _Stored(BaseModel):
    """A stored Graph or ARM object: the keys the sandbox reads are checked, the rest kept as is."""

    model_config = ConfigDict(extra="allow")


class _Credential(_Stored):
    keyId: str
    hint: str | None = None
    endDateTime: str | None = None


class _Application(_Stored):
    id: str
    appId: str
    displayName: str
    createdDateTime: str
    identifierUris: list[str] | None = None
    passwordCredentials: list[_Credential] | None = None


class _ServicePrincipal(_Stored):
    id: str
    appId: str
    displayName: str


class _Grant(_Stored):
    id: str
    clientId: str
    resourceId: str
    consentType: str
    scope: str


class _AppRoleAssignment(_Stored):
    principalId: str
    principalDisplayName: str
    resourceId: str
    resourceDisplayName: str
    appRoleId: str


class _Subscription(_Stored):
    displayName: str
    state: str


class _ResourceGroup(_Stored):
    location: str


class SavedTenant(BaseModel):
    """The state file's shape (:meth:`TenantState.to_json`): checked before anything is used."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    scenario: dict[str, Any]
    user_roles: list[str]
    eligible_roles: list[str]
    subscriptions: dict[str, _Subscription]
    resource_groups: dict[str, dict[str, _ResourceGroup]]
    providers: dict[str, dict[str, tuple[str, int]]]
    subscription_roles: dict[str, list[str]]
    taken_names: list[str]
    applications: dict[str, _Application]
    service_principals: dict[str, _ServicePrincipal]
    grants: dict[str, _Grant]
    app_role_assignments: list[_AppRoleAssignment]
    #: Simulated CMG deployments (``cmgtui sandbox deploy``) by subscription and group; absent in older files.
    cmg_deployments: dict[str, dict[str, dict[str, Any]]] = {}


def _plain(text: str, limit: int) -> str:
    """``text`` from the file, cut and with control characters shown as ``?`` (it reaches a terminal)."""
    return "".join(ch if ch.isprintable() else "?" for ch in text[:limit])


def _first_problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "the top level"
    return f"{_plain(where, 80)}: {_plain(err['msg'], 120)}"


def read_saved(path: Path) -> tuple[SavedTenant, Scenario] | None:
    """The validated content of the state file at ``path`` (None when there is none).

    Raises :class:`StateDamaged` (after copying the file aside) when it cannot be used: not
    JSON, nested too deeply, too large, not a regular file, of another version, of the wrong
    shape or types, or with a scenario that does not read back.
    """
    try:
        raw = loads_limited(read_checked(path, limit=MAX_STATE_BYTES, within=path.parent))
    except ReadRefused as exc:
        if exc.code == "missing" and not path.is_symlink():
            return None
        raise _quarantined(path, exc.reason, exc.code) from None
    if not isinstance(raw, dict):
        raise _quarantined(path, "it does not hold a sandbox tenant (not a JSON object)", "foreign")
    if type(raw.get("version")) is not int or raw["version"] != STATE_VERSION:
        said = repr(raw.get("version"))[:20]
        raise _quarantined(path, f"it is of state version {said}; this cmgtui reads version {STATE_VERSION}",
                           "version")
    try:
        saved = SavedTenant.model_validate(raw)
    except ValidationError as exc:
        raise _quarantined(path, f"its content is not a sandbox tenant ({_first_problem(exc)})", "invalid") from None
    try:
        scenario = Scenario.from_json(saved.scenario)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        reason = _plain(str(exc).splitlines()[0], 120) if str(exc).strip() else "a value is missing or wrong"
        raise _quarantined(path, f"its scenario does not read back ({reason})", "invalid") from None
    return saved, scenario


def _quarantined(path: Path, reason: str, code: str) -> StateDamaged:
    try:
        copy = copy_aside(path, code)
    except (ReadRefused, OSError):
        copy = None
    return StateDamaged(path, reason, copy)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass
class Provider:
    """A resource provider's registration state in one subscription."""

    namespace: str
    state: str
    polls_left: int = 0


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What an issued access token is good for."""

    expires: float
    audience: str
    tenant: str
    app_only: bool = False


@dataclass
class DeviceCode:
    """A pending device-code sign-in: how many polls stay pending, and how it ends."""

    client_id: str
    tenant: str
    polls_left: int
    outcome: str
    expires: float
    scope: str = ""


@dataclass
class TenantState:
    """All mutable sandbox data. Use :attr:`lock` around reads that must be consistent."""

    scenario: Scenario = field(default_factory=default_scenario)
    lock: threading.RLock = field(default_factory=threading.RLock)
    tenant_id: str = TENANT_ID
    path: Path | None = None
    tokens: dict[str, TokenInfo] = field(default_factory=dict)
    device_codes: dict[str, DeviceCode] = field(default_factory=dict)
    device_code_interval: int = 1
    refuse_sign_in: bool = False
    graph_serial: int = 0
    hidden_until: dict[str, int] = field(default_factory=dict)
    #: The version of :attr:`path` this state last read or wrote (see :meth:`transaction`).
    signature: tuple[int, int, int] | None = None

    def __post_init__(self) -> None:
        self.restore(self.scenario)
        self._file_lock = HolderLock(self.path.with_name(self.path.name + ".lock")) if self.path else None

    # -- building and persisting ----------------------------------------------------------

    def restore(self, scenario: Scenario) -> None:
        """Replace every tenant object with what ``scenario`` describes."""
        with self.lock:
            self.scenario = scenario
            self.tenant_name = scenario.tenant_name
            self.user_roles = list(scenario.directory_roles)
            self.eligible_roles = list(scenario.eligible_roles)
            self.subscriptions: dict[str, dict] = {}
            self.resource_groups: dict[str, dict[str, dict]] = {}
            self.providers: dict[str, dict[str, Provider]] = {}
            self.subscription_roles: dict[str, list[str]] = {}
            self.extra_assignments: dict[str, list[dict]] = {}
            self.taken_names: set[str] = set()
            for sub in scenario.subscriptions:
                self.subscriptions[sub.id] = {"displayName": sub.name, "state": sub.state}
                self.resource_groups[sub.id] = {g["name"]: {"location": g["location"], "tags": {}}
                                                for g in sub.resource_groups}
                self.providers[sub.id] = {ns: Provider(ns, sub.providers.get(ns, "Registered"))
                                          for ns in PROVIDER_NAMESPACES}
                self.subscription_roles[sub.id] = list(sub.roles)
                self.taken_names.update(sub.taken_names)
            self.applications: dict[str, dict] = {}
            self.service_principals: dict[str, dict] = {GRAPH_SP_ID: _graph_service_principal()}
            self.grants: dict[str, dict] = {}
            self.app_role_assignments: list[dict] = []
            self.hidden_until = {}
            #: Simulated CMG deployments: subscription → lower-cased resource group → record
            #: (``cmgtui.sandbox.cmg_routes.deploy``).
            self.cmg_deployments: dict[str, dict[str, dict]] = {}

    def to_json(self) -> dict[str, Any]:
        """The persisted form: the scenario plus everything that changed since."""
        with self.lock:
            return {
                "version": 1, "scenario": self.scenario.to_json(), "user_roles": self.user_roles,
                "eligible_roles": self.eligible_roles, "subscriptions": self.subscriptions,
                "resource_groups": self.resource_groups,
                "providers": {s: {ns: [p.state, p.polls_left] for ns, p in ps.items()}
                              for s, ps in self.providers.items()},
                "subscription_roles": self.subscription_roles, "taken_names": sorted(self.taken_names),
                "applications": self.applications, "service_principals": self.service_principals,
                "grants": self.grants, "app_role_assignments": self.app_role_assignments,
                "cmg_deployments": self.cmg_deployments,
            }

    def load_saved(self, saved: SavedTenant, scenario: Scenario) -> None:
        """Take every persisted object from ``saved`` (tokens, pending sign-ins and Graph's
        replication delays stay: they belong to this running sandbox, not to the file)."""
        data = saved.model_dump(exclude_unset=True)  # the objects exactly as stored
        with self.lock:
            hidden, extra = dict(self.hidden_until), dict(self.extra_assignments)
            self.restore(scenario)
            self.hidden_until, self.extra_assignments = hidden, extra
            self.user_roles = data["user_roles"]
            self.eligible_roles = data["eligible_roles"]
            self.subscriptions = data["subscriptions"]
            self.resource_groups = data["resource_groups"]
            self.providers = {s: {ns: Provider(ns, v[0], v[1]) for ns, v in ps.items()}
                              for s, ps in data["providers"].items()}
            self.subscription_roles = data["subscription_roles"]
            self.taken_names = set(data["taken_names"])
            self.applications = data["applications"]
            self.service_principals = data["service_principals"]
            self.grants = data["grants"]
            self.app_role_assignments = data["app_role_assignments"]
            self.cmg_deployments = data.get("cmg_deployments", {})

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the tenant for a change: the state file's lock (another sandbox sharing the folder
        waits), with what another sandbox wrote read in first. Saves inside go straight to the file.

        A state file that became damaged meanwhile is copied aside and then replaced by this
        sandbox's whole tenant (nothing of it was readable). StateBusy when another sandbox
        holds the file for longer than :data:`STATE_LOCK_WAIT_SECONDS`.
        """
        with self.lock:
            if self._file_lock is None or self._file_lock.held:
                yield
                return
            try:
                self._file_lock.acquire(STATE_LOCK_WAIT_SECONDS)
            except LockBusy as busy:
                raise StateBusy(f"the sandbox tenant's state is held by {busy}") from None
            try:
                self._catch_up()
                yield
            finally:
                self._file_lock.release()

    def _catch_up(self) -> None:
        """Read what another sandbox wrote since this one last read or wrote the file."""
        assert self.path is not None
        version = _signature(self.path)
        if version == self.signature:
            return
        self.signature = version
        try:
            found = read_saved(self.path)
        except StateDamaged:
            return
        if found is not None and found[1] == self.scenario:
            self.load_saved(*found)

    def save(self) -> None:
        """Write the tenant to :attr:`path` atomically (0600, fsync); nothing when not persisted.

        Inside a :meth:`transaction` it writes at once; outside one it takes the file's lock
        for the write (what this state holds is written as it is: nothing is read in first).
        """
        if self.path is None or self._file_lock is None:
            return
        with self.lock:
            taken = not self._file_lock.held
            if taken:
                self._file_lock_acquire()
            try:
                data = json.dumps(self.to_json(), indent=1, sort_keys=True).encode()
                ensure_private_dir(self.path.parent)
                write_atomic(self.path, data)
                self.signature = _signature(self.path)
            finally:
                if taken:
                    self._file_lock.release()

    def replace_saved(self) -> StateDamaged | None:
        """Write this tenant over whatever the file holds, a damaged file included (``sandbox reset``).

        A damaged file is copied aside first, so a reset loses nothing the user could still
        want; what was wrong with it (and where the copy is) is returned.
        """
        assert self.path is not None and self._file_lock is not None
        with self.lock:
            self._file_lock_acquire()
            try:
                try:
                    read_saved(self.path)
                    damage = None
                except StateDamaged as exc:
                    damage = exc  # copied aside by the read
                self.save()
            finally:
                self._file_lock.release()
        return damage

    def _file_lock_acquire(self) -> None:
        assert self._file_lock is not None
        try:
            self._file_lock.acquire(STATE_LOCK_WAIT_SECONDS)
        except LockBusy as busy:
            raise StateBusy(f"the sandbox tenant's state is held by {busy}") from None

    @classmethod
    def saved(cls, folder: Path) -> TenantState | None:
        """The tenant saved in ``folder`` (None when there is none; StateDamaged when it can't be used)."""
        path = folder / STATE_FILE
        found = read_saved(path)
        if found is None:
            return None
        saved, scenario = found
        state = cls(scenario=scenario, path=path)
        state.load_saved(saved, scenario)
        return state

    @classmethod
    def persistent(cls, folder: Path, scenario: Scenario | None) -> TenantState:
        """The tenant kept in ``folder``: loaded when present (and from the same scenario), else new.

        A different scenario than the one the saved tenant came from starts the tenant afresh
        from that scenario. A damaged or foreign file raises :class:`StateDamaged` (copied aside,
        left in place): only ``cmgtui sandbox reset`` replaces it.
        """
        path = folder / STATE_FILE
        wanted = scenario or default_scenario()
        state = cls(scenario=wanted, path=path)
        with state.lock:
            state._file_lock_acquire()
            try:
                state.signature = _signature(path)
                found = read_saved(path)
                if found is not None and found[1] == wanted:
                    state.load_saved(*found)
                else:
                    state.save()
            finally:
                assert state._file_lock is not None
                state._file_lock.release()
        return state

    # -- tokens -----------------------------------------------------------------------------

    def issue_token(self, lifetime_s: int = 3600, *, audience: str = "https://management.azure.com",
                    tenant: str | None = None, app_only: bool = False) -> str:
        """A new opaque access token for ``audience`` in ``tenant`` (the sandbox tenant by default)."""
        token = "sbx." + secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = TokenInfo(time.time() + lifetime_s, audience, tenant or self.tenant_id,
                                           app_only)
        return token

    def token_info(self, token: str) -> TokenInfo | None:
        """What ``token`` is for, or None when it is unknown, revoked or expired."""
        with self.lock:
            info = self.tokens.get(token)
        return info if info is not None and info.expires > time.time() else None

    def token_valid(self, token: str) -> bool:
        """True when ``token`` was issued here, is not revoked and has not expired."""
        return self.token_info(token) is not None

    def revoke_tokens(self) -> None:
        """Make every issued token invalid (simulates an expired sign-in)."""
        with self.lock:
            self.tokens.clear()

    # -- roles --------------------------------------------------------------------------------

    def set_user_roles(self, roles: list[str], eligible: list[str] | None = None) -> None:
        """Configure the signed-in user's active (and PIM-eligible) directory roles by name."""
        unknown = [r for r in [*roles, *(eligible or [])] if r not in DIRECTORY_ROLES]
        if unknown:
            raise ValueError(f"Unknown directory role(s): {', '.join(unknown)}")
        with self.lock:
            self.user_roles = list(roles)
            if eligible is not None:
                self.eligible_roles = list(eligible)

    def set_subscription_roles(self, subscription_id: str, roles: list[str]) -> None:
        """Configure the user's Azure roles at subscription scope by name."""
        unknown = [r for r in roles if r not in AZURE_ROLES]
        if unknown:
            raise ValueError(f"Unknown Azure role(s): {', '.join(unknown)}")
        with self.lock:
            self.subscription_roles[subscription_id.lower()] = list(roles)

    def role_assignments(self, sub: str) -> list[dict]:
        """The user's role assignments in ``sub`` (one per role, at subscription scope)."""
        with self.lock:
            roles = list(self.subscription_roles.get(sub, []))
            extra = list(self.extra_assignments.get(sub, []))
        return [_assignment(sub, AZURE_ROLES[r]) for r in roles] + extra

    # -- Graph replication --------------------------------------------------------------------

    def graph_tick(self) -> None:
        """One more Graph request has arrived (new objects become visible after enough of them)."""
        with self.lock:
            self.graph_serial += 1

    def created(self, object_id: str) -> None:
        """``object_id`` was just written: hide it from the next ``replication_reads`` requests."""
        with self.lock:
            self.hidden_until[object_id] = self.graph_serial + self.scenario.behaviour.replication_reads

    def visible(self, object_id: str) -> bool:
        """Whether Graph's replicas already know ``object_id``."""
        with self.lock:
            return self.graph_serial > self.hidden_until.get(object_id, -1)

    def verified_domains(self) -> list[dict]:
        """The tenant's verified domains in Graph's ``verifiedDomain`` shape (initial first)."""
        initial = self.scenario.initial_domain
        out = [{"capabilities": "Email, OfficeCommunicationsOnlineService", "isDefault": True,
                "isInitial": True, "name": initial, "type": "Managed"}]
        out += [{"capabilities": "Email", "isDefault": False, "isInitial": False, "name": d,
                 "type": "Managed"} for d in self.scenario.verified_domains if d != initial]
        return out


def _assignment(sub: str, role: str) -> dict:
    """A role assignment in the shape of the Microsoft.Authorization RoleAssignments examples."""
    name = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{sub}/{role}"))
    scope = f"/subscriptions/{sub}"
    return {
        "properties": {
            "roleDefinitionId": f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{role}",
            "principalId": USER_ID, "principalType": "User", "scope": scope, "condition": None,
            "conditionVersion": None, "createdOn": "2024-03-01T10:00:00.0000000Z",
            "updatedOn": "2024-03-01T10:00:00.0000000Z", "createdBy": None, "updatedBy": None,
            "delegatedManagedIdentityResourceId": None, "description": None,
        },
        "id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
        "type": "Microsoft.Authorization/roleAssignments",
        "name": name,
    }


def _graph_service_principal() -> dict:
    """Microsoft Graph's service principal, with the two permissions the CMG apps use."""
    return {
        "id": GRAPH_SP_ID, "appId": GRAPH_APP_ID, "displayName": "Microsoft Graph",
        "servicePrincipalType": "Application",
        "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a", "accountEnabled": True,
        "appRoles": [{
            "allowedMemberTypes": ["Application"],
            "description": "Allows the app to read data in your organization's directory, "
                           "such as users, groups and apps, without a signed-in user.",
            "displayName": "Read directory data", "id": DIRECTORY_READ_ALL, "isEnabled": True,
            "origin": "Application", "value": "Directory.Read.All",
        }],
        "oauth2PermissionScopes": [{
            "adminConsentDescription": "Allows users to sign-in to the app, and allows the app "
                                       "to read the profile of signed-in users.",
            "adminConsentDisplayName": "Sign in and read user profile", "id": USER_READ,
            "isEnabled": True, "type": "User",
            "userConsentDescription": "Allows you to sign in to the app with your "
                                      "organizational account and let the app read your profile.",
            "userConsentDisplayName": "Sign in and read your profile", "value": "User.Read",
        }],
    }
