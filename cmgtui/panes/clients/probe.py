"""Part 5 panel: a live probe of the CMG service name, run in a worker with progress lines.

The probe itself is :func:`cmgtui.cloud.probe.probe_service`; its record is stored as
``profile.evidence["probe.service"]`` and judged by the ``PROBE-*`` rules of
:mod:`cmgtui.domain.rules.probe`, whose results are shown here. ``connect_host``, ``port``,
``resolve`` and ``cafile`` can be set on the panel to aim the probe elsewhere (tests use them
to stay on loopback).
"""

from __future__ import annotations

import socket

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, RichLog, Static

from cmgtui.cloud.probe import Resolver, probe_service
from cmgtui.domain.display_text import visible
from cmgtui.domain.azure.names import derive_names, effective_service_name, needs_cname
from cmgtui.domain.rules.probe import EVIDENCE_KEY
from cmgtui.domain.rules.results import RuleResult
from cmgtui.model import Profile
from cmgtui.model.profile import Evidence
from cmgtui.widgets.base import AppAccess, show_if_changed
from cmgtui.widgets.rule_report import RuleReport


def probe_results(results: list[RuleResult]) -> list[RuleResult]:
    """The probe rules' results among all results."""
    return [r for r in results if r.rule.startswith("PROBE-")]


class ProbePanel(Vertical, AppAccess):
    """Run the probe, stream its progress, show the verdicts."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.connect_host: str | None = None
        self.port = 443
        self.resolve: Resolver = socket.gethostbyname_ex
        self.cafile: str | None = None
        self.timeout = 5.0

    def compose(self) -> ComposeResult:
        yield Static("Live probe of the service name", classes="section-title")
        yield Static(id="probe-what", classes="hint")
        with Horizontal(classes="buttons"):
            yield Button("Run probe", id="probe-run", compact=True)
        yield Static(id="probe-last", classes="hint")
        yield RichLog(id="probe-log", max_lines=60, wrap=True, markup=False, min_width=20)  # long lines wrap, whole
        yield RuleReport(id="probe-report")

    def on_mount(self) -> None:
        self.query_one("#probe-log", RichLog).display = False

    def sync(self, profile: Profile, results: list[RuleResult]) -> None:
        """Say what will be probed and show the stored verdicts."""
        service = effective_service_name(profile.certificate.service_name, profile.certificate.wildcard_prefix)
        names = derive_names(profile)
        if not service:
            what = "Enter the CMG service name in Part 1 to probe it."
        elif names is not None and names.needs_cname:
            what = (f"Resolves {service} (expects a CNAME to {names.deployment_name}), connects to port 443 and "
                    "reads the TLS certificate. Run it once the CMG is deployed.")
        else:
            what = f"Resolves {service}, connects to port 443 and reads the TLS certificate."
        show_if_changed(self.query_one("#probe-what", Static), what)
        self.query_one("#probe-run", Button).disabled = not service
        report = self.query_one("#probe-report", RuleReport)
        last = profile.evidence.get(EVIDENCE_KEY)
        show_if_changed(self.query_one("#probe-last", Static), 
            f"Last probe {last.observed_at:%Y-%m-%d %H:%M} UTC: {last.summary}." if last is not None else "")
        if last is None:
            report.show([], "Not run yet: run it once the CMG is deployed and DNS is set up.")
        else:
            report.show(probe_results(results), "No result.")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "probe-run":
            event.stop()
            self.run_probe()

    @work(exclusive=True, group="probe")
    async def run_probe(self) -> None:
        """Probe the service name and store what was seen as evidence."""
        profile = self.profile
        service = effective_service_name(profile.certificate.service_name, profile.certificate.wildcard_prefix)
        if not service:
            self.notify("Enter the CMG service name in Part 1 first.", severity="error")
            return
        names = derive_names(profile)
        target = names.deployment_name if names is not None else None
        log = self.query_one("#probe-log", RichLog)
        log.clear()
        log.display = True
        button = self.query_one("#probe-run", Button)
        button.disabled = True
        try:
            record = await probe_service(
                service, target, needs_cname=needs_cname(service), connect_host=self.connect_host,
                port=self.port, timeout=self.timeout, resolve=self.resolve, cafile=self.cafile,
                progress=lambda line: log.write(Text(visible(line))))
        except Exception as exc:  # noqa: BLE001 - any failure becomes one message, never a traceback
            log.write(Text(visible(f"Probe stopped: {exc}")))
            self.notify(f"The probe couldn't run: {exc}", severity="error")
            return
        finally:
            button.disabled = False
        summary = "; ".join(part for part in (
            "DNS ok" if record.get("dns", {}).get("ok") else "DNS failed",
            ("TCP 443 ok" if record["tcp"]["ok"] else "TCP 443 failed") if "tcp" in record else "",
            ("TLS ok" if record["tls"]["ok"] else "TLS failed") if "tls" in record else "") if part)

        def store(p: Profile) -> None:
            p.evidence = {**p.evidence, EVIDENCE_KEY: Evidence(source=EVIDENCE_KEY, summary=summary, data=record)}

        self.cmg.mutate(store, "Live probe of the service name")
        self.cmg.log_activity("probe", f"Probed {service}: {summary}")
        log.write(Text(visible(f"Done: {summary}.")))
        judged = probe_results(self.cmg.rule_results())
        failed = [r for r in judged if r.status.value == "fail"]
        waiting = [r for r in judged if r.message.startswith("Not deployed yet")]
        if failed:
            self.notify(failed[0].message, severity="warning")
        elif waiting:
            self.notify(waiting[0].message, severity="information")
