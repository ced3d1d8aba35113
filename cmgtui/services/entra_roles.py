"""Part 2's roles check: the signed-in account's directory roles and the tenant, before creating apps.

Whether the account may create the apps is the ENTRA-GA rule's verdict on the evidence read here,
not a check of its own. :func:`record_roles` stores the evidence and, when Part 2 creates the apps
here or names no tenant yet, the tenant the account signed in to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmgtui.cloud.retry import LogFn, quiet
from cmgtui.model.enums import EntraPath
from cmgtui.services.evidence import record_evidence
from cmgtui.services.preflight import run_preflight

if TYPE_CHECKING:
    from cmgtui.cloud.credentials import CloudSession
    from cmgtui.model import Evidence, Profile


@dataclass(frozen=True, slots=True)
class RolesRead:
    """The roles and organization evidence, and the tenant they were read in."""

    evidence: tuple[Evidence, ...]
    tenant_id: str
    tenant_name: str


async def read_roles(session: CloudSession, profile: Profile, *, log: LogFn = quiet) -> RolesRead:
    """Read the signed-in account's roles and the organization; the first failure is raised (CloudError)."""
    found = await run_preflight(session, profile, only=("roles", "organization"), log=log)
    if found.failures:
        raise found.failures[0].error
    org = next((e.data for e in found.evidence if e.source == "graph.organization"), {})
    return RolesRead(found.evidence, str(org.get("tenant_id", "")), str(org.get("display_name", "")))


def record_roles(profile: Profile, read: RolesRead) -> None:
    """Store the roles read; the tenant too when the apps are made here or none is named yet."""
    record_evidence(profile, read.evidence)
    entra = profile.entra
    if read.tenant_id and (entra.path is EntraPath.CREATE_HERE or not entra.tenant_id.strip()):
        entra.tenant_id = read.tenant_id
        entra.tenant_name = read.tenant_name
