"""The Logs pane: triage log files, a Logs folder or a zip, and read each finding in its log.

Reading runs in a thread worker that posts progress (with MB/s and time left) and the result as
messages (a 500 MB log streams with a progress bar; the UI stays responsive). ``escape`` stops a
running triage at once, and so does quitting: the worker checks between blocks whether it was
cancelled, so it never keeps the process alive. Findings are listed in the order they
happened; the detail shows the matched entry, what it means, the fix (filled from this
profile) and the source. ``r`` shows the raw lines around the entry, ``escape`` goes back.
Severity and component filters narrow the list.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.worker import get_current_worker
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalGroup
from textual.message import Message
from textual.widgets import Button, OptionList, ProgressBar, Select, Static
from textual.widgets.option_list import Option

from cmgtui.domain.display_text import visible
from cmgtui.domain.logs import Finding, InputError, ProfileFacts, TriageResult, facts_from
from cmgtui.domain.logs.progress import Throughput
from cmgtui.services.triage import TriageCancelled, excerpt, triage
from cmgtui.widgets.base import ChoiceSelect, Pane, PaneTitle

RAW_CONTEXT = 5
SEVERITY_STYLE = {"fail": "bold red", "warn": "yellow", "info": "cyan"}
ALL = "all"


class TriageProgress(Message):
    """Bytes read so far out of the total (from the worker)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class TriageFinished(Message):
    """The worker's result for the paths it was given."""

    def __init__(self, paths: list[str], result: TriageResult) -> None:
        super().__init__()
        self.paths = paths
        self.result = result


def finding_label(finding: Finding) -> Text:
    """One list line: severity, UTC time and ID (the title is in the detail below)."""
    sig = finding.signature
    when = finding.time.strftime("%m-%d %H:%M") if finding.time else "--:--"
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{sig.severity.value.upper():4} ", style=SEVERITY_STYLE[sig.severity.value])
    text.append(f"{when} {sig.id}")
    return text


class LogsPane(Pane):
    """Open logs, see findings in order, read the matched entry and its raw lines, filter."""

    ENTRY = "logs"
    TITLE = "Logs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_file", "Add file", id="logs_open_file"),
        Binding("f", "open_folder", "Open folder", id="logs_open_folder"),
        Binding("r", "raw", "Raw lines", id="logs_raw"),
        Binding("escape", "back", "Stop reading / back to findings", show=False, id="logs_back"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Pane's own arguments, passed on as given
        self.result: TriageResult | None = None
        self.paths: list[str] = []
        self.listed: list[Finding] = []  # the findings in the list, after the filters
        self.raw_mode = False
        self.built = False
        self.reading = False
        self.meter = Throughput()

    def compose(self) -> ComposeResult:
        yield PaneTitle("Logs · triage", classes="pane-title")
        yield VerticalGroup(id="logs-body")

    async def on_show(self) -> None:
        await self._build()

    async def _build(self) -> None:
        """Mount the pane's widgets the first time it is shown (start-up stays light)."""
        if not self.built:
            self.built = True
            await self.query_one("#logs-body", VerticalGroup).mount_compose(self._body())

    def _body(self) -> ComposeResult:
        yield Static("Add log files or zips (o) or open a Logs folder (f) copied from the site server, "
                     "the connection point or a client.", id="logs-status", classes="hint")
        yield Static("", id="logs-health")
        with Horizontal(classes="buttons"):
            yield Button("Add file (o)", id="logs-open-file")
            yield Button("Open folder (f)", id="logs-open-folder")
        yield ProgressBar(total=100, show_eta=False, id="logs-progress")
        yield Horizontal(id="logs-filters")
        yield OptionList(id="logs-findings")
        yield Static("", id="logs-detail")

    DEFAULT_CSS = """
    LogsPane #logs-progress { display: none; }
    LogsPane #logs-progress.reading { display: block; }
    LogsPane #logs-filters { height: auto; }
    LogsPane #logs-filters Select { width: 1fr; }
    LogsPane #logs-findings { height: auto; max-height: 10; }
    LogsPane #logs-detail { height: auto; }
    LogsPane #logs-health { height: auto; }
    """

    # Opening inputs ------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "logs-open-file":
            self.action_open_file()
        elif event.button.id == "logs-open-folder":
            self.action_open_folder()

    def action_open_file(self) -> None:
        if self.built:
            self._pick(choose_folder=False)

    def action_open_folder(self) -> None:
        if self.built:
            self._pick(choose_folder=True)

    @work
    async def _pick(self, choose_folder: bool) -> None:
        from cmgtui.widgets.file_picker import FilePickerModal

        title = "Choose a Logs folder" if choose_folder else "Add a log file or a zip"
        start = self.paths[-1] if self.paths else ""
        chosen = await self.app.push_screen_wait(FilePickerModal(title, start, choose_folder=choose_folder))
        if not chosen:
            return
        if choose_folder:
            await self.start_triage([chosen])
        else:
            await self.start_triage([*[p for p in self.paths if p != chosen], chosen])

    async def start_triage(self, paths: list[str]) -> None:
        """Read ``paths`` in a worker (a new triage replaces one still running)."""
        await self._build()
        self.paths = list(paths)
        bar = self.query_one("#logs-progress", ProgressBar)
        bar.update(total=100, progress=0)
        bar.add_class("reading")
        self.reading = True
        self.meter = Throughput()
        self.query_one("#logs-status", Static).update(Text(f"Reading {visible(', '.join(paths))} … (escape stops)"))
        self._triage(paths, facts_from(self.profile))

    @work(thread=True, exclusive=True, group="logs-triage", exit_on_error=False)
    def _triage(self, paths: list[str], facts: ProfileFacts) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            self.post_message(TriageProgress(done, total))

        try:
            result = triage(paths, facts, progress=progress, should_stop=lambda: worker.is_cancelled)
        except TriageCancelled:
            return
        if not worker.is_cancelled:
            self.post_message(TriageFinished(paths, result))

    def on_triage_progress(self, message: TriageProgress) -> None:
        if not self.reading:
            return
        self.query_one("#logs-progress", ProgressBar).update(total=message.total, progress=message.done)
        self.query_one("#logs-status", Static).update(
            Text(f"Reading {', '.join(self.paths)}: {self.meter.line(message.done, message.total)} (escape stops)"))

    def stop_triage(self) -> bool:
        """Stop a running triage at once (its partial result is dropped); True if one was running."""
        if not self.reading:
            return False
        self.reading = False
        self.workers.cancel_group(self, "logs-triage")
        self.query_one("#logs-progress", ProgressBar).remove_class("reading")
        self.query_one("#logs-status", Static).update(
            Text("Stopped reading; nothing from that run is listed. Add a file (o) or open a folder (f) to read again."))
        return True

    async def _ensure_filters(self) -> None:
        """Mount the filters with the first result (Selects mounting during start-up slow the first frame)."""
        row = self.query_one("#logs-filters", Horizontal)
        if not row.children:
            await row.mount(
                ChoiceSelect([("fail", "fail"), ("warn", "warn"), ("info", "info")], prompt="Severity: all",
                       id="logs-severity", compact=True),
                ChoiceSelect([], prompt="Component: all", id="logs-component", compact=True))

    async def on_triage_finished(self, message: TriageFinished) -> None:
        if not self.reading:
            return
        self.reading = False
        await self._build()
        await self._ensure_filters()
        self.query_one("#logs-progress", ProgressBar).remove_class("reading")
        self.result = message.result
        result = message.result
        status = self.query_one("#logs-status", Static)
        if not result.inputs:
            status.update(Text("No input could be read: " + visible(" ".join(result.errors)), style="red"))
        else:
            summary = result.summary
            entries = sum(i.entries for i in result.inputs)
            line = (f"{len(result.inputs)} log(s), {entries:,} entries: {summary['fail']} fail, "
                    f"{summary['warn']} warn, {summary['info']} info.")
            if result.errors:
                line += " Not read: " + visible(" ".join(result.errors))
            cut = [f"{visible(i.path)} ({i.cut_lines:,})" for i in result.inputs if i.cut_lines]
            if cut:
                line += " Lines too long to read in full were cut in: " + ", ".join(cut) + "."
            status.update(Text(line, style="red" if result.has_fail else "green"))
        health = Text()
        for line, failing in result.health.brief_lines():
            health.append(("✗ " if failing else "✓ ") + line + "\n", style="red" if failing else "green")
        health.rstrip()
        self.query_one("#logs-health", Static).update(health)
        components = sorted({f.entry.component for f in result.findings if f.entry.component})
        self.query_one("#logs-component", Select).set_options((Text(visible(c)), c) for c in components)
        self.cmg.log_activity("logs", f"Triaged {', '.join(message.paths)}: {result.summary}")
        self._show_findings()

    # Findings, filters, detail ----------------------------------------------------------

    def _filtered(self) -> list[Finding]:
        if self.result is None:
            return []
        severity = self.query_one("#logs-severity", Select).value
        component = self.query_one("#logs-component", Select).value
        return [f for f in self.result.findings
                if (severity is Select.NULL or f.signature.severity.value == severity)
                and (component is Select.NULL or f.entry.component == component)]

    def _show_findings(self) -> None:
        self.raw_mode = False
        self.listed = self._filtered()
        findings = self.query_one("#logs-findings", OptionList)
        findings.set_options(Option(finding_label(f), id=str(i)) for i, f in enumerate(self.listed))
        if self.listed:
            findings.highlighted = 0
            self._show_detail(self.listed[0])
        else:
            self.query_one("#logs-detail", Static).update(
                "" if self.result is None else "No finding matches the filters.")

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._show_findings()

    @on(OptionList.OptionHighlighted, "#logs-findings")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        finding = self._current()
        if finding is not None:
            self.raw_mode = False
            self._show_detail(finding)

    def _current(self) -> Finding | None:
        index = self.query_one("#logs-findings", OptionList).highlighted
        return self.listed[index] if index is not None and 0 <= index < len(self.listed) else None

    def _show_detail(self, finding: Finding) -> None:
        sig, entry = finding.signature, finding.entry
        when = finding.time.strftime("%Y-%m-%d %H:%M:%S UTC") if finding.time else "time unknown"
        text = Text()
        text.append(f"{sig.title}\n", style="bold")
        text.append(f"{visible(entry.file)}:{entry.line}  {when}  {visible(entry.component)}\n", style="dim")
        text.append(visible(entry.message[:2000], keep_lines=True) + "\n\n")
        text.append("Meaning: ", style="bold")
        text.append(sig.meaning + "\n")
        text.append("Fix: ", style="bold")
        text.append(visible(finding.fix, keep_lines=True) + "\n")
        text.append("Source: ", style="bold")
        text.append(sig.source + "\n")
        text.append("r: raw lines", style="dim")
        self.query_one("#logs-detail", Static).update(text)

    def action_raw(self) -> None:
        """Show the raw lines of the log around the highlighted finding."""
        finding = self._current() if self.built else None
        if finding is None:
            return
        entry = finding.entry
        first = max(1, entry.line - RAW_CONTEXT)
        last = entry.line + entry.line_count - 1 + RAW_CONTEXT
        try:
            lines = excerpt(entry.file, first, last)
        except InputError as exc:
            self.notify(str(exc), severity="error")
            return
        shown_last = lines[-1][0] if lines else first
        text = Text()
        text.append(f"{visible(entry.file)}, lines {first}-{shown_last} (escape: back to the finding)\n", style="bold")
        for number, line in lines:
            inside = entry.line <= number < entry.line + entry.line_count
            text.append(f"{number:>5}{'▶' if inside else ' '}", style="bold yellow" if inside else "dim")
            text.append(visible(line[:500]) + "\n", style="" if inside else "dim")
        self.raw_mode = True
        self.query_one("#logs-detail", Static).update(text)

    def action_back(self) -> None:
        """Stop a running triage; else from the raw lines back to the finding."""
        if self.stop_triage():
            return
        finding = self._current() if self.built else None
        if self.raw_mode and finding is not None:
            self.raw_mode = False
            self._show_detail(finding)
