"""Plain values the gateways return (never SDK objects), so screens and rules stay SDK-free."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Subscription:
    """An Azure subscription and the tenant it belongs to."""

    subscription_id: str
    display_name: str
    tenant_id: str
    state: str

    @property
    def enabled(self) -> bool:
        """True when the subscription can be used (state ``Enabled``)."""
        return self.state.lower() == "enabled"


@dataclass(frozen=True, slots=True)
class Location:
    """An ARM location (region) offered to a subscription."""

    name: str
    display_name: str
    regional_display_name: str = ""
    geography: str = ""


@dataclass(frozen=True, slots=True)
class ResourceGroup:
    """A resource group: its name and region."""

    name: str
    location: str


@dataclass(frozen=True, slots=True)
class GroupPlacement:
    """Whether a resource group exists and, if it does, whether it is in the CMG's region."""

    name: str
    region: str
    exists: bool
    location: str = ""

    @property
    def region_mismatch(self) -> bool:
        """True when the group exists in another region (deployment would fail, rule V26)."""
        return self.exists and self.location.lower() != self.region.lower()


@dataclass(frozen=True, slots=True)
class ProviderState:
    """Registration state of one resource provider namespace."""

    namespace: str
    state: str

    @property
    def registered(self) -> bool:
        """True when ``registrationState`` is ``Registered``."""
        return self.state == "Registered"


@dataclass(frozen=True, slots=True)
class OwnerCheck:
    """Whether the signed-in principal is Owner at subscription scope, and why we think so."""

    subscription_id: str
    is_owner: bool
    evidence: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NameCheck:
    """Availability of one globally unique name (``kind``: dns_label, key_vault, storage)."""

    kind: str
    name: str
    available: bool
    reason: str = ""
    message: str = ""
    unregistered_namespace: str = ""


@dataclass(frozen=True, slots=True)
class NameReport:
    """All three CMG names for one prefix and region, plus a free alternative if one is taken."""

    prefix: str
    region: str
    checks: tuple[NameCheck, ...]
    suggestion: str | None = None

    @property
    def all_available(self) -> bool:
        """True when every name is free."""
        return all(c.available for c in self.checks)

    @property
    def unregistered(self) -> tuple[str, ...]:
        """Namespaces whose name check could not run because they are not registered."""
        return tuple(sorted({c.unregistered_namespace for c in self.checks if c.unregistered_namespace}))


@dataclass(frozen=True, slots=True)
class Organization:
    """The Entra tenant: ID, display name and verified domains."""

    tenant_id: str
    display_name: str
    verified_domains: tuple[str, ...]
    initial_domain: str = ""
    default_domain: str = ""


@dataclass(frozen=True, slots=True)
class SignedInUser:
    """The signed-in user and the directory roles that matter for app registration."""

    object_id: str
    user_principal_name: str
    display_name: str
    roles: tuple[str, ...] = ()
    eligible_roles: tuple[str, ...] = ()
    app_only: bool = False

    def has_any(self, *roles: str) -> bool:
        """True when the user holds at least one of ``roles`` (display names)."""
        return any(r in self.roles for r in roles)


@dataclass(frozen=True, slots=True)
class AppSummary:
    """An application registration as the Graph gateway reports it."""

    object_id: str
    app_id: str
    display_name: str
    identifier_uris: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClientSecret:
    """A new client secret; ``secret_text`` is shown once and never stored or logged."""

    key_id: str
    end_date_time: str
    hint: str
    secret_text: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class SecretDelivery:
    """Where a client secret was written, durably, the moment Graph returned it (never its text)."""

    key_id: str
    expires: str
    file: str


@dataclass(frozen=True, slots=True)
class CreatedApps:
    """The two app registrations after creation (or after finding them already made)."""

    tenant_id: str
    server: AppSummary
    client: AppSummary
    server_sp_id: str
    client_sp_id: str
    app_id_uri: str
    server_created: bool = False
    client_created: bool = False


@dataclass(frozen=True, slots=True)
class Creation:
    """What an app creation (or its resume) ended with.

    ``secret`` is a secret this run added (its text for the one-time display); ``delivery`` is
    the file that holds the server app's current secret, whether this run or an earlier one
    wrote it (None when no secret was added by cmgtui).
    """

    apps: CreatedApps
    secret: ClientSecret | None = None
    delivery: SecretDelivery | None = None


@dataclass(frozen=True, slots=True)
class SkuOffer:
    """Where one VM size is offered to a subscription, and why it is restricted elsewhere."""

    name: str
    offered: list[str] = field(default_factory=list)
    restricted: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Usage:
    """One compute usage (quota) in a region: ``used`` of ``limit``."""

    name: str
    label: str
    limit: int
    used: int


@dataclass(frozen=True, slots=True)
class PolicyAssignment:
    """A policy assignment that applies to the subscription, with the tag names it requires."""

    display_name: str
    definition_id: str
    enforced: bool
    required_tags: list[str] = field(default_factory=list)
