"""The Day two pane: the expiry calendar linked to its runbooks, and the three runbooks.

* renew-certificate: choose the new PFX, give its password; the renewal lint runs in a thread
  worker and the script appears only when nothing blocks it.
* rotate-secret: by who made the server app (Part 2). An imported app: name a new file, add a
  new secret through Graph (written to the file before anything else, then shown once in
  :class:`SecretModal`), give it to the site in the console, and remove the old secret only
  after confirming the site uses the new one. An app the console created: the console's
  Renew Secret Key only, then Read tenant so the calendar shows the secret that exists.
* scale: a new instance count or the peak number of clients (sizing calculator and the
  connection-point rule), or a VM size (console steps).

The runbook logic is in ``cmgtui.domain.runbooks``, the rotation's tenant work in
:mod:`cmgtui.services.rotate_secret` (each job posts its typed result back to this pane, and its
log lines to the pane's job log); the pane only asks and shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalGroup
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from cmgtui.domain.display_text import visible
from cmgtui.domain.expiry import describe, expiry_calendar
from cmgtui.domain.runbooks import Runbook
from cmgtui.domain.runbooks.rotate_secret import AppOrigin, app_origin, pending_rotation
from cmgtui.domain.validate import site_server_pfx_suggestion
from cmgtui.model import Profile
from cmgtui.model.enums import VmSize
from cmgtui.panes.automation import save_path_problem, write_text_file
from cmgtui.widgets.base import Pane, PaneTitle, show_if_changed
from cmgtui.widgets.job_log import JobLog
from cmgtui.widgets.modals import ConfirmModal, NameModal, replace_file_modal
from cmgtui.services.runbook import RunbookRequest, build_runbook

if TYPE_CHECKING:
    from cmgtui.cloud.credentials import CloudSession
    from cmgtui.cloud.jobs import LogFn
    from cmgtui.cloud.secret_rotation import TenantApp
    from cmgtui.services.rotate_secret import OldSecretRemoved, SecretAdded
    from cmgtui.widgets.password_modal import Secret

RUNBOOK_TITLES = {"renew-certificate": "Renew cert", "rotate-secret": "Secret", "scale": "Scale"}


def _int_or_none(text: str) -> int | None | str:
    """The number typed, None for empty, or the text back when it isn't a whole number."""
    raw = text.strip().replace(",", "")
    if not raw:
        return None
    return int(raw) if raw.isdigit() else text


def remove_old_secret_modal(new_key_id: str, old_key_id: str) -> ConfirmModal:
    """The question asked before the old server app secret is removed from the tenant."""
    return ConfirmModal(f"Does the site use the new secret ({new_key_id}) now? The old secret "
                        f"({old_key_id or 'unknown key ID'}) stops working when it is removed.",
                        yes_label="Remove the old secret")


class RotationSecretAdded(Message):
    """A new server app secret exists in the tenant and in its file (posted to the Day two pane)."""

    def __init__(self, added: SecretAdded) -> None:
        super().__init__()
        self.added = added


class TenantSecretsRead(Message):
    """The server app's secrets were read from the tenant (posted to the Day two pane)."""

    def __init__(self, tenant: TenantApp) -> None:
        super().__init__()
        self.tenant = tenant


class RotationFinished(Message):
    """The rotation's old secret was removed (posted to the Day two pane)."""

    def __init__(self, removed: OldSecretRemoved) -> None:
        super().__init__()
        self.removed = removed


class DayTwoPane(Pane):
    """Expiry calendar and runbooks for a running CMG."""

    ENTRY = "day_two"
    TITLE = "Day two"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "runbook('renew-certificate')", "Renew cert", id="day2_renew"),
        Binding("2", "runbook('rotate-secret')", "Rotate secret", id="day2_rotate"),
        Binding("3", "runbook('scale')", "Scale", id="day2_scale"),
        Binding("s", "save_script", "Save script", id="day2_save"),
        Binding("y", "copy_script", "Copy script", id="day2_copy"),
    ]
    DEFAULT_CSS = """
    DayTwoPane #dt-calendar { height: auto; max-height: 6; }
    DayTwoPane .dt-inputs { height: auto; display: none; }
    DayTwoPane .dt-inputs.shown { display: block; }
    DayTwoPane .dt-inputs Input { width: 1fr; }
    DayTwoPane .buttons Button { min-width: 0; }
    DayTwoPane #dt-report { height: auto; }
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Pane's own arguments, passed on as given
        self.current = "renew-certificate"
        self.book: Runbook | None = None
        self.built = False

    def compose(self) -> ComposeResult:
        yield PaneTitle("Day two · runbooks", classes="pane-title")
        yield VerticalGroup(id="dt-body")

    async def on_show(self) -> None:
        await self._build()

    async def _build(self) -> None:
        """Mount the pane's widgets the first time it is shown (start-up stays light), then draw."""
        if not self.built:
            self.built = True
            await self.query_one("#dt-body", VerticalGroup).mount_compose(self._body())
            if self.cmg.profile is not None:
                self.sync()

    def _body(self) -> ComposeResult:
        yield Static("Expiry calendar (Enter opens the runbook that renews the item):", classes="hint")
        yield OptionList(id="dt-calendar")
        with Horizontal(classes="buttons"):
            for number, (name, title) in enumerate(RUNBOOK_TITLES.items(), start=1):
                yield Button(f"{title} ({number})", id=f"dt-{name}")
        with Vertical(id="dt-in-renew-certificate", classes="dt-inputs"):
            yield Input(placeholder="New PFX file (the renewed certificate)", id="dt-pfx", compact=True)
            yield Input(placeholder="Its Windows path on the site server (empty: C:\\CMG\\<its file name>)",
                        id="dt-site-pfx", compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Browse", id="dt-browse")
                yield Button("Check the new PFX", id="dt-check-pfx")
        with Vertical(id="dt-in-rotate-secret", classes="dt-inputs"):
            with Horizontal(classes="buttons"):
                # Short labels: all three fit beside the navigation at 80 columns.
                yield Button("New secret", id="dt-add-secret")
                yield Button("Remove old", id="dt-remove-old")
                yield Button("Read tenant", id="dt-read-tenant")
        with Vertical(id="dt-in-scale", classes="dt-inputs"):
            yield Input(placeholder="New VM instance count (1-16)", id="dt-instances", compact=True)
            yield Input(placeholder="…or peak concurrent clients", id="dt-peak", compact=True)
            yield Button("Plan", id="dt-plan")
        yield Static(id="dt-report")
        with Horizontal(classes="buttons"):
            yield Button("Save script (s)", id="dt-save")
            yield Button("Copy (y)", id="dt-copy")
        yield JobLog(id="dt-log", max_lines=100)
        yield Static(id="dt-script")

    # Drawing ----------------------------------------------------------------------------

    def sync(self) -> None:
        if not self.built:
            return
        calendar = self.query_one("#dt-calendar", OptionList)
        entries = expiry_calendar(self.profile)
        options = []
        for index, entry in enumerate(entries):
            line = Text(visible(describe(entry)))
            if entry.runbook:
                line.append(f" → {entry.runbook}", style="bold")
            options.append(Option(line, id=f"{index}:{entry.runbook}", disabled=not entry.runbook))
        calendar.set_options(options or [Option("Nothing in this profile has an expiry date yet.", disabled=True)])
        if self.book is None or self.current != "renew-certificate":
            self._show_runbook(self.current)

    def _show_runbook(self, name: str) -> None:
        self.current = name
        for runbook in RUNBOOK_TITLES:
            self.query_one(f"#dt-in-{runbook}").set_class(runbook == name, "shown")
        if name == "rotate-secret":
            self._show_book(build_runbook(self.profile, RunbookRequest("rotate-secret")))
        elif name == "scale":
            if not self.query("#dt-size"):
                # Mounted on first use: Selects mounting during start-up slow the first frame.
                self.query_one("#dt-in-scale").mount(Select(
                    [("Lab B2s", VmSize.LAB.value), ("Standard A2_v2", VmSize.STANDARD.value),
                     ("Large A4_v2", VmSize.LARGE.value)], prompt="VM size: unchanged", id="dt-size",
                    compact=True), before="#dt-plan")
            self._plan_scale()
        else:
            self._show_book(Runbook(name, "Renew the CMG server authentication certificate",
                                 blockers=("Choose the new PFX file, then Check the new PFX.",)))

    def _show_book(self, book: Runbook) -> None:
        self.book = book
        report = Text()
        for line in book.render_text().splitlines():
            style = "bold" if line == book.title else "red" if line.lstrip().startswith("✗") else ""
            report.append(line + "\n", style=style)
        if self.current == "rotate-secret":
            pending = pending_rotation(self.profile)
            imported = app_origin(self.profile) is AppOrigin.IMPORTED
            self.query_one("#dt-remove-old", Button).display = imported
            self.query_one("#dt-add-secret", Button).display = imported
            self.query_one("#dt-remove-old", Button).disabled = pending is None
            self.query_one("#dt-add-secret", Button).disabled = pending is not None or bool(book.blockers)
        show_if_changed(self.query_one("#dt-report", Static), report)
        show_if_changed(self.query_one("#dt-script", Static), 
            Syntax(book.script, "powershell", word_wrap=True, background_color="default") if book.script else "")
        for button in ("#dt-save", "#dt-copy"):
            self.query_one(button, Button).disabled = book.script is None

    # Events -----------------------------------------------------------------------------

    def action_runbook(self, name: str) -> None:
        if self.built:
            self._show_runbook(name)

    @on(OptionList.OptionSelected, "#dt-calendar")
    def _calendar_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = (event.option.id or "").partition(":")[2]
        if name:
            self._show_runbook(name)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id or ""
        if button.removeprefix("dt-") in RUNBOOK_TITLES:
            self._show_runbook(button.removeprefix("dt-"))
        elif button == "dt-browse":
            self._browse()
        elif button == "dt-check-pfx":
            self._check_pfx()
        elif button == "dt-plan":
            self._plan_scale()
        elif button == "dt-add-secret":
            self._add_secret()
        elif button == "dt-remove-old":
            self._remove_old()
        elif button == "dt-read-tenant":
            self._read_tenant()
        elif button == "dt-save":
            self.action_save_script()
        elif button == "dt-copy":
            self.action_copy_script()

    # renew-certificate ------------------------------------------------------------------

    @work
    async def _browse(self) -> None:
        from cmgtui.widgets.file_picker import FilePickerModal

        field = self.query_one("#dt-pfx", Input)
        chosen = await self.app.push_screen_wait(FilePickerModal("Choose the new PFX", field.value))
        if chosen:
            field.value = chosen
            site = self.query_one("#dt-site-pfx", Input)
            if not site.value.strip():  # a suggestion on the site server, never the path chosen here
                site.value = site_server_pfx_suggestion(chosen)

    @work(exclusive=True, group="day2-pfx")
    async def _check_pfx(self) -> None:
        from cmgtui.widgets.password_modal import PasswordModal, Secret

        path = self.query_one("#dt-pfx", Input).value.strip()
        if not path:
            self._show_book(build_runbook(self.profile, RunbookRequest("renew-certificate")))
            return
        answer = await self.app.push_screen_wait(PasswordModal(
            "Password of the new PFX", "Used once to read the file; not saved.", min_length=0))
        if answer is None:
            return
        secret = Secret(answer)
        profile = self.profile.model_copy(deep=True)
        site_path = self.query_one("#dt-site-pfx", Input).value.strip()
        worker = self._lint_in_thread(profile, path, secret, site_path)
        await worker.wait()
        if worker.result is not None:
            self._show_book(worker.result)

    @work(thread=True, exclusive=True, group="day2-lint", exit_on_error=False)
    def _lint_in_thread(self, profile: Profile, path: str, secret: Secret, site_path: str) -> Runbook:
        try:
            return build_runbook(profile, RunbookRequest("renew-certificate", new_pfx=path, pfx_password=secret.as_bytes(),
                                                         site_pfx_path=site_path))
        finally:
            secret.clear()

    # scale ------------------------------------------------------------------------------

    def _plan_scale(self) -> None:
        instances = _int_or_none(self.query_one("#dt-instances", Input).value)
        peak = _int_or_none(self.query_one("#dt-peak", Input).value)
        size_value: object = Select.NULL
        for select in self.query("#dt-size").results(Select):
            size_value = select.value
        size = VmSize(size_value) if isinstance(size_value, str) else None
        if isinstance(instances, str) or isinstance(peak, str):
            self._show_book(Runbook("scale", "Scale the CMG (VM instances, VM size)",
                                 blockers=("Type whole numbers for the instance count and the peak clients.",)))
            return
        self._show_book(build_runbook(self.profile, RunbookRequest("scale", instances=instances, peak_clients=peak,
                                                                   vm_size=size)))

    # rotate-secret ----------------------------------------------------------------------

    @work
    async def _add_secret(self) -> None:
        """Ask for the new file first; the job adds the secret and writes it there before anything else."""
        from pathlib import Path

        from cmgtui.widgets.secret_modal import secret_file_problem

        if not self.cmg.cloud.signed_in:
            self.notify("Sign in first: press F3 (or use the command palette).", title="New secret",
                        severity="warning")
            return
        answer = await self.app.push_screen_wait(NameModal(
            "New file for the new secret (written before anything else; only you can read it)", secret_file_problem))
        if not answer:
            return
        target = Path(answer).expanduser()
        profile = self.profile.model_copy(deep=True)

        async def job(session: CloudSession, log: LogFn) -> Message:
            from cmgtui.cloud.graph import GraphGateway
            from cmgtui.services.rotate_secret import add_secret

            async with GraphGateway(session) as graph:
                return RotationSecretAdded(await add_secret(graph, profile, target, log=log))

        self.cmg.cloud.run_posting(self, "Add a new server app secret", job)

    def on_rotation_secret_added(self, message: RotationSecretAdded) -> None:
        """Record the new secret as pending and show it once (an adopted one is in its file already)."""
        from cmgtui.services.rotate_secret import record_added
        from cmgtui.widgets.secret_modal import SecretModal

        message.stop()
        added = message.added
        secret = added.secret
        self.cmg.mutate(lambda p: record_added(p, added),
                        f"Added client secret {secret.key_id} (in {secret.path}); the old one is kept until confirmed")
        if secret.removed_undelivered:
            self.notify("An earlier rotation was interrupted before its secret was recorded; that secret was "
                        f"removed from the app: {', '.join(secret.removed_undelivered)}.",
                        title="Undelivered secret removed", markup=False, timeout=15)
        if secret.adopted:
            self.notify(f"An earlier rotation was interrupted after writing its secret (key ID {secret.key_id}) to "
                        f"{secret.path}: that secret is kept as the new one and no other was added. Enter it and "
                        "its expiry with Renew Secret Key in the console.", title="New secret", markup=False,
                        timeout=20)
        else:
            self.notify(f"The new secret is in {secret.path} (readable by you only). Enter it and its expiry with "
                        "Renew Secret Key in the console.", title="New secret", markup=False, timeout=15)
            self.app.push_screen(SecretModal(secret.secret_text, secret.key_id, secret.end_date_time,
                                             self.profile.entra.server_app.display_name, saved_to=secret.path))
        self._show_runbook("rotate-secret")

    def _read_tenant(self) -> None:
        """Read the server app's secrets back so the calendar shows what exists in the tenant."""
        profile = self.profile.model_copy(deep=True)

        async def job(session: CloudSession, log: LogFn) -> Message:
            from cmgtui.cloud.graph import GraphGateway
            from cmgtui.services.rotate_secret import read_tenant

            async with GraphGateway(session) as graph:
                return TenantSecretsRead(await read_tenant(graph, profile))

        self.cmg.cloud.run_posting(self, "Read the server app's secrets", job)

    def on_tenant_secrets_read(self, message: TenantSecretsRead) -> None:
        """Make the calendar's secret what the tenant holds, and say which it is."""
        from cmgtui.services.rotate_secret import record_tenant

        message.stop()
        tenant = message.tenant
        said: list[str] = []
        self.cmg.mutate(lambda p: said.append(record_tenant(p, tenant)), "Read the server app's secrets from the tenant")
        self.notify(said[0] if said else "Read the tenant.", title="Server app secrets", markup=False)
        self.sync()

    @work
    async def _remove_old(self) -> None:
        pending = pending_rotation(self.profile)
        if pending is None:
            return
        confirmed = await self.app.push_screen_wait(remove_old_secret_modal(pending.new_key_id, pending.old_key_id))
        if not confirmed:
            return
        profile = self.profile.model_copy(deep=True)

        async def job(session: CloudSession, log: LogFn) -> Message:
            from cmgtui.cloud.graph import GraphGateway
            from cmgtui.services.rotate_secret import remove_old

            async with GraphGateway(session) as graph:
                return RotationFinished(await remove_old(graph, profile, confirmed=True, log=log))

        self.cmg.cloud.run_posting(self, "Remove the old server app secret", job)

    def on_rotation_finished(self, message: RotationFinished) -> None:
        """The new secret becomes the current one."""
        from cmgtui.services.rotate_secret import record_removed

        message.stop()
        self.cmg.mutate(record_removed, f"Removed the old client secret {message.removed.old_key_id}")
        self.notify("The old client secret was removed; only the new one works now.")
        self._show_runbook("rotate-secret")

    # Script -----------------------------------------------------------------------------

    def action_copy_script(self) -> None:
        if self.built and self.book is not None and self.book.script:
            self.app.copy_to_clipboard(self.book.script)
            self.notify("Script copied to the clipboard (through the terminal).")

    @work
    async def action_save_script(self) -> None:
        book = self.book
        if book is None or not book.script:
            return
        default = f"cmg-{self.profile.name.replace(' ', '-')}-{book.name}.ps1"
        from pathlib import Path

        target = await self.app.push_screen_wait(NameModal("Save the script to", save_path_problem,
                                                           initial=str(Path.cwd() / default)))
        if target is None:
            return
        path = Path(target).expanduser()
        if path.exists() and not await self.app.push_screen_wait(
                replace_file_modal(path)):
            return
        try:
            write_text_file(path, book.script, "utf-8-sig")
        except OSError as exc:
            self.notify(f"Could not write {path}: {exc.strerror or exc}", severity="error")
            return
        self.cmg.log_activity("day_two", f"Saved the {book.name} script to {path}")
        self.notify(f"Saved the {book.name} script to {path}.")
