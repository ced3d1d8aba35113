"""The pre-setup checklist pane: the seed article's eight items, each editable.

Every item shows its computed status, what it is about, the values it needs, a note and the
administrator's confirmation. Values are validated as they are typed; invalid text stays on
screen (and in the profile as a draft) with the reason, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Button, Static

from cmgtui.cloud.jobs import LogFn
from cmgtui.domain import hierarchy, validate
from cmgtui.domain.display_text import visible
from cmgtui.domain.azure import endpoints, names, sizing
from cmgtui.domain.rules import checklist
from cmgtui.messages import FieldEdited
from cmgtui.model import AzureEnvironment, EntraRole, Evidence, Profile, VmSize
from cmgtui.widgets.badge import badge
from cmgtui.widgets.base import Pane, PaneTitle, app_is_closing, show_if_changed
from cmgtui.widgets.fields import CheckField, FieldRow, IntField, ListField, SelectField, TextField
from cmgtui.widgets.job_log import JobLog
from cmgtui.widgets.region import EnvironmentField, RegionField

VM_SIZE_CHOICES = [(sizing.size_label(size), size) for size in VmSize]
ROLE_CHOICES = [(role.value, role) for role in EntraRole]
#: Items built with the pane (an 80x24 terminal shows the first); the rest when reached (:class:`LaterItem`).
ITEMS_IN_FIRST_FRAME = 1


def _sizing_text(profile: Profile) -> Text:
    gateway = profile.gateway
    peak = hierarchy.total_peak_clients(profile)
    if not peak:
        return Text("Enter the peak number of concurrent internet clients to size the CMG.", style="dim")
    result = sizing.size_instances(
        peak, gateway.vm_size, gateway.high_availability, profile.site.site_version,
        profile.deployment_method,
    )
    text = Text("\n".join(result.steps))
    text.append(f"\nRecommended: {result.recommended} VM instance(s).", style="bold")
    return text


def _endpoint_table(profile: Profile) -> Text:
    """Endpoints grouped by the component that must reach them; each host:port on its own
    line, so a name is read whole at 80 columns (a table column would cut it)."""
    if profile.environment is None:
        return Text("Choose the Azure environment to see the endpoints each server must reach.", style="dim")
    rows = endpoints.required_endpoints(
        names.derive_names(profile), profile.environment, profile.gateway.vm_instances or 1
    )
    text = Text()
    component = None
    for row in rows:
        if row.component != component:
            component = row.component
            text.append(("\n" if text else "") + f"{component}:", style="bold")
        text.append(f"\n  {row.host}:{row.port}")
    return text


def item_heading(profile: Profile, item: checklist.ChecklistEntry, number: int) -> Text:
    """An item's heading: its number, title and status, and why it is not done yet."""
    result = checklist.item_result(profile, item.id)
    heading = Text(f"{number}. {item.title}  ")
    heading.append_text(badge(checklist.state_of(result)))
    reason = checklist.item_reason(result)
    if reason:
        heading.append(f"\n{visible(reason)}", style="italic")
    return heading


class ChecklistItemBox(Vertical):
    """One checklist item: heading with status, explanation, its fields, note, confirmation."""

    def __init__(self, item: checklist.ChecklistEntry, number: int, fields: list[FieldRow | Static]) -> None:
        super().__init__(id=f"item-{item.id}", classes="checklist-item")
        self.item = item
        self.number = number
        self.fields = fields
        #: The item's bound rows, its note and confirmation last (known before the box is built).
        self.rows = [field for field in fields if isinstance(field, FieldRow)] + [
            TextField("Note", f"checklist.{item.id}.note", placeholder="Your note (optional)"),
            CheckField("Confirmed by me", f"checklist.{item.id}.confirmed"),
        ]

    def compose(self) -> ComposeResult:
        self._heading = Static(id=f"heading-{self.item.id}", classes="item-heading")
        yield self._heading
        yield Static(self.item.explanation, classes="item-explanation")
        yield from self.fields
        yield from self.rows[-2:]

    def on_mount(self) -> None:
        # a box built after the pane (see ITEMS_IN_FIRST_FRAME) draws itself before its first
        # frame; the boxes mounted with the pane are drawn by the pane's first sync
        pane = next((node for node in self.ancestors if isinstance(node, ChecklistPane)), None)
        if pane is not None and not app_is_closing(self) and pane.is_mounted and pane.cmg.profile is not None:
            pane.sync_item(self)

    def unfinished(self, profile: Profile) -> bool:
        """Whether a row of this item still needs a value (built or not)."""
        return any(row.unfinished(profile) for row in self.rows)

    def sync(self, profile: Profile) -> None:
        """Redraw the heading and every field from ``profile``."""
        show_if_changed(self._heading, item_heading(profile, self.item, self.number))
        for row in self.rows:
            row.sync(profile)


class LaterItem(Static, can_focus=True):
    """An item below the fold before it is built: its heading line, with its status.

    Each item is 10 to 30 widgets; all eight were about five sixths of the CPU time of opening
    a profile on the checklist, spent on items an 80x24 terminal does not show. An item is
    built when the user reaches it (Tab or a click lands here, the pane scrolls to its end, F4 or Enter
    looks for a missing value in it) or pauses (:meth:`ChecklistPane.build_rest`); every item
    still waiting is then built at once, in one layout. Keys typed here meanwhile are held and
    handed to the field the focus lands on.
    """

    def __init__(self, box: ChecklistItemBox) -> None:
        super().__init__(id=f"later-{box.item.id}", classes="checklist-item item-heading later-item")
        self.box = box
        self.held: list[events.Key] = []

    def on_focus(self) -> None:
        pane = self.parent
        if isinstance(pane, ChecklistPane):
            pane.build_rest()

    def on_key(self, event: events.Key) -> None:
        """Hold a key meant for the item's field until the item is built: every key but those
        of the App and the screen (Tab moves on, Escape goes back to the navigation). Enter or
        an arrow would otherwise act on the pane (scroll it) instead of the field."""
        if any(event.key in node._bindings.key_to_bindings for node in (self.app, self.screen)):
            return
        event.stop()
        event.prevent_default()
        self.held.append(events.Key(event.key, event.character))


class InternetProbed(Message):
    """The internet-access probe finished (posted to the checklist that started it)."""

    def __init__(self, evidence: Evidence) -> None:
        super().__init__()
        self.evidence = evidence


class ChecklistPane(Pane):
    """All eight items of the pre-setup checklist."""

    ENTRY = "checklist"
    TITLE = "Checklist"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "live_checks", "Live checks", id="checklist_live"),
        Binding("p", "probe_internet", "Probe endpoints", id="checklist_probe"),
    ]

    def compose(self) -> ComposeResult:
        yield PaneTitle("Pre-setup checklist", classes="pane-title")
        yield Static(id="checklist-summary")
        yield Button("Run live checks (l)", id="live-checks", compact=True)
        yield Static("Reads your Entra roles, the subscription Owner role and the regions it offers.",
                     classes="hint")
        yield JobLog(id="checklist-log", max_lines=100)  # the live checks' and the probe's lines
        specific: dict[str, list[FieldRow | Static]] = {
            "environment": [EnvironmentField()],
            "region": [RegionField()],
            "vm_instances": [
                IntField("Peak concurrent internet clients", "gateway.peak_concurrent_clients",
                         validator=sizing.peak_clients_problem),
                SelectField("VM size", "gateway.vm_size", VM_SIZE_CHOICES),
                CheckField("High availability (at least 2 VM instances)", "gateway.high_availability"),
                Static(id="sizing-hierarchy", classes="calculation"),
                Static(id="sizing-steps", classes="calculation"),
                Button("Use recommended count", id="use-recommended", compact=True),
                IntField("VM instances (1-16)", "gateway.vm_instances",
                         validator=sizing.vm_instances_problem),
            ],
            "entra_role": [SelectField("Role held by whoever registers the apps", "entra.app_registrar_role",
                                       ROLE_CHOICES)],
            "subscription_owner": [],
            "cmgcp_server": [
                ListField("CMG connection point server FQDN(s), comma separated", "site.cmgcp_servers",
                          validator=validate.fqdn_problem, placeholder="e.g. cmgcp01.contoso.com"),
                Static(id="cmgcp-hint", classes="calculation"),
                Static(id="cmgcp-hierarchy", classes="calculation"),
            ],
            "internet_access": [
                Static(id="endpoint-table"),
                Button("Probe from this machine (p)", id="probe-internet", compact=True),
                Static("The probe runs from the machine cmgtui runs on, which may not be the site "
                       "system; CMG names are reachable only after deployment.", classes="hint"),
            ],
            "optional_feature": [
                IntField("Site version (e.g. 2309)", "site.site_version",
                         validator=validate.site_version_problem),
                CheckField("'Cloud management gateway with virtual machine scale set' is turned on",
                           "optional_feature_enabled"),
            ],
        }
        self._boxes = [ChecklistItemBox(item, number, specific[item.id])
                       for number, item in enumerate(checklist.CHECKLIST_ENTRIES, start=1)]
        # kept by id: a query over the pane's widgets for each on every keystroke cost a
        # quarter of the key's time once every item was mounted
        self._inside = {widget.id: widget for fields in specific.values() for widget in fields
                        if isinstance(widget, Static | Button) and widget.id}
        yield from self._boxes[:ITEMS_IN_FIRST_FRAME]
        for box in self._boxes[ITEMS_IN_FIRST_FRAME:]:  # below the fold: built when reached
            yield LaterItem(box)

    def sync(self) -> None:
        profile = self.profile
        for box in self._boxes:
            if box.is_mounted:
                box.sync(profile)
        for later in self.query_children(LaterItem):
            show_if_changed(later, item_heading(profile, later.box.item, later.box.number))
        self._sync_shared(profile)

    #: Whether items below the fold are being built (:meth:`build_rest`).
    _building = False
    #: Whether the user reached them while a pause's build of one item was under way.
    _all_asked = False

    @property
    def building_rest(self) -> bool:
        return self._building

    def build_rest(self, step: bool = False) -> bool:
        """Build the items still waiting (:class:`LaterItem`): all at once when the user reached
        them, or only the next with ``step`` (a pause: a key typed then waits for one item at
        most). False when none is waiting."""
        if self._building:
            self._all_asked = self._all_asked or not step  # reached during a pause's build: all follow
            return True
        if app_is_closing(self) or not self.is_attached or not self.query_children(LaterItem):
            return False
        self._building = True
        self.call_later(self._build_later_items, 1 if step else None)
        return True

    async def _build_later_items(self, count: int | None) -> None:
        """Mount ``count`` waiting items (None: all) in place of their heading lines; the focus, if
        it is on one of them, lands in that item (on the value it still needs), and the keys typed
        while it was there follow it."""
        try:
            waiting = list(self.query_children(LaterItem))[:count]
            if not waiting or app_is_closing(self) or not self.is_attached:
                return
            await self.mount_all([later.box for later in waiting], before=waiting[0])
            focused = self.screen.focused
            landed = focused if isinstance(focused, LaterItem) and focused in waiting else None
            if landed is not None and not app_is_closing(self):
                self.focus_now(self._landing(landed.box))
            held = [key for later in waiting for key in later.held]
            await self.remove_children(waiting)
            if held and landed is not None and not app_is_closing(self):
                for key in held:
                    key.set_sender(self.app)  # as typed: the key bubbles back up to the App's bindings
                self.cmg.replay_keys(held)
        finally:
            self._building = False
        if self._all_asked:
            self._all_asked = False
            self.build_rest()

    def _landing(self, box: ChecklistItemBox) -> Widget:
        """Where the focus goes in ``box``: the first editor of a value it still needs, else its first."""
        missing = self.first_missing(inside=box)
        if missing is not None:
            return missing
        return next((widget for widget in self._reachable() if box in widget.ancestors), box)

    def first_missing(self, inside: Widget | None = None) -> Widget | None:
        """The first built field that needs a value, else the heading line of the first item not
        built yet that needs one (focusing it builds the items and lands on that value)."""
        built = super().first_missing(inside)
        if built is not None or inside is not None or self.cmg.profile is None:
            return built
        profile = self.cmg.profile
        return next((later for later in self.query_children(LaterItem) if later.box.unfinished(profile)), None)

    def focus_first(self) -> None:
        """As every pane, with the pane's letter keys in mind: when the value needed first is in
        an item not built yet, the focus rests on the pane's title (Enter goes on to it)."""
        if isinstance(self.first_missing(), LaterItem):
            self.focus_now(self.own_place())
            return
        super().focus_first()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling down to the end reaches the items below the fold: build them. (Any scroll
        would be too soon: Tab to item 1's note scrolls the pane too, and the build then held
        the keys typed into it.)"""
        super().watch_scroll_y(old_value, new_value)
        if new_value > old_value and new_value >= self.max_scroll_y:
            self.build_rest()

    def sync_item(self, box: ChecklistItemBox) -> None:
        """Draw one box that mounted after the pane (and what the pane shows in it)."""
        profile = self.profile
        box.sync(profile)
        self._sync_shared(profile)

    def _sync_shared(self, profile: Profile) -> None:
        """The summary and the calculated lines shown inside items (those mounted so far)."""
        results = [checklist.item_result(profile, e.id) for e in checklist.CHECKLIST_ENTRIES]
        done = sum(checklist.state_of(r) is checklist.ItemState.DONE for r in results)
        waiting = next(((n, r) for n, r in enumerate(results, start=1)
                        if checklist.state_of(r) is not checklist.ItemState.DONE), None)
        missing = f" Next: item {waiting[0]}: {checklist.item_reason(waiting[1])}" if waiting else ""
        show_if_changed(self.query_one("#checklist-summary", Static),
            f"{done} of {len(checklist.CHECKLIST_ENTRIES)} items done.{missing} Tab moves between fields; "
            "space ticks a box."
        )
        self._show("sizing-steps", _sizing_text(profile))
        vm_count = profile.gateway.vm_instances or 1
        self._show("cmgcp-hint",
            f"With {vm_count} VM instance(s) you need at least "
            f"{sizing.cmgcp_needed(vm_count, profile.gateway.high_availability)} CMG connection point(s): "
            "one per four VM instances, two or more for high availability."
        )
        several = hierarchy.site_count(profile) > 1
        for widget_id in ("sizing-hierarchy", "cmgcp-hierarchy"):
            if (static := self._mounted(widget_id)) is not None and static.display != several:
                static.display = several
        if several:
            self._show("sizing-hierarchy", Text(visible(hierarchy.summary(profile))))
            self._show("cmgcp-hierarchy", "In this hierarchy each primary site whose clients use the CMG gets its "
                       "own connection point: name its server in Part 4, Hierarchy (h).")
        endpoint_inputs = (profile.environment, names.derive_names(profile), vm_count)
        self._show("endpoint-table", lambda: _endpoint_table(profile), key=endpoint_inputs)
        button = self._mounted("use-recommended")
        if button is not None:
            button.disabled = not hierarchy.total_peak_clients(profile)

    def _mounted(self, widget_id: str) -> Widget | None:
        """One of the widgets inside the items, once its item is in the pane (items below the
        fold mount later)."""
        widget = self._inside[widget_id]
        return widget if widget.is_attached else None

    def _show(self, widget_id: str, content: VisualType | Callable[[], VisualType], key: object = None) -> None:
        """Update one item's Static once its item is mounted (items below the fold mount later)."""
        static = self._mounted(widget_id)
        if isinstance(static, Static):
            show_if_changed(static, content, key=key)

    def action_live_checks(self) -> None:
        """Read the signed-in account's roles, Owner role and the subscription's regions."""
        self.cmg.cloud.refresh_identity(self)

    def action_probe_internet(self) -> None:
        """Probe DNS, TCP 443 and TLS to the cloud's fixed endpoints, from this machine."""
        from cmgtui.cloud.reachability import fixed_targets, probe_targets

        targets = fixed_targets(self.profile.environment or AzureEnvironment.PUBLIC)

        async def job(log: LogFn) -> Message:
            return InternetProbed(await probe_targets(targets, log=log))

        self.cmg.cloud.run_local_posting(self, "Internet-access probe", job)

    def on_internet_probed(self, message: InternetProbed) -> None:
        message.stop()
        self.cmg.record_evidence([message.evidence], "Internet-access probe")
        self.notify(f"Internet-access probe: {message.evidence.summary}.")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in {"live-checks", "probe-internet"}:
            event.stop()
            (self.action_live_checks if event.button.id == "live-checks" else self.action_probe_internet)()
            return
        if event.button.id != "use-recommended":
            return
        event.stop()
        gateway = self.profile.gateway
        peak = hierarchy.total_peak_clients(self.profile)
        if not peak:
            return
        result = sizing.size_instances(
            peak, gateway.vm_size, gateway.high_availability,
            self.profile.site.site_version, self.profile.deployment_method,
        )
        self.post_message(FieldEdited("gateway.vm_instances", result.recommended, str(result.recommended)))
