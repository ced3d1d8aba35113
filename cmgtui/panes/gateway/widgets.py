"""Pieces of the Part 4 pane: inline rule notes, the live region and subscription pickers,
and the plain-words summaries shown next to the wizard's fields.

Nothing here judges the plan: every verdict comes from :func:`cmgtui.domain.rules.checks.evaluate`;
these widgets only show the results that belong next to a field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label, Select, Static

from cmgtui.domain.display_text import visible
from cmgtui.domain.azure import sizing
from cmgtui.domain.hierarchy import connection_points, is_cas, total_peak_clients
from cmgtui.domain.rules.results import RuleResult, Status
from cmgtui.domain.rules.versions import version_implications
from cmgtui.messages import FieldEdited
from cmgtui.model import ClientAuthMethod, Profile
from cmgtui.domain.azure.dry_run import format_tags, parse_tags
from cmgtui.widgets.base import ChoiceSelect, show_if_changed
from cmgtui.widgets.fields import FieldRow, TextField


class RuleNotes(Static):
    """The failing and warning results of a few rules, shown under the fields they judge."""

    def __init__(self, *rules: str, id: str | None = None) -> None:
        super().__init__("", id=id, classes="rule-notes -empty")
        self.rules = rules

    def show(self, results: Sequence[RuleResult]) -> None:
        """Show what is wrong among ``results`` for this widget's rules (nothing when all is well)."""
        text = Text()
        for result in results:
            if result.rule not in self.rules or result.status not in (Status.FAIL, Status.WARN):
                continue
            if text:
                text.append("\n")
            symbol, style = ("✗", "red") if result.status is Status.FAIL else ("!", "yellow")
            text.append(f"{symbol} {visible(result.message)}", style=style)
            if result.fix:
                text.append(f" → {visible(result.fix)}", style="italic")
        show_if_changed(self, text)  # sixteen of these redraw on each key: only a changed one lays out again
        self.set_class(not text, "-empty")


def subscription_choices(profile: Profile) -> list[tuple[Text, str]]:
    """(label, id) of every subscription in ``arm.subscriptions`` evidence; the label is text
    (names come from Azure), never markup."""
    found = profile.evidence.get("arm.subscriptions")
    items: Any = found.data.get("subscriptions", []) if found is not None else []
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("id"):
            out.append((Text(visible(f"{item.get('name') or item['id']} ({item['id']}, {item.get('state', '?')})")),
                        str(item["id"])))
    return out


class SubscriptionPicker(FieldRow):
    """Pick ``gateway.subscription_id`` from the loaded subscription list (hidden until loaded)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Or pick from your subscriptions", "gateway.subscription_id", id=id)
        self.options: list[tuple[Text, str]] = []

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield ChoiceSelect([], prompt="Loaded subscriptions…", compact=True)
        yield self._problem_line()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is not Select.NULL:
            self.post_message(FieldEdited(self.path, event.value, str(event.value)))

    def sync(self, profile: Profile) -> None:
        choices = subscription_choices(profile)
        self.display = bool(choices)
        select = self.query_one(Select)
        if choices != self.options:
            self.options = choices
            with select.prevent(Select.Changed):
                select.set_options(choices)
        wanted = profile.gateway.subscription_id.strip().lower()
        target = next((value for _label, value in choices if value.lower() == wanted), Select.NULL)
        if select.value != target:
            with select.prevent(Select.Changed):
                select.value = target


def tenant_text(profile: Profile) -> Text:
    """Which Microsoft Entra tenant the CMG uses: Part 2's, else the signed-in one."""
    entra = profile.entra
    if entra.tenant_id.strip():
        name = entra.tenant_name.strip() or "name not entered"
        return Text(f"Microsoft Entra tenant: {visible(name)} ({visible(entra.tenant_id.strip())}), from Part 2.")
    org = profile.evidence.get("graph.organization")
    if org is not None and org.data.get("tenant_id"):
        return Text(f"Microsoft Entra tenant: {visible(org.data.get('display_name', ''))} "
                    f"({visible(org.data['tenant_id'])}), "
                    "the signed-in tenant; confirm it in Part 2.", style="italic")
    return Text("Microsoft Entra tenant: not set. Enter it in Part 2 (or sign in with F3).", style="italic")


def sizing_text(profile: Profile) -> Text:
    """The calculator's recommendation for the checklist's peak client count."""
    g = profile.gateway
    peak = total_peak_clients(profile)
    if not peak:
        return Text("Enter the peak internet clients of every primary site for a recommendation." if is_cas(profile)
                    else "Enter the peak concurrent internet clients for a recommendation.", style="dim")
    result = sizing.size_instances(peak, g.vm_size, g.high_availability,
                                   profile.site.site_version, profile.deployment_method)
    text = Text(("Every primary site's clients: " if is_cas(profile) else "") + "; ".join(result.steps))
    text.append(f" → recommended: {result.recommended} VM instance(s).", style="bold")
    return text


def cmgcp_text(profile: Profile) -> Text:
    """CMG connection points needed for the VM count versus entered."""
    g = profile.gateway
    count = g.vm_instances if g.vm_instances and g.vm_instances > 0 else 1
    needed = sizing.cmgcp_needed(count, g.high_availability, total_peak_clients(profile))
    entered = len([cp for cp in connection_points(profile) if cp.server])
    text = Text(f"Needed: {needed} (one per four of {count} VM instance(s)"
                + (", two or more for high availability" if g.high_availability else "")
                + f"). Entered: {entered}.")
    if entered < needed:
        text.stylize("yellow")
    return text


def trusted_text(profile: Profile) -> Text:
    """Summary of the trusted root and intermediate certificates from Part 3 (PKI only)."""
    auth = profile.client_auth
    if ClientAuthMethod.PKI not in auth.methods:
        return Text("Not needed: clients don't use PKI certificates (Part 3).", style="dim")
    certs = auth.trusted_certificates
    if not certs:
        return Text("None added yet: add the client certificates' root and intermediate CAs in Part 3.",
                    style="yellow")
    roots = sum(c.is_root for c in certs)
    names = ", ".join(c.subject or c.path or "?" for c in certs[:3]) + (" …" if len(certs) > 3 else "")
    return Text(f"{roots} root(s) and {len(certs) - roots} intermediate(s) from Part 3: {visible(names)}.")


def version_text(profile: Profile) -> Text:
    """What the site version allows, one line per implication."""
    notes = version_implications(profile.site.site_version, profile.environment)
    if not notes:
        return Text("Enter the site version to see what it allows.", style="dim")
    text = Text()
    for number, note in enumerate(notes):
        if number:
            text.append("\n")
        text.append("✓ " if note.ok else "✗ ", style="green" if note.ok else "red")
        text.append(note.text)
    return text


VM_SIZE_CHOICES = [
    (f"{sizing.size_label(size)}: {sizing.PER_VM_CAPACITY[size]:,} clients per VM"
     + (" (tests only)" if size.name == "LAB" else ""), size)
    for size in sizing.PER_VM_CAPACITY
]


class TagsField(TextField):
    """Tags for the CMG's Azure resources as ``Name=value`` pairs separated by commas."""

    def to_value(self, text: str) -> Any:
        return parse_tags(text)

    def display_text(self, value: Any) -> str:
        return format_tags(value or {})


def required_tags(profile: Profile) -> list[str]:
    """The tag names enforced policy assignments require (``arm.policies`` of the pre-flight)."""
    found = profile.evidence.get("arm.policies")
    tags = found.data.get("required_tags") if found is not None else None
    return [str(t) for t in tags] if isinstance(tags, list) else []


def tags_text(profile: Profile) -> Text:
    """Why the tags field is shown and which tags the policies ask for."""
    needed = required_tags(profile)
    if not needed:
        return Text("")
    missing = [t for t in needed if t.lower() not in {k.lower() for k in profile.gateway.tags}]
    text = Text(f"Azure Policy requires the tag(s) {', '.join(needed)} on new resources; the pre-flight's dry run "
                "validates the CMG's resources with the tags entered here.")
    if missing:
        text.append(f" Missing: {', '.join(missing)}.", style="yellow")
    return text
