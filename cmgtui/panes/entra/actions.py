"""The Part 2 flows: check roles, create the apps through Graph, resume, verify, hand-off package.

Every tenant call runs as a cloud job (``self.cmg.cloud.run_posting``) that posts its typed result
back to this pane; its log lines stream to the activity log and the pane's job log. The work is
in :mod:`cmgtui.services` (``entra_roles``, ``entra_apps``), shared with ``cmgtui entra``. Creation is confirmed first with the exact list of what
will be made; its result is written to the profile (IDs, URI, secret key ID and expiry, never
the secret text) and the new secret goes only to :class:`SecretModal`, shown once. Whether the
signed-in account may create the apps is the ENTRA-GA rule's verdict, not a check of its own.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from cmgtui.cloud.jobs import LogFn
from cmgtui.domain.display_text import visible
from cmgtui.domain.handoff import HandoffSpec, package_files
from cmgtui.domain.rules import checks
from cmgtui.domain.rules.entra import APP_RULE_IDS
from cmgtui.domain.rules.results import RuleResult, Severity, Status
from cmgtui.domain.validate import (
    PathUse,
    app_id_uri_check,
    app_names_problem,
    path_problem,
)
from cmgtui.messages import EntraAppsCreated, EntraAppsVerified, EntraCreationStopped, EntraRolesRead
from cmgtui.panes.entra.text import confirm_text
from cmgtui.private_files import make_dirs, write_user_file
from cmgtui.widgets.base import AppAccess
from cmgtui.widgets.modals import ConfirmModal, NameModal
from cmgtui.widgets.secret_modal import SecretModal, secret_file_problem

if TYPE_CHECKING:
    from cmgtui.cloud.app_registration import AppSpec
    from cmgtui.cloud.credentials import CloudSession
    from cmgtui.cloud.journal import OperationsJournal, PendingOperation
    from cmgtui.cloud.models import ClientSecret, SecretDelivery

CREATE_KIND = "create_apps"


#: The check of the folder the hand-off package goes to (made if its parent exists).
folder_problem = partial(path_problem, use=PathUse.FOLDER, what="a folder for the hand-off package")


class EntraFlows(AppAccess):
    """Mixin for the Part 2 pane: the actions behind its buttons."""

    #: What a damaged operations journal could not tell (empty when it is whole).
    journal_damage = ""

    def _say(self, message: str, *, error: bool = False) -> None:
        """Show ``message`` on the pane and as a notification."""
        line = self.query_one("#p2-message", Static)
        line.update(Text(visible(message, keep_lines=True)))
        line.set_class(not message, "-empty")
        self.notify(message, severity="error" if error else "information", timeout=10)

    def journal(self) -> OperationsJournal:
        """The profile's operations journal."""
        from cmgtui.services.entra_apps import operations_journal

        return operations_journal(self.profile)

    def pending_creations(self) -> list[PendingOperation]:
        """Unfinished app creations in the journal (a crash or failure mid-way).

        One that stopped before any step began (cancelled, or refused up front) made nothing in
        the tenant, so there is nothing to resume and no notice to show.
        """
        journal = self.journal()
        try:
            pending = [p for p in journal.pending() if p.kind == CREATE_KIND and (p.open_steps or p.done_steps)]
        except OSError:
            return []
        self.journal_damage = journal.damage.message if journal.damage is not None else ""
        if journal.quarantined_now:
            self.cmg.log_activity("entra", self.journal_damage)
        return pending

    def unsaved_secret(self) -> str:
        """The key ID of the profile's client secret when the journal says no file received it."""
        from cmgtui.cloud.app_registration import SECRET_STEP

        key_id = self.profile.entra.server_app.secret_key_id.strip()
        if not key_id:
            return ""
        try:
            outcomes = [d for d in self.journal().step_outcomes(SECRET_STEP) if str(d.get("key_id", "")) == key_id]
        except OSError:
            return ""
        return key_id if outcomes and not any(d.get("file") for d in outcomes) else ""

    # -- roles ---------------------------------------------------------------------------------

    def check_roles(self, then_create: bool = False) -> None:
        """Read the signed-in user's roles and the tenant; optionally go on to create the apps."""
        profile = self.profile.model_copy(deep=True)

        async def job(session: CloudSession, log: LogFn) -> Message:
            from cmgtui.services.entra_roles import read_roles

            return EntraRolesRead(await read_roles(session, profile, log=log), then_create)

        self.cmg.cloud.run_posting(self, "Check Microsoft Entra roles", job)

    def on_entra_roles_read(self, message: EntraRolesRead) -> None:
        """Record the roles and the tenant; go on to the creation when that was asked."""
        from cmgtui.services.entra_roles import record_roles

        message.stop()
        read = message.read
        self.cmg.mutate(lambda p: record_roles(p, read), "Recorded the Entra roles and tenant")
        if message.then_create:
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
        made = entra.server_app  # an earlier creation's app keeps the secret it saved; none is added
        kept = made.secret_key_id if made.app_id and not self.pending_creations() else ""
        question = confirm_text(entra.tenant_id, entra.tenant_name, spec.server_name, spec.client_name,
                                spec.app_id_uri or f"api://{entra.tenant_id}/ConfigMgrService",
                                spec.secret_months or 12, spec.user_discovery, kept_secret_key=kept)
        # names and the URI are the user's text, never markup
        if not await self.app.push_screen_wait(ConfirmModal(question, yes_label="Create in the tenant")):
            return
        secret_file = await self.ask_secret_file()
        if secret_file is not None:
            self.run_create(secret_file, spec)

    def _spec(self) -> AppSpec:
        from cmgtui.services.entra_apps import spec_from

        return spec_from(self.profile)

    async def ask_secret_file(self) -> Path | None:
        """The new file a client secret is written to the moment Graph returns it (None: cancelled)."""
        name = self.profile.entra.server_app.display_name.strip() or "CMG-ServerApp"
        suggestion = Path("~") / f"{''.join(c if c.isalnum() or c in '-_' else '-' for c in name)}-secret.txt"
        answer = await self.app.push_screen_wait(NameModal(
            "File for the new client secret (written at once, readable by you only)", secret_file_problem,
            str(suggestion)))
        return Path(answer).expanduser() if answer else None

    def run_create(self, secret_file: Path, spec: AppSpec | None = None) -> None:
        """Create (or resume) both apps, the secret going to ``secret_file``, and read them back."""
        profile = self.profile.model_copy(deep=True)

        async def job(session: CloudSession, log: LogFn) -> Message:
            from cmgtui.cloud.app_registration import CreationFailed
            from cmgtui.cloud.graph import GraphGateway
            from cmgtui.services.entra_apps import create_or_resume

            async with GraphGateway(session) as graph:
                try:
                    return EntraAppsCreated(await create_or_resume(graph, profile, secret_file, spec=spec, log=log))
                except CreationFailed as failure:
                    if failure.secret is None and failure.delivery is None:
                        raise
                    return EntraCreationStopped(failure)  # the secret it added must reach the screen

        self.cmg.cloud.run_posting(self, "Create the Entra apps", job)

    @work(group="entra-ui")
    async def start_resume(self) -> None:
        """Finish an unfinished creation from the journal (reconciling, never duplicating)."""
        secret_file = await self.ask_secret_file()
        if secret_file is not None:
            self.run_create(secret_file)

    def on_entra_creation_stopped(self, message: EntraCreationStopped) -> None:
        """A creation failed after adding a secret: say why, record and show the secret it kept."""
        from cmgtui.services.entra_apps import record_creation

        message.stop()
        self.after_job()
        failure = message.failure
        delivery, secret = failure.delivery, failure.secret
        self.cmg.mutate(lambda p: record_creation(p, None, delivery), "Recorded the client secret added")
        saved = f" It is saved in {delivery.file}." if delivery else ""
        self._say(f"{failure.message} {failure.what_to_do} The client secret added before the failure is "
                  f"kept and shown now.{saved}", error=True)
        if secret is not None:
            self.show_secret(secret, self.profile.entra.server_app.display_name, delivery)

    def on_entra_apps_created(self, message: EntraAppsCreated) -> None:
        """Record both apps and the secret's key ID, and show a new secret once."""
        from cmgtui.services.entra_apps import record_creation

        message.stop()
        self.after_job()
        result = message.result
        self.cmg.mutate(lambda p: record_creation(p, result.apps, result.delivery, tenant_name=result.tenant_name,
                                                  evidence=result.evidence), "Recorded the created Entra apps")
        if result.secret is None and result.delivery is not None:
            self._say(f"Both app registrations are ready; no new secret was added. The client secret saved "
                      f"earlier to {result.delivery.file} (key ID {result.delivery.key_id}) is kept.")
            return
        if result.secret is None:
            self._say("Both app registrations are ready (existing apps were reused; no new secret was added).")
            return
        self._say(f"Both app registrations are ready. The client secret (key ID {result.secret.key_id}) is "
                  f"saved to {result.delivery.file if result.delivery else 'no file'}; it is shown once now.")
        self.show_secret(result.secret, result.apps.server.display_name, result.delivery)

    def show_secret(self, secret: ClientSecret, app_name: str, delivery: SecretDelivery | None) -> None:
        """The one-time display of ``secret`` (already saved to ``delivery.file`` when given)."""
        self.app.push_screen(SecretModal(secret.secret_text, secret.key_id, secret.end_date_time, app_name,
                                         saved_to=Path(delivery.file) if delivery else None))

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

        async def job(session: CloudSession, log: LogFn) -> Message:
            from cmgtui.cloud.graph import GraphGateway
            from cmgtui.services.entra_apps import verify

            async with GraphGateway(session) as graph:
                return EntraAppsVerified(await verify(graph, profile))

        self.cmg.cloud.run_posting(self, "Verify the Entra apps", job)

    def on_entra_apps_verified(self, message: EntraAppsVerified) -> None:
        """Record what the verification read; the results shown are the engine's on that evidence."""
        from cmgtui.services.entra_apps import record_verification

        message.stop()
        result = message.result
        self.cmg.mutate(lambda p: record_verification(p, result), "Recorded the Entra app settings")
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
