"""The Part 2 flows: check roles, create the apps through Graph, resume, verify, hand-off package.

Every tenant call runs as a cloud job (``self.cmg.cloud.run``) whose log lines stream to the
activity log and the pane's live log. Creation is confirmed first with the exact list of what
will be made; its result is written to the profile (IDs, URI, secret key ID and expiry, never
the secret text) and the new secret goes only to :class:`SecretModal`, shown once. Whether the
signed-in account may create the apps is the ENTRA-GA rule's verdict, not a check of its own.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from textual import work
from rich.text import Text
from textual.widgets import Static

from cmgtui import paths
from cmgtui.domain.display_text import visible
from cmgtui.domain.handoff import HandoffSpec, package_files
from cmgtui.domain.rules import checks
from cmgtui.domain.rules.entra import APP_RULE_IDS
from cmgtui.domain.rules.results import RuleResult, Severity, Status
from cmgtui.domain.validate import PathUse, app_id_uri_check, app_names_problem, path_problem
from cmgtui.model import Evidence, Profile
from cmgtui.model.enums import EntraPath
from cmgtui.panes.entra.text import confirm_text
from cmgtui.private_files import make_dirs, write_user_file
from cmgtui.widgets.base import AppAccess
from cmgtui.widgets.modals import ConfirmModal, NameModal
from cmgtui.widgets.secret_modal import SecretModal

CREATE_KIND = "create_apps"


#: The check of the folder the hand-off package goes to (made if its parent exists).
folder_problem = partial(path_problem, use=PathUse.FOLDER, what="a folder for the hand-off package")


class EntraFlows(AppAccess):
    """Mixin for the Part 2 pane: the actions behind its buttons."""

    def _say(self, message: str, *, error: bool = False) -> None:
        """Show ``message`` on the pane and as a notification."""
        line = self.query_one("#p2-message", Static)
        line.update(Text(visible(message, keep_lines=True)))
        line.set_class(not message, "-empty")
        self.notify(message, severity="error" if error else "information", timeout=10)

    def journal(self) -> Any:
        """The profile's operations journal."""
        from cmgtui.cloud.journal import OperationsJournal

        return OperationsJournal(paths.operations_journal(self.profile.name))

    def pending_creations(self) -> list[Any]:
        """Unfinished app creations in the journal (a crash or failure mid-way).

        One that stopped before any step began (cancelled, or refused up front) made nothing in
        the tenant, so there is nothing to resume and no notice to show.
        """
        try:
            return [p for p in self.journal().pending()
                    if p.kind == CREATE_KIND and (p.open_steps or p.done_steps)]
        except OSError:
            return []

    # -- roles ---------------------------------------------------------------------------------

    def check_roles(self, then_create: bool = False) -> None:
        """Read the signed-in user's roles and the tenant; optionally go on to create the apps."""
        profile = self.profile

        async def job(session, log):  # type: ignore[no-untyped-def]
            from cmgtui.cloud.preflight import gather

            found = await gather(session, profile, only=("roles", "organization"), log=log)
            if found.errors:
                raise found.errors[0][1]
            return found.evidence

        self.cmg.cloud.run("Check Microsoft Entra roles", job,
                           lambda evidence: self._roles_checked(evidence, then_create))

    def _roles_checked(self, evidence: list[Evidence], then_create: bool) -> None:
        self.cmg.record_evidence(evidence, "Recorded the Entra roles and tenant")
        org = next((e.data for e in evidence if e.source == "graph.organization"), None)
        if org is not None:
            def fill(profile: Profile) -> None:
                entra = profile.entra
                if entra.path is EntraPath.CREATE_HERE or not entra.tenant_id.strip():
                    entra.tenant_id = str(org["tenant_id"])
                    entra.tenant_name = str(org["display_name"])
            self.cmg.mutate(fill, "Tenant from Microsoft Entra ID")
        if then_create:
            self.confirm_and_create()

    def role_verdict(self) -> RuleResult | None:
        """The ENTRA-GA result for the current profile (None before any roles were read)."""
        if self.profile.evidence.get("graph.roles") is None:
            return None
        return next((r for r in checks.evaluate(self.profile) if r.rule == "ENTRA-GA"), None)

    # -- creation ------------------------------------------------------------------------------

    def input_problem(self) -> str | None:
        """Why the create inputs can't be used yet (names, App ID URI)."""
        entra = self.profile.entra
        problem = app_names_problem(entra.server_app.display_name, entra.client_app.display_name)
        if problem:
            return problem
        uri = entra.server_app.app_id_uri.strip()
        if uri:
            org = self.profile.evidence.get("graph.organization")
            domains = org.data.get("verified_domains", []) if org else []
            found = app_id_uri_check(uri, entra.tenant_id, domains)
            if found is not None and found[0] is Severity.ERROR:
                return found[1]
        return None

    def start_create(self) -> None:
        """Create button: check inputs, then roles (fresh), then confirm and create."""
        problem = self.input_problem()
        if problem:
            self._say(problem, error=True)
            return
        self.check_roles(then_create=True)

    @work(group="entra-ui")
    async def confirm_and_create(self) -> None:
        """Refuse with the needed role, or confirm exactly what will be created and run it."""
        verdict = self.role_verdict()
        if verdict is None or verdict.status is not Status.PASS:
            reason = verdict.message if verdict else "Your directory roles couldn't be read."
            self._say(f"{reason} Creating the CMG apps here needs the Global Administrator role in "
                      "Microsoft Entra ID. Write the hand-off package for an administrator who has it.",
                      error=True)
            if await self.app.push_screen_wait(ConfirmModal(
                    f"{reason}\nWrite the hand-off package for a Global Administrator now?",
                    yes_label="Write package")):
                self.write_handoff()
            return
        problem = self.input_problem()
        if problem:
            self._say(problem, error=True)
            return
        entra = self.profile.entra
        spec = self._spec()
        question = confirm_text(entra.tenant_id, entra.tenant_name, spec.server_name, spec.client_name,
                                spec.app_id_uri or f"api://{entra.tenant_id}/ConfigMgrService",
                                spec.secret_months or 12, spec.user_discovery)
        if await self.app.push_screen_wait(ConfirmModal(question, yes_label="Create in the tenant")):
            self.run_create(spec)

    def _spec(self) -> Any:
        from cmgtui.cloud.app_registration import AppSpec

        entra = self.profile.entra
        return AppSpec(server_name=entra.server_app.display_name.strip(),
                       client_name=entra.client_app.display_name.strip(),
                       app_id_uri=entra.server_app.app_id_uri.strip(), user_discovery=entra.user_discovery,
                       secret_months=int(entra.secret_lifetime.value))

    def run_create(self, spec: Any) -> None:
        """Create (or find) both apps and read them back for the rules."""
        journal = self.journal()

        async def job(session, log):  # type: ignore[no-untyped-def]
            from cmgtui.cloud.app_registration import create_apps
            from cmgtui.cloud.app_verify import read_app_evidence
            from cmgtui.cloud.graph import GraphGateway

            async with GraphGateway(session) as graph:
                created, secret = await create_apps(graph, spec, journal, log=log)
                evidence = await read_app_evidence(graph, created.server.app_id, created.client.app_id)
            return created, secret, evidence

        self.cmg.cloud.run("Create the Entra apps", job, self._created)

    def start_resume(self) -> None:
        """Finish an unfinished creation from the journal (reconciling, never duplicating)."""
        journal = self.journal()

        async def job(session, log):  # type: ignore[no-untyped-def]
            from cmgtui.cloud.app_registration import resume_pending
            from cmgtui.cloud.app_verify import read_app_evidence
            from cmgtui.cloud.graph import GraphGateway

            unfinished = [p for p in journal.pending() if p.kind == CREATE_KIND]
            lost = unfinished[-1].done_steps.get("server_secret") if unfinished else None
            async with GraphGateway(session) as graph:
                results = await resume_pending(graph, journal, log=log)
                if not results:
                    return None
                created, secret = results[-1]
                evidence = await read_app_evidence(graph, created.server.app_id, created.client.app_id)
            return created, secret, evidence, lost

        self.cmg.cloud.run("Resume the Entra app creation", job, self._created)

    def _created(self, result: Any) -> None:
        self.after_job()
        if result is None:
            self._say("Nothing was left to resume.")
            return
        created, secret, evidence, *rest = result
        lost: dict[str, Any] | None = rest[0] if rest else None
        org = evidence["graph.organization"].data

        def apply(profile: Profile) -> None:
            from cmgtui.cloud.app_registration import record_created

            record_created(profile.entra, created, secret, tenant_name=str(org.get("display_name", "")), lost=lost)

        self.cmg.mutate(apply, "Recorded the created Entra apps")
        self.cmg.record_evidence(evidence.values(), "Recorded the Entra app settings")
        if secret is None and lost and lost.get("key_id"):
            self._say(f"Both app registrations are ready. The client secret added before the interruption "
                      f"(key ID {lost['key_id']}) was never shown, so its value is lost: add a new secret to "
                      f"{created.server.display_name} in the Microsoft Entra admin center (Certificates & "
                      "secrets), enter its expiry here, and delete the lost one.", error=True)
            return
        if secret is None:
            self._say("Both app registrations are ready (existing apps were reused; no new secret was added).")
            return
        self._say(f"Both app registrations are ready. The client secret (key ID {secret.key_id}) is shown "
                  "once: copy or save it now.")
        self.app.push_screen(SecretModal(secret.secret_text, secret.key_id, secret.end_date_time,
                                         created.server.display_name))

    def after_job(self) -> None:
        """Redraw what depends on the journal (subclass refreshes the resume notice)."""

    # -- import and verify ---------------------------------------------------------------------

    def start_verify(self) -> None:
        """Read the two apps from the tenant and judge them property by property."""
        entra = self.profile.entra
        guids = next(r for r in checks.evaluate(self.profile) if r.rule == "ENTRA-GUIDS")
        if guids.status is Status.FAIL:
            self._say(guids.message, error=True)
            return
        for label, value in (("server app ID", entra.server_app.app_id), ("client app ID", entra.client_app.app_id)):
            if not value.strip():
                self._say(f"Enter the {label} to verify the apps.", error=True)
                return
        profile = self.profile.model_copy(deep=True)

        async def job(session, log):  # type: ignore[no-untyped-def]
            from cmgtui.cloud.app_verify import verify_apps
            from cmgtui.cloud.errors import CloudError
            from cmgtui.cloud.evidence import missing_apps_evidence
            from cmgtui.cloud.graph import GraphGateway

            async with GraphGateway(session) as graph:
                try:
                    return await verify_apps(graph, profile)
                except CloudError as error:
                    if error.kind != "not_found":
                        raise
                    # The verification ran and found no such app: a finding, recorded for these IDs.
                    return [], {"graph.apps": missing_apps_evidence(
                        profile.entra.server_app.app_id, profile.entra.client_app.app_id, error)}

        self.cmg.cloud.run("Verify the Entra apps", job, self._verified)

    def _verified(self, result: tuple[list[RuleResult], dict[str, Evidence]]) -> None:
        """Record what the verification read; the results shown are the engine's on that evidence."""
        _, evidence = result
        org = evidence["graph.organization"].data if "graph.organization" in evidence else {}

        def fill(profile: Profile) -> None:
            entra = profile.entra
            if not entra.tenant_id.strip():
                entra.tenant_id = str(org.get("tenant_id", ""))
            if not entra.tenant_name.strip():
                entra.tenant_name = str(org.get("display_name", ""))

        if org:
            self.cmg.mutate(fill, "Tenant from the app verification")
        self.cmg.record_evidence(evidence.values(), "Recorded the Entra app settings")
        results = [r for r in checks.evaluate(self.profile) if r.rule in APP_RULE_IDS]
        self.show_verification(results)
        failed = [r for r in results if r.status in (Status.FAIL, Status.WARN)]
        if failed:
            self._say(f"Verification found {len(failed)} problem(s): {failed[0].rule}: {failed[0].message}",
                      error=True)
        else:
            self._say("Both apps verified: every required property is set.")

    def show_verification(self, results: list[RuleResult]) -> None:
        """Show the verification results (subclass renders them)."""

    # -- hand-off package ----------------------------------------------------------------------

    @work(group="entra-ui")
    async def write_handoff(self) -> None:
        """Ask for a folder and write the manifest and the steps there (confirming overwrites)."""
        try:
            files = package_files(HandoffSpec.from_profile(self.profile))
        except ValueError as exc:
            self._say(str(exc), error=True)
            return
        answer = await self.app.push_screen_wait(
            NameModal("Folder for the hand-off package", folder_problem, "~/cmg-entra-handoff"))
        if not answer:
            return
        folder = Path(answer).expanduser()
        existing = [name for name in files if (folder / name).exists()]
        if existing and not await self.app.push_screen_wait(ConfirmModal(
                f"{', '.join(existing)} already exist in {folder}. Overwrite?", yes_label="Overwrite")):
            return
        try:
            make_dirs(folder)
            for name, text in files.items():
                write_user_file(folder / name, text.encode("utf-8"))
        except OSError as exc:
            self._say(f"Could not write the package to {folder}: {exc.strerror or exc}. Choose another folder.",
                      error=True)
            return
        self.cmg.log_activity("entra", f"Wrote the Entra hand-off package to {folder}")
        self._say(f"Hand-off package written to {folder}: {', '.join(files)}.")
