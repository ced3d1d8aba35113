"""The sandbox tenant's state: a believable, seeded Entra tenant and two Azure subscriptions.

Everything the sandbox answers comes from one :class:`TenantState`, guarded by a lock because
the HTTP server handles requests on several threads. Tests reach it through
``SandboxServer.state`` to configure the signed-in user's roles or to count created apps.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

TENANT_ID = "72f988bf-0000-4000-8000-00000000c0de"
TENANT_NAME = "Contoso"
USER_ID = "4d7f3a19-6c1e-4f52-9a0e-3b8c2d6e1f01"
USER_UPN = "admin@contoso.onmicrosoft.com"
OWNER_SUBSCRIPTION = "11111111-2222-4333-8444-555555555555"
READER_SUBSCRIPTION = "99999999-8888-4777-8666-555555555555"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
GRAPH_SP_ID = "c2b4f5a1-7e3d-4a8b-9c6d-0e1f2a3b4c5d"
DIRECTORY_READ_ALL = "7ab1d382-f21e-4acd-a863-ba3e13f7da61"
USER_READ = "e1fe6dd8-ba31-4d61-89e7-88639da4683d"
OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER_ROLE = "acdd72a7-3385-48ef-bd42-f606fba81ae7"

#: Directory role template IDs (Entra built-in roles) by display name.
DIRECTORY_ROLES: dict[str, str] = {
    "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
    "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
    "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "Application Developer": "cf1c38e5-3621-4004-a7cb-879624dced7c",
}

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

PROVIDER_NAMESPACES = ("Microsoft.Compute", "Microsoft.Network", "Microsoft.Storage", "Microsoft.KeyVault")


def now_iso() -> str:
    """Current UTC time in the ISO 8601 form Graph uses (``2026-01-02T03:04:05Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Provider:
    """A resource provider's registration state in one subscription."""

    namespace: str
    state: str
    polls_left: int = 0


@dataclass
class TenantState:
    """All mutable sandbox data. Use :attr:`lock` around reads that must be consistent."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    tenant_id: str = TENANT_ID
    user_roles: list[str] = field(default_factory=lambda: ["Global Administrator"])
    subscriptions: dict[str, dict] = field(default_factory=dict)
    resource_groups: dict[str, dict[str, dict]] = field(default_factory=dict)
    providers: dict[str, dict[str, Provider]] = field(default_factory=dict)
    role_assignments: dict[str, list[dict]] = field(default_factory=dict)
    taken_storage: set[str] = field(default_factory=lambda: {"contosocmg", "grcmg", "cmg"})
    taken_vaults: set[str] = field(default_factory=lambda: {"contosocmg", "grcmgvault", "cmg"})
    taken_dns: dict[str, set[str]] = field(
        default_factory=lambda: {"westus": {"contosocmg", "grcmg"}, "eastus": {"cmg"}}
    )
    applications: dict[str, dict] = field(default_factory=dict)
    service_principals: dict[str, dict] = field(default_factory=dict)
    grants: dict[str, dict] = field(default_factory=dict)
    app_role_assignments: list[dict] = field(default_factory=list)
    tokens: dict[str, float] = field(default_factory=dict)
    device_codes: dict[str, str] = field(default_factory=dict)
    register_polls: int = 2
    refuse_sign_in: bool = False

    def __post_init__(self) -> None:
        self.subscriptions = {
            OWNER_SUBSCRIPTION: {"displayName": "Contoso Production", "state": "Enabled"},
            READER_SUBSCRIPTION: {"displayName": "Contoso Legacy (disabled)", "state": "Disabled"},
        }
        self.resource_groups = {
            OWNER_SUBSCRIPTION: {"cmg-rg": {"location": "eastus", "tags": {}}},
            READER_SUBSCRIPTION: {"legacy-rg": {"location": "westeurope", "tags": {}}},
        }
        for sub in self.subscriptions:
            self.providers[sub] = {
                ns: Provider(ns, "NotRegistered" if ns == "Microsoft.KeyVault" else "Registered")
                for ns in PROVIDER_NAMESPACES
            }
        self.role_assignments = {
            OWNER_SUBSCRIPTION: [self._assignment(OWNER_SUBSCRIPTION, OWNER_ROLE)],
            READER_SUBSCRIPTION: [self._assignment(READER_SUBSCRIPTION, READER_ROLE)],
        }
        self.service_principals[GRAPH_SP_ID] = {
            "id": GRAPH_SP_ID,
            "appId": GRAPH_APP_ID,
            "displayName": "Microsoft Graph",
            "servicePrincipalType": "Application",
            "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
            "accountEnabled": True,
            "appRoles": [{
                "allowedMemberTypes": ["Application"],
                "description": "Allows the app to read data in your organization's directory, "
                               "such as users, groups and apps, without a signed-in user.",
                "displayName": "Read directory data",
                "id": DIRECTORY_READ_ALL,
                "isEnabled": True,
                "origin": "Application",
                "value": "Directory.Read.All",
            }],
            "oauth2PermissionScopes": [{
                "adminConsentDescription": "Allows users to sign-in to the app, and allows the app "
                                           "to read the profile of signed-in users.",
                "adminConsentDisplayName": "Sign in and read user profile",
                "id": USER_READ,
                "isEnabled": True,
                "type": "User",
                "userConsentDescription": "Allows you to sign in to the app with your "
                                          "organizational account and let the app read your profile.",
                "userConsentDisplayName": "Sign in and read your profile",
                "value": "User.Read",
            }],
        }

    @staticmethod
    def _assignment(sub: str, role: str) -> dict:
        name = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{sub}/{role}"))
        scope = f"/subscriptions/{sub}"
        return {
            "properties": {
                "roleDefinitionId": f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{role}",
                "principalId": USER_ID,
                "principalType": "User",
                "scope": scope,
                "condition": None,
                "conditionVersion": None,
                "createdOn": "2024-03-01T10:00:00.0000000Z",
                "updatedOn": "2024-03-01T10:00:00.0000000Z",
                "createdBy": None,
                "updatedBy": None,
                "delegatedManagedIdentityResourceId": None,
                "description": None,
            },
            "id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
            "type": "Microsoft.Authorization/roleAssignments",
            "name": name,
        }

    def issue_token(self, lifetime_s: int = 3600) -> str:
        """A new opaque access token the ARM and Graph endpoints will accept."""
        token = "sbx." + secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = time.time() + lifetime_s
        return token

    def token_valid(self, token: str) -> bool:
        """True when ``token`` was issued here, is not revoked and has not expired."""
        with self.lock:
            expiry = self.tokens.get(token)
        return expiry is not None and expiry > time.time()

    def revoke_tokens(self) -> None:
        """Make every issued token invalid (simulates an expired sign-in)."""
        with self.lock:
            self.tokens.clear()

    def set_user_roles(self, roles: list[str]) -> None:
        """Configure the signed-in user's directory roles by display name."""
        unknown = [r for r in roles if r not in DIRECTORY_ROLES]
        if unknown:
            raise ValueError(f"Unknown directory role(s): {', '.join(unknown)}")
        with self.lock:
            self.user_roles = list(roles)

    def verified_domains(self) -> list[dict]:
        """The tenant's verified domains in Graph's ``verifiedDomain`` shape."""
        return [
            {"capabilities": "Email, OfficeCommunicationsOnlineService", "isDefault": True,
             "isInitial": True, "name": "contoso.onmicrosoft.com", "type": "Managed"},
            {"capabilities": "Email", "isDefault": False, "isInitial": False,
             "name": "contoso.com", "type": "Managed"},
        ]
