"""The CMG terms glossary, each term explained and filled with the profile's own values.

The first five terms are the seed article's; the rest are the ones an administrator meets
along the way. Values are derived on every call (never stored), so the glossary always shows
what the current plan implies: the deployment name, the names the CMG will claim in Azure,
and whether a DNS CNAME is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.domain import hierarchy
from cmgtui.domain.azure import names
from cmgtui.model import Profile

NOT_SET = "not set yet"


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One term: what it means in general and what it is in this plan."""

    term: str
    meaning: str
    value: str
    where: str

    def matches(self, query: str) -> bool:
        """Case-insensitive match of every word of ``query`` against the entry's text."""
        haystack = f"{self.term} {self.meaning} {self.value}".lower()
        return all(word in haystack for word in query.lower().split())


def _or_unset(value: str, where: str) -> str:
    return value.strip() or f"{NOT_SET} ({where})"


def _service_values(profile: Profile, derived: names.CmgNames | None) -> dict[str, str]:
    cert = profile.certificate
    if derived is not None:
        prefix_note = names.prefix_problem(derived.prefix)
        prefix = derived.prefix + (f" — {prefix_note}" if prefix_note else " (valid)")
        deployment = derived.deployment_name
        if derived.deployment_name_unverified:
            deployment += " (expected; the docs disagree on the US Government suffix)"
        if derived.needs_cname:
            cname = f"needed: {derived.service_name} → CNAME → {derived.deployment_name}"
        else:
            cname = "not needed: the service name is in an Azure domain"
        return {
            "service": derived.service_name,
            "prefix": prefix,
            "deployment": deployment,
            "cname": cname,
            "vault": f"{derived.key_vault_name} ({derived.key_vault_host})",
            "storage": f"{derived.storage_account_name} ({derived.storage_blob_host})",
        }
    service = names.effective_service_name(cert.service_name, cert.wildcard_prefix)
    missing = [
        label
        for label, present in (
            ("service name", bool(cert.service_name.strip())),
            ("environment", profile.environment is not None),
            ("region", bool(profile.region.strip())),
        )
        if not present
    ]
    waiting = f"{NOT_SET} (needs {', '.join(missing)})" if missing else f"{NOT_SET} (needs a prefix)"
    return {
        "service": _or_unset(service, "Part 1 certificate"),
        "prefix": waiting,
        "deployment": waiting,
        "cname": waiting,
        "vault": waiting,
        "storage": waiting,
    }


def glossary(profile: Profile) -> list[GlossaryEntry]:
    """Every glossary entry, in reading order, filled from ``profile``."""
    derived = names.derive_names(profile)
    v = _service_values(profile, derived)
    entra = profile.entra
    tenant = " · ".join(x for x in (entra.tenant_name, entra.tenant_id) if x)
    gateway = profile.gateway
    rg = gateway.resource_group.strip()
    if rg:
        rg += " (existing: must be in the CMG's region)" if gateway.use_existing_resource_group else " (new)"
    environment = profile.environment.value if profile.environment else ""
    mp_mode = profile.client_auth.management_point_mode
    return [
        GlossaryEntry(
            "Microsoft Entra ID tenant",
            "The directory that holds your user accounts, devices and app registrations. "
            "One tenant can own several Azure subscriptions.",
            _or_unset(tenant, "Part 2"),
            "entra",
        ),
        GlossaryEntry(
            "Azure subscription",
            "The billing and resource boundary the CMG's Azure resources are created in. "
            "It belongs to exactly one tenant.",
            _or_unset(gateway.subscription_id, "Part 4"),
            "gateway",
        ),
        GlossaryEntry(
            "Azure resource group",
            "A named container for related Azure resources. The CMG's resources go into one; "
            "an existing group must be in the same region as the CMG or deployment fails.",
            _or_unset(rg, "Part 4"),
            "gateway",
        ),
        GlossaryEntry(
            "CMG service name",
            "The common name (CN) of the CMG server authentication certificate: the name clients "
            "and the CMG connection point use to reach the CMG.",
            v["service"],
            "certificate",
        ),
        GlossaryEntry(
            "CMG deployment name",
            "The Azure-owned name of the deployed service: the prefix plus the region and an "
            "Azure domain. The service connection point deploys the CMG under this name.",
            v["deployment"],
            "certificate",
        ),
        GlossaryEntry(
            "Service name prefix",
            "The first label of the service name. Configuration Manager builds every Azure name "
            "from it, so it must be 3 to 24 lowercase letters and digits, starting with a letter.",
            v["prefix"],
            "certificate",
        ),
        GlossaryEntry(
            "Key vault and storage account",
            "A scale-set CMG creates a key vault and a storage account named after the prefix. "
            "Both names are global across Azure: if either is taken, deployment fails.",
            f"key vault {v['vault']}; storage account {v['storage']}",
            "gateway",
        ),
        GlossaryEntry(
            "DNS CNAME alias",
            "When the service name is in your own domain, a public DNS CNAME record must point it "
            "at the deployment name, so that clients and the CMG can resolve it.",
            v["cname"],
            "certificate",
        ),
        GlossaryEntry(
            "Azure environment and region",
            "Which Azure cloud (public or US Government) and which location hosts the CMG. "
            "The region is part of the deployment name.",
            _or_unset(" ".join(x for x in (environment, profile.region) if x), "Checklist"),
            "checklist",
        ),
        GlossaryEntry(
            "Virtual machine scale set",
            "The way a CMG is hosted in Azure today (the only one since version 2203): a set of "
            "1 to 16 identical VMs behind a load balancer.",
            f"{gateway.vm_instances or NOT_SET} × {gateway.vm_size.value}",
            "gateway",
        ),
        GlossaryEntry(
            "Server app (web app)",
            "The Entra app registration for the CMG's cloud side. The site uses it to deploy and "
            "watch the CMG; its Application ID URI is what clients ask tokens for.",
            _or_unset(
                " · ".join(x for x in (entra.server_app.display_name, entra.server_app.app_id,
                                       entra.server_app.app_id_uri) if x),
                "Part 2",
            ),
            "entra",
        ),
        GlossaryEntry(
            "Client app (native app)",
            "The Entra app registration that represents managed devices and users; a public "
            "client whose ID clients present when they ask for a token.",
            _or_unset(
                " · ".join(x for x in (entra.client_app.display_name, entra.client_app.app_id) if x),
                "Part 2",
            ),
            "entra",
        ),
        GlossaryEntry(
            "CMG connection point",
            "An on-premises site system role that keeps an outbound channel open to the CMG and "
            "forwards client requests to management points and software update points.",
            _or_unset(", ".join(f"{cp.site_code}: {cp.server or NOT_SET}" for cp in hierarchy.connection_points(profile))
                      if hierarchy.is_cas(profile) else ", ".join(profile.site.cmgcp_servers), "Checklist"),
            "checklist",
        ),
        *([GlossaryEntry(
            "Hierarchy",
            "The sites around the CMG. It is created at the top-level site: the central administration "
            "site (CAS), or a standalone primary. Each primary site whose clients use it has a CMG "
            "connection point; secondary sites host none. The CMG is sized for every primary's clients.",
            hierarchy.summary(profile),
            "gateway",
        )] if hierarchy.site_count(profile) > 1 else []),
        GlossaryEntry(
            "Service connection point",
            "The site system role whose cloud service manager deploys and monitors the CMG in "
            "Azure. It must be in online mode and reach Azure on port 443.",
            _or_unset(profile.site.site_server, "Part 4"),
            "gateway",
        ),
        GlossaryEntry(
            "Enhanced HTTP",
            "A site option that lets management points stay on HTTP for intranet clients while "
            "traffic through the CMG is protected by certificates the site issues itself.",
            _or_unset(mp_mode.value if mp_mode else "", "Part 3"),
            "client_auth",
        ),
        GlossaryEntry(
            "Bulk registration token",
            "A short-lived token made with BulkRegistrationTokenTool.exe that lets an "
            "internet-only device install and register through the CMG without PKI or Entra join.",
            f"lifetime {profile.client_auth.token_lifetime_minutes:,} minutes",
            "client_auth",
        ),
    ]
