"""Part 2 pane: the Microsoft Entra tenant and the CMG's two app registrations (domain sheet §3.2, §4).

The administrator picks one of three paths: Configuration Manager creates the apps (what the
Global Administrator does in the wizard, and what follows), cmgtui creates them through
Microsoft Graph (roles checked live, a confirmation listing what will be made, a streaming
log, a resumable journal), or existing apps are imported by ID and verified property by
property. The values to carry into Configuration Manager are always listed, each copyable;
the part's rules close the pane. The flows themselves live in :mod:`part2_actions`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from cmgtui.domain.rules import checks
from cmgtui.domain.rules.entra import APP_RULE_IDS
from cmgtui.domain.rules.results import Phase, RuleResult
from cmgtui.domain.rules.rulebook import is_not_applicable
from cmgtui.domain.validate import app_id_uri_problem, app_name_clash, azure_service_name_problem, guid_problem
from cmgtui.messages import FieldEdited, ProfileMutation
from cmgtui.model import Profile
from cmgtui.model.enums import EntraPath
from cmgtui.panes.entra.actions import EntraFlows
from cmgtui.panes.entra.text import (
    LIFETIME_OPTIONS,
    PATH_OPTIONS,
    carry_values,
    configmgr_text,
    roles_text,
    values_line,
)
from cmgtui.widgets.base import Pane, PaneTitle, show_if_changed
from cmgtui.widgets.clipboard import copy_through_terminal
from cmgtui.widgets.fields import CheckField, FieldRow, GuidField, SelectField, TextField
from cmgtui.widgets.job_log import JobLog
from cmgtui.widgets.rule_report import RuleReport

LOG_LINES = 200
INTRO = ("Configuration Manager needs two app registrations in Microsoft Entra ID: a server (web) app with "
         "a client secret, and a client (native) app. Choose who makes them.")


def parse_day(text: str) -> date | None:
    """A typed date (YYYY-MM-DD), or None when it isn't one."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


class DateField(TextField):
    """A date typed as YYYY-MM-DD, stored as midnight UTC; anything else stays a draft.

    Partial text never reaches the model (pydantic would read "30" as a Unix time): it is kept
    in ``profile.drafts`` until it is a whole date.
    """

    def to_value(self, text: str) -> Any:
        day = parse_day(text)
        return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        event.prevent_default()  # TextField's handler would store the text itself
        text = event.value
        self.show_problem(self.problem(text))
        if not event.input.has_focus:
            return
        if not text.strip() or parse_day(text) is not None:
            self.post_message(FieldEdited(self.path, self.to_value(text), text))
            return
        path = self.path

        def keep_draft(profile: Profile) -> None:
            profile.drafts[path] = text

        self.post_message(ProfileMutation(keep_draft, f"Draft of {self.label}"))

    def display_text(self, value: Any) -> str:
        return f"{value:%Y-%m-%d}" if isinstance(value, datetime) else ("" if value is None else str(value))

    def problem(self, text: str) -> str | None:
        if text.strip() and parse_day(text) is None:
            return f"'{text.strip()}' is not a date; type it as YYYY-MM-DD, e.g. 2027-06-30."
        return None


class EntraPane(Pane, EntraFlows):
    """Part 2: choose how the apps come to exist, then create, import or prepare them."""

    ENTRY = "entra"
    TITLE = "Microsoft Entra ID"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._message_ids: tuple[str, str] | None = None
        self._journal_key: tuple[int, int] | None = None
        self._unsaved: tuple[object, str] = (None, "")
        self._pending: list[Any] = []

    def compose(self) -> ComposeResult:
        yield PaneTitle("Part 2 · Microsoft Entra ID app registrations", classes="pane-title")
        yield Static(INTRO, classes="part-what")
        yield Static(id="p2-status")
        yield SelectField("How do the server app and the client app come to exist?", "entra.path", PATH_OPTIONS,
                          prompt="Not chosen")
        yield Static(id="p2-message", classes="p2-message -empty")
        yield Static("Azure service in Configuration Manager", classes="section-title")
        yield TextField("Azure service name (Administration > Cloud Services > Azure Services)",
                        "entra.azure_service_name", validator=azure_service_name_problem,
                        placeholder="e.g. Contoso cloud management")
        yield Static("Values to carry into Configuration Manager", classes="section-title")
        yield OptionList(id="p2-values", compact=True)
        yield Static("Enter on a value copies it.", classes="hint")
        with Vertical(id="p2-configmgr", classes="path-section"):
            yield Static("Configuration Manager creates the apps", classes="section-title")
            yield Static(configmgr_text(), classes="advice")
        with Vertical(id="p2-tenant", classes="path-section"):
            yield Static("Tenant", classes="section-title")
            yield GuidField("Tenant ID (Directory ID)", "entra.tenant_id", validator=guid_problem,
                            placeholder="e.g. 00000000-0000-0000-0000-000000000000")
            yield TextField("Tenant name", "entra.tenant_name", placeholder="e.g. contoso.onmicrosoft.com")
        with Vertical(id="p2-wizard", classes="path-section"):
            yield from self._compose_wizard()
        with Vertical(id="p2-create", classes="path-section"):
            yield from self._compose_create()
        with Vertical(id="p2-import", classes="path-section"):
            yield from self._compose_import()
        yield Static("Rules for this part", classes="section-title")
        yield RuleReport(id="p2-rules")

    def _compose_create(self) -> ComposeResult:
        yield Static("Create the apps here through Microsoft Graph", classes="section-title")
        yield Static(id="p2-roles", classes="advice")
        yield Button("Check roles", id="p2-check-roles", compact=True)
        yield TextField("Server app (web) display name", "entra.server_app.display_name",
                        validator=self._server_name_problem)
        yield TextField("Client app (native) display name", "entra.client_app.display_name",
                        validator=self._client_name_problem)
        yield TextField("App ID URI", "entra.server_app.app_id_uri", validator=self._uri_problem,
                        placeholder="empty: api://<tenant ID>/ConfigMgrService", id="p2-create-uri")
        yield SelectField("Client secret lifetime", "entra.secret_lifetime", LIFETIME_OPTIONS)
        yield CheckField("Entra user discovery (Directory.Read.All)", "entra.user_discovery")
        yield Static(id="p2-pending", classes="p2-pending")
        yield Button("Resume the unfinished creation", id="p2-resume", compact=True)
        with Horizontal(classes="buttons"):
            yield Button("Create the apps", id="p2-create-apps", variant="primary", compact=True)
            yield Button("Write hand-off package", id="p2-handoff", compact=True)
        yield JobLog(max_lines=LOG_LINES, id="p2-log", shown=True)

    def _compose_wizard(self) -> ComposeResult:
        """The console wizard's own values: the App ID URI typed into it, then the IDs it made
        (Part 5's Entra command line needs the client app's ID)."""
        yield TextField("App ID URI (typed into the wizard's Web app > Create)", "entra.server_app.app_id_uri",
                        validator=self._uri_problem, placeholder="e.g. api://<tenant ID>/ConfigMgrService")
        yield Static("After the wizard: the IDs of the apps it made (Cloud Services > Microsoft Entra "
                     "tenants, or the apps' Overview in the Entra admin center).", classes="hint")
        yield GuidField("Server app: Application (client) ID", "entra.server_app.app_id", validator=guid_problem,
                        placeholder="e.g. 00000000-0000-0000-0000-000000000000")
        yield GuidField("Client app: Application (client) ID", "entra.client_app.app_id", validator=guid_problem,
                        placeholder="e.g. 00000000-0000-0000-0000-000000000000")

    def _compose_import(self) -> ComposeResult:
        yield Static("Import existing apps", classes="section-title")
        yield GuidField("Server app: Application (client) ID", "entra.server_app.app_id", validator=guid_problem,
                        placeholder="e.g. 00000000-0000-0000-0000-000000000000")
        yield GuidField("Client app: Application (client) ID", "entra.client_app.app_id", validator=guid_problem,
                        placeholder="e.g. 00000000-0000-0000-0000-000000000000")
        yield TextField("Server app: App ID URI", "entra.server_app.app_id_uri", validator=self._uri_problem,
                        placeholder="e.g. api://<tenant ID>/ConfigMgrService")
        yield DateField("Server app secret expiry (YYYY-MM-DD)", "entra.server_app.secret_expiry",
                        placeholder="e.g. 2027-06-30")
        yield Button("Verify against the tenant", id="p2-verify", compact=True)
        yield Static("Verification", classes="section-title")
        yield RuleReport(id="p2-verify-report")

    # -- validators (they read the profile, so tenant and domains count) ----------------------

    def _uri_problem(self, text: str) -> str | None:
        org = self.profile.evidence.get("graph.organization")
        domains = org.data.get("verified_domains", []) if org else []
        return app_id_uri_problem(text, self.profile.entra.tenant_id, domains)

    def _server_name_problem(self, text: str) -> str | None:
        return app_name_clash(text, self.profile.entra.client_app.display_name)

    def _client_name_problem(self, text: str) -> str | None:
        return app_name_clash(text, self.profile.entra.server_app.display_name)

    # -- journal -----------------------------------------------------------------

    def _refresh_pending(self) -> None:
        """Re-read the journal when it changed on disk."""
        journal = self.journal()
        try:
            stat = journal.path.stat()
            key = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = (0, 0)
        if key != self._journal_key:
            self._journal_key = key
            self._pending = self.pending_creations()

    def after_job(self) -> None:
        self._journal_key = None
        self.sync()

    def show_verification(self, results: list[RuleResult]) -> None:
        """Redraw: the verification table is the engine's verdict on the recorded evidence."""
        self.sync()

    def _say(self, message: str, *, error: bool = False) -> None:
        super()._say(message, error=error)
        self._message_ids = self._app_ids()

    def _app_ids(self) -> tuple[str, str]:
        entra = self.profile.entra
        return entra.server_app.app_id.strip().lower(), entra.client_app.app_id.strip().lower()

    # -- redraw -------------------------------------------------------------------------------

    def sync(self) -> None:
        profile = self.profile
        for row in self.query(FieldRow):
            row.sync(profile)
        path = profile.entra.path
        self.query_one("#p2-configmgr").display = path is EntraPath.CONFIGMGR_CREATES
        self.query_one("#p2-tenant").display = path in (EntraPath.CONFIGMGR_CREATES, EntraPath.IMPORT)
        self.query_one("#p2-wizard").display = path is EntraPath.CONFIGMGR_CREATES
        self.query_one("#p2-create").display = path is EntraPath.CREATE_HERE
        self.query_one("#p2-import").display = path is EntraPath.IMPORT
        self._sync_values()
        show_if_changed(self.query_one("#p2-roles", Static), roles_text(profile, self.cmg.cloud.user))
        self._refresh_pending()
        pending = self._pending
        note = self.query_one("#p2-pending", Static)
        cache_key = (self._journal_key, profile.entra.server_app.secret_key_id)
        if self._unsaved[0] != cache_key:
            self._unsaved = (cache_key, self.unsaved_secret())
        unsaved = self._unsaved[1]
        note.display = bool(pending or unsaved)
        self.query_one("#p2-resume", Button).display = bool(pending)
        if unsaved and not pending:
            note.update(Text(f"The client secret (key ID {unsaved}) was never saved to a file and can't be shown "
                             "again. Rotate it: Day two → Rotate secret adds a new one and removes this one.",
                             style="bold"))
        if pending:
            last = pending[-1]
            where = (f"unfinished steps: {', '.join(last.open_steps)}" if last.open_steps
                     else f"stopped after: {', '.join(last.done_steps)}")
            damage = f" {self.journal_damage}" if self.journal_damage else ""
            note.update(Text(f"An earlier app creation did not finish ({where}). Resume "
                             f"finishes it without making a second app.{damage}", style="bold"))
        results = self.results  # one evaluation for the headline and the tables
        show_if_changed(self.query_one("#p2-status", Static), 
            Text(checks.status_line(profile, Phase.ENTRA, results), style="italic"))
        mine = [r for r in results if r.phase is Phase.ENTRA and not is_not_applicable(r)]
        verification = [r for r in mine if r.rule in APP_RULE_IDS] if "graph.apps" in profile.evidence else []
        self.query_one("#p2-verify-report", RuleReport).show(
            verification, "Not verified yet: enter both app IDs and choose Verify.")
        if self._message_ids is not None and self._message_ids != self._app_ids():
            # A message about other app IDs (e.g. "... is not a GUID") no longer describes the data.
            self._message_ids = None
            line = self.query_one("#p2-message", Static)
            line.update("")
            line.set_class(True, "-empty")
        if path is EntraPath.IMPORT:
            mine = [r for r in mine if r.rule not in APP_RULE_IDS]
        self.query_one("#p2-rules", RuleReport).show(mine, "No rule of this part applies yet.")

    def _sync_values(self) -> None:
        values = self.query_one("#p2-values", OptionList)
        rows = carry_values(self.profile)
        highlighted = values.highlighted
        values.clear_options()
        values.add_options([Option(values_line(label, value), id=str(index))
                            for index, (label, value) in enumerate(rows)])
        if highlighted is not None and highlighted < len(rows):
            values.highlighted = highlighted

    # -- events -------------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        label, value = carry_values(self.profile)[int(event.option.id or 0)]
        if not value:
            self.notify(f"{label} is not known yet.", severity="warning")
            return
        copy_through_terminal(self.app, value, f"{label} ({value})")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "p2-check-roles": self.check_roles,
            "p2-create-apps": self.start_create,
            "p2-resume": self.start_resume,
            "p2-verify": self.start_verify,
            "p2-handoff": self.write_handoff,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            action()
