"""The Health pane: the deployed CMG's health, the same findings ``cmgtui status`` prints.

The judgement is :func:`cmgtui.domain.health.assess`, reached through
:func:`cmgtui.services.health.check` as a cloud job (the check ``cmgtui status`` runs, recorded
by the same :func:`cmgtui.services.health.record_check`); this pane only shows its findings.
``r`` checks now; while the pane is shown it checks as soon as a sign-in allows and again every
:data:`REFRESH_SECONDS` (its timer stops when the pane is hidden, so nothing polls Azure in the
background). Each check is appended
to the profile's health history, from which "down since" is told. Signed out, the pane shows what
the profile alone tells (certificate and secret expiry) and asks for a sign-in.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.app import ComposeResult
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker

from cmgtui.widgets.base import Pane, PaneTitle, show_if_changed
from cmgtui.widgets.job_log import JobLog

if TYPE_CHECKING:
    from cmgtui.cloud.credentials import CloudSession
    from cmgtui.cloud.retry import LogFn
    from cmgtui.domain.health import HealthReport

#: Seconds between checks while the pane is shown.
REFRESH_SECONDS = 300.0
#: How often the shown pane looks whether a check is due (the first one as soon as signed in).
TICK_SECONDS = 5.0
_SYMBOLS = {"ok": "OK  ", "info": "note", "warn": "WARN", "fail": "FAIL", "unknown": "??  "}
_AREAS = {"azure": "Azure", "service": "Service name", "expiry": "Expiry"}


def report_text(report: HealthReport, since_text: str, checked: bool = True) -> tuple[str, str]:
    """(headline, findings) as plain text: one line per finding and its fix below it."""
    when = f"checked {report.checked_at:%Y-%m-%d %H:%M} UTC" if checked else "Azure not checked yet"
    headline = f"Health: {report.state.upper()}{since_text} · {when}"
    lines: list[str] = []
    area = None
    for finding in report.findings:
        if finding.area != area:
            area = finding.area
            lines.append(f"[{_AREAS.get(area, area)}]")
        lines.append(f"{_SYMBOLS.get(finding.level, finding.level)} {finding.message}")
        if finding.fix and finding.level != "ok":
            lines.append(f"     → {finding.fix}")
    return headline, "\n".join(lines)


class HealthChecked(Message):
    """A health check finished (posted to the Health pane that started it)."""

    def __init__(self, report: HealthReport) -> None:
        super().__init__()
        self.report = report


class HealthPane(Pane):
    """The CMG's Azure side, its service name and what expires, judged once, refreshed on demand."""

    ENTRY = "health"
    TITLE = "Health"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh_health", "Check now", id="health_refresh"),
    ]
    DEFAULT_CSS = """
    HealthPane #health-state { text-style: bold; }
    HealthPane #health-findings { height: auto; }
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Pane's own arguments, passed on as given
        self._timer: Timer | None = None
        self._worker: Worker[None] | None = None
        self._started: float | None = None  # when the last check started (monotonic)
        self.checks = 0  # checks finished while this pane existed (tests wait on it)
        self.shown_text = ""  # the findings as shown, one line each (wrapped on screen between tokens)

    def compose(self) -> ComposeResult:
        yield PaneTitle("Health", classes="pane-title")
        yield Static(f"r checks now; while this pane is shown it checks every {int(REFRESH_SECONDS // 60)} minutes.",
                     classes="hint")
        yield Static("", id="health-state", markup=False)
        yield Static("", id="health-findings", markup=False)
        yield JobLog(id="health-log", max_lines=100)

    def sync(self) -> None:
        """Without a check yet, what the profile alone tells (the same judgement, Azure unread)."""
        if self.checks == 0:
            from cmgtui.domain.health import assess

            signed_in = self.cmg.cloud.signed_in
            why = "not checked yet: press r" if signed_in else "not signed in: press F3 to sign in, then r"
            self._show(assess(self.profile, None, error=why), "", checked=False)

    def on_show(self) -> None:
        if self._timer is None:
            self._timer = self.set_interval(TICK_SECONDS, self._tick)
        self._tick()

    def on_hide(self) -> None:
        self._stop_timer()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        if not self.display or self.app.screen is not self.screen:
            self._stop_timer()  # hidden without a Hide event (another screen on top): no background polling
            return
        due = self._started is None or time.monotonic() - self._started >= REFRESH_SECONDS
        if due and self.cmg.cloud.signed_in:
            self.action_refresh_health()

    def action_refresh_health(self) -> None:
        """Check the CMG now (once at a time)."""
        if self._worker is not None and self._worker.is_running:
            return
        profile = self.profile

        async def job(session: CloudSession, log: LogFn) -> Message:
            from cmgtui.services.health import check

            return HealthChecked(await check(session, profile, log=log))

        self._worker = worker = self.cmg.cloud.run_posting(self, "Health check", job)
        if worker is not None:
            self._started = time.monotonic()
            show_if_changed(self.query_one("#health-state", Static), "Health: checking …")

    def on_health_checked(self, message: HealthChecked) -> None:
        """Record the check in the health history (and the CMG as deployed once Azure shows it), then show it."""
        from cmgtui.services.health import record_check, record_deployed

        message.stop()
        report = message.report
        self.checks += 1
        recorded = record_check(self.profile.name, report)
        if recorded.problem:
            self.notify(f"{recorded.problem[0].upper()}{recorded.problem[1:]}.", severity="warning")
        if report.found_deployed and self.profile.gateway.deployed is None:
            self.cmg.mutate(lambda p: record_deployed(p, report), "The CMG exists in Azure")
        self._show(report, f" since {recorded.since:%Y-%m-%d %H:%M} UTC" if recorded.since else "")

    def on_unmount(self) -> None:
        self._stop_timer()

    def _show(self, report: HealthReport, since_text: str, checked: bool = True) -> None:
        from rich.console import Group

        from cmgtui.widgets.token_wrap import TokenWrap

        headline, body = report_text(report, since_text, checked)
        show_if_changed(self.query_one("#health-state", Static), headline)
        self.shown_text = body
        show_if_changed(self.query_one("#health-findings", Static),
                        lambda: Group(*(TokenWrap(line, indent=5) for line in body.splitlines())), key=body)
