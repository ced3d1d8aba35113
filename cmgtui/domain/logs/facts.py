"""The profile values a signature's fix can name, gathered once per triage run.

Fixes say "the certificate CN must be GraniteFalls.contoso.com" instead of "the CMG name"
when the profile knows it; without a profile (or with an empty field) they fall back to
words that tell the user which value to look up.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.model.profile import Profile


@dataclass(frozen=True, slots=True)
class ProfileFacts:
    """Plain values from a profile; empty strings where the profile has nothing."""

    profile: str = ""
    service_name: str = ""
    subscription_id: str = ""
    resource_group: str = ""
    region: str = ""
    tenant_id: str = ""
    server_app_id: str = ""
    server_app_name: str = ""
    client_app_id: str = ""
    site_code: str = ""
    site_version: int | None = None

    def named(self, value: str, fallback: str) -> str:
        """``value`` when known, else ``fallback``."""
        return value.strip() or fallback

    @property
    def cmg(self) -> str:
        """The CMG service name, or how to find it."""
        return self.named(self.service_name, "the CMG service name (the server certificate CN)")

    @property
    def subscription(self) -> str:
        """``subscription <id>``, or how to name it."""
        return f"subscription {self.subscription_id.strip()}" if self.subscription_id.strip() else "the CMG's Azure subscription"

    @property
    def server_app(self) -> str:
        """The server app as the Azure and ConfigMgr consoles show it."""
        name = self.server_app_name.strip() or "the server app"
        return f"{name} ({self.server_app_id})" if self.server_app_id.strip() else name


def facts_from(profile: Profile | None) -> ProfileFacts:
    """The facts of ``profile`` (all empty for None)."""
    if profile is None:
        return ProfileFacts()
    gateway = profile.gateway
    return ProfileFacts(
        profile=profile.name,
        service_name=profile.certificate.service_name,
        subscription_id=gateway.subscription_id,
        resource_group=gateway.resource_group,
        region=profile.region,
        tenant_id=profile.entra.tenant_id,
        server_app_id=profile.entra.server_app.app_id,
        server_app_name=profile.entra.server_app.display_name,
        client_app_id=profile.entra.client_app.app_id,
        site_code=profile.site.site_code,
        site_version=profile.site.site_version,
    )
