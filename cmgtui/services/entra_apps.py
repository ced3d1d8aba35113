"""Create (or resume) and verify the CMG's two Entra app registrations: Part 2 and ``cmgtui entra``.

:func:`create_or_resume` finishes an unfinished creation from the profile's operations journal
or starts one from Part 2's settings, writes a new client secret to the file the user chose the
moment Graph returns it (see :mod:`cmgtui.cloud.app_registration`), and reads both apps back
for the rules. :func:`verify` reads the apps the profile names. :func:`record_creation` and
:func:`record_verification` are the one place their results enter a profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cmgtui import paths
from cmgtui.cloud.app_registration import (
    AppSpec,
    SecretSink,
    create_apps,
    record_created,
    resume,
    unfinished,
)
from cmgtui.cloud.app_verify import judge_apps, read_app_evidence
from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.evidence import missing_apps_evidence
from cmgtui.cloud.journal import OperationsJournal
from cmgtui.cloud.models import ClientSecret, CreatedApps, SecretDelivery
from cmgtui.cloud.retry import LogFn, quiet
from cmgtui.private_files import write_secret_file
from cmgtui.services.evidence import record_evidence

if TYPE_CHECKING:
    from cmgtui.cloud.graph import GraphGateway
    from cmgtui.domain.rules.results import RuleResult
    from cmgtui.model import Evidence, Profile


@dataclass(frozen=True, slots=True)
class CreateResult:
    """Both apps after a creation or resume, read back for the rules.

    ``secret`` is a secret this run added (its text for the one-time display, already in
    ``delivery.file``); ``delivery`` is the file holding the app's current secret, from this run
    or an earlier one; ``resumed`` says an unfinished creation was continued.
    """

    apps: CreatedApps
    secret: ClientSecret | None
    delivery: SecretDelivery | None
    resumed: bool
    tenant_name: str
    evidence: dict[str, Evidence]


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """What a verification read: the rules' results, the evidence, and why an app is missing
    (then ``results`` is empty: the profile's rules judge the evidence once it is recorded)."""

    results: list[RuleResult]
    evidence: dict[str, Evidence]
    missing: str = ""


def operations_journal(profile: Profile) -> OperationsJournal:
    """The profile's journal of tenant changes."""
    return OperationsJournal(paths.operations_journal(profile.name))


def spec_from(profile: Profile) -> AppSpec:
    """Part 2's creation settings; ValueError (plain words) when they cannot be used."""
    entra = profile.entra
    return AppSpec(server_name=entra.server_app.display_name.strip() or "CMG-ServerApp",
                   client_name=entra.client_app.display_name.strip() or "CMG-ClientApp",
                   app_id_uri=entra.server_app.app_id_uri.strip(), user_discovery=entra.user_discovery,
                   secret_months=int(entra.secret_lifetime.value))


def secret_file_sink(path: Path) -> SecretSink:
    """Write a new secret to ``path`` (a new 0600 file, fsynced, every byte checked)."""

    def deliver(secret: ClientSecret) -> str:
        write_secret_file(path, secret.secret_text)
        return str(path)

    return deliver


async def create_or_resume(graph: GraphGateway, profile: Profile, secret_file: Path, *,
                           spec: AppSpec | None = None, log: LogFn = quiet) -> CreateResult:
    """Resume the journal's unfinished creation, or create both apps from ``spec`` (Part 2's
    settings by default); then read them back. Raises CreationFailed (with the secret and file
    it had already made) or CloudError."""
    journal = operations_journal(profile)
    deliver = secret_file_sink(secret_file)
    pending = unfinished(journal)
    if journal.damage is not None and (pending is not None or journal.quarantined_now):
        log(journal.damage.message)
    if pending is not None:
        creation = await resume(graph, journal, pending, deliver=deliver, log=log)
    else:
        creation = await create_apps(graph, spec or spec_from(profile), journal, deliver=deliver, log=log)
    apps = creation.apps
    evidence = await read_app_evidence(graph, apps.server.app_id, apps.client.app_id)
    org = evidence.get("graph.organization")
    return CreateResult(apps, creation.secret, creation.delivery, pending is not None,
                        str(org.data.get("display_name", "")) if org else "", evidence)


def record_creation(profile: Profile, apps: CreatedApps | None, delivery: SecretDelivery | None, *,
                    tenant_name: str = "", evidence: dict[str, Evidence] | None = None) -> None:
    """Write a creation's IDs, its secret's key ID and expiry (never its text) and the evidence
    read back into ``profile``; a creation that failed part way passes ``apps=None``."""
    record_created(profile.entra, apps, delivery, tenant_name=tenant_name)
    record_evidence(profile, (evidence or {}).values())


async def verify(graph: GraphGateway, profile: Profile) -> VerifyResult:
    """Read the two apps the profile names and judge them property by property.

    An app that does not exist is a finding (``missing``, with the evidence that fails the
    app rules), not an error; other failures raise CloudError.
    """
    entra = profile.entra
    server_id, client_id = entra.server_app.app_id.strip(), entra.client_app.app_id.strip()
    if not server_id or not client_id:
        raise ValueError("Enter both the server app ID and the client app ID to verify them.")
    try:
        evidence = await read_app_evidence(graph, server_id, client_id)
    except CloudError as error:
        if error.kind != "not_found":
            raise
        evidence = {"graph.apps": missing_apps_evidence(server_id, client_id, error)}
        return VerifyResult([], evidence, error.message)  # the app rules fail on this evidence
    return VerifyResult(judge_apps(profile, evidence), evidence)


def record_verification(profile: Profile, result: VerifyResult) -> None:
    """Store what a verification read: the evidence, and the tenant when the profile has none."""
    entra = profile.entra
    org = result.evidence.get("graph.organization")
    if org is not None:
        if not entra.tenant_id.strip():
            entra.tenant_id = str(org.data.get("tenant_id", ""))
        if not entra.tenant_name.strip():
            entra.tenant_name = str(org.data.get("display_name", ""))
    record_evidence(profile, result.evidence.values())
