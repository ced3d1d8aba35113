"""Part 4's pre-flight: every relevant rule at once, the cloud checks concurrently, and fixes.

Signed in, the pre-flight first gathers the Owner role, provider states, name availability,
the resource group, the subscription's regions, the VM sizes offered, the vCPU quotas, the
policy assignments and a dry run of the deployment (Resource Manager's validation: nothing is
created, and the panel says so) as one cancellable cloud job
(:func:`cmgtui.cloud.preflight.gather`), streaming its log lines here; the evidence is
recorded in the profile and the rules judge it. The work is :mod:`cmgtui.services.preflight`,
the functions ``cmgtui check`` runs too; each job posts its typed result back to this panel. Signed out, it runs the rules that need no
cloud and says which cloud checks were skipped. Afterwards it offers, after a confirmation,
to register unregistered providers and to create a new resource group; a taken name is
only explained, because the prefix comes from the certificate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, ProgressBar, Static

from cmgtui.domain.display_text import visible
from cmgtui.domain.rules.part4 import CLOUD_CHECKS, Fixes, fixes_for, preflight_results
from cmgtui.messages import JobLogLine
from cmgtui.model import Evidence, Profile
from cmgtui.widgets.base import AppAccess, show_if_changed
from cmgtui.widgets.job_log import JobLog
from cmgtui.widgets.modals import ConfirmModal
from cmgtui.widgets.rule_report import RuleReport

if TYPE_CHECKING:
    from cmgtui.cloud.credentials import CloudSession
    from cmgtui.cloud.jobs import LogFn
    from cmgtui.cloud.models import ProviderState
    from cmgtui.domain.rules.results import RuleResult
    from cmgtui.services.preflight import FixResult, PreflightResult

PREFLIGHT_JOB = "Part 4 pre-flight"
FIX_JOB = "Part 4 fixes"
SUBSCRIPTIONS_JOB = "Load subscriptions"


def suggestion_text(fixes: Fixes) -> Text:
    """Why a free prefix is only advice: the prefix is the certificate CN's first label."""
    if not fixes.prefix_suggestion:
        return Text("")
    text = Text("A free prefix is ", style="bold")
    text.append(fixes.prefix_suggestion, style="bold green")
    text.append(f". The prefix is the first label of the certificate CN, so using it needs a new certificate "
                f"for {fixes.suggested_service_name} (Part 1). Nothing was changed here.")
    return text


def fix_modal(subscription_id: str, fixes: Fixes) -> ConfirmModal:
    """The question Fix asks: each change it makes in the subscription, then the re-run of the checks."""
    steps = [f"• register resource provider {ns}" for ns in fixes.providers]
    if fixes.create_group:
        steps.append(f"• create resource group '{fixes.create_group}' in {fixes.region} "
                     "(then choose 'Use existing' in the wizard)")
    steps.append("Then every cloud check of the pre-flight runs again.")
    question = f"Make these changes in Azure subscription {subscription_id or '(first enabled)'}?\n" + "\n".join(steps)
    return ConfirmModal(question, yes_label="Make the changes")


class FixProgress(Message):
    """A provider's registration state while the fix job polls it."""

    def __init__(self, namespace: str, state: str, registered: bool) -> None:
        super().__init__()
        self.namespace = namespace
        self.state = state
        self.registered = registered


class PreflightRead(Message):
    """The pre-flight's cloud checks finished (posted to the panel that ran it)."""

    def __init__(self, result: PreflightResult) -> None:
        super().__init__()
        self.result = result


class FixesApplied(Message):
    """The fixes finished and the pre-flight ran again (posted to the panel that ran them)."""

    def __init__(self, result: FixResult) -> None:
        super().__init__()
        self.result = result


class SubscriptionsLoaded(Message):
    """The subscriptions the account sees were read (posted to the panel that asked)."""

    def __init__(self, evidence: Evidence) -> None:
        super().__init__()
        self.evidence = evidence


class PreflightPanel(Vertical, AppAccess):
    """The pre-flight section: buttons, live log, skipped checks, the rule report."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ran = False
        self.skipped: list[str] = []
        self.skip_reason = ""
        self.subscription_id = ""
        self._advanced: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static("Pre-flight", classes="section-title", id="pf-title")
        yield Static("Runs every Part 4 rule at once, with the certificate check and, when signed in, the name, "
                     "provider, Owner, resource group, region, VM size, vCPU quota and Azure Policy checks in Azure, "
                     "and a dry run of the deployment: Resource Manager validates it, nothing is created.",
                     classes="hint")
        with Horizontal(classes="buttons"):
            yield Button("Run pre-flight (p)", id="pf-run", compact=True)
            yield Button("Fix… (f)", id="pf-fix", compact=True)
        yield Static(id="pf-state", classes="hint")
        yield ProgressBar(total=1, id="pf-progress", show_eta=False)  # determinate: no idle animation
        yield JobLog(id="pf-log")  # the log of every cloud job Part 4 starts; long lines wrap, whole
        yield Static(id="pf-skipped", classes="pf-skipped")
        yield Static(id="pf-suggestion", classes="pf-suggestion")
        yield RuleReport(id="pf-report")

    def on_mount(self) -> None:
        self.query_one("#pf-progress", ProgressBar).display = False

    def on_job_log_line(self, message: JobLogLine) -> None:
        """A line of a job this panel started: into the log; its start and end also in the state line."""
        message.stop()
        self.query_one("#pf-log", JobLog).add_line(message.line)
        if message.line.startswith((f"{PREFLIGHT_JOB}:", f"{FIX_JOB}:")):
            show_if_changed(self.query_one("#pf-state", Static), Text(visible(message.line)))

    # -- showing -------------------------------------------------------------------------

    def sync(self, profile: Profile, results: list[RuleResult] | None = None) -> None:
        """Redraw the report (live once the pre-flight ran) and the fix offer, from ``results``:
        the App's one evaluation of this change, which the pane's headline shows too."""
        fixes = fixes_for(profile)
        self.query_one("#pf-fix", Button).disabled = not fixes.changes_tenant
        show_if_changed(self.query_one("#pf-suggestion", Static), suggestion_text(fixes))
        report = self.query_one("#pf-report", RuleReport)
        if not self.ran:
            report.show([], "Not run yet: press p (or the button) to run every Part 4 check at once.")
            return
        results, not_applicable = preflight_results(self.cmg.rule_results() if results is None else results)
        report.show(results, "No rule applies yet.")
        counts = {s: sum(r.status.value == s for r in results) for s in ("pass", "warn", "fail", "skip")}
        summary = (f"{counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail, "
                   f"{counts['skip']} waiting for input; {not_applicable} don't apply to this plan.")
        skipped = Text(summary)
        if "arm.dry_run" in profile.evidence:
            skipped.append("\nDry run: Resource Manager validated the CMG's deployment; nothing was created in Azure.")
        if self.skipped:
            reason = f" ({self.skip_reason})" if self.skip_reason else ""
            skipped.append("\nCloud checks skipped: " + visible("; ".join(self.skipped) + reason) + ".", style="yellow")
        show_if_changed(self.query_one("#pf-skipped", Static), skipped)

    def reveal(self) -> None:
        """Scroll the pre-flight section into view (after the report has been laid out) and move
        the focus to its buttons, so Tab continues from there."""
        def show() -> None:
            self.query_one("#pf-run", Button).focus(scroll_visible=False)
            self.query_one("#pf-title").scroll_visible(top=True, animate=False)

        # Twice deferred: the report and the inline notes change height on the first refresh.
        self.call_after_refresh(lambda: self.call_after_refresh(show))

    # -- running -------------------------------------------------------------------------

    def run(self) -> None:
        """Run the pre-flight: cloud evidence first when signed in, then every rule."""
        profile = self.profile
        if not self.cmg.cloud.signed_in:
            self.ran = True
            self.skipped = [label for label, _rules in CLOUD_CHECKS.values()]
            self.skip_reason = ("signed out: sign in with F3 and run it again; results for these use earlier "
                                "evidence, if any")
            show_if_changed(self.query_one("#pf-state", Static), "Pre-flight without the cloud: signed out.")
            self.cmg.log_activity("preflight", "Part 4 pre-flight run without cloud checks (signed out)")
            self.sync(profile)
            self.reveal()
            return

        async def job(session: CloudSession, log: LogFn) -> Message:
            from cmgtui.services.preflight import run_preflight

            return PreflightRead(await run_preflight(session, profile, only=tuple(CLOUD_CHECKS), log=log))

        show_if_changed(self.query_one("#pf-state", Static), f"{PREFLIGHT_JOB}: running (escape cancels)…")
        self.cmg.cloud.run_posting(self, PREFLIGHT_JOB, job)

    def on_preflight_read(self, message: PreflightRead) -> None:
        """Record the cloud evidence; the rules judge it and the report shows every Part 4 rule."""
        from cmgtui.services.preflight import record_preflight

        message.stop()
        result = message.result
        self._note_run(result)
        self.cmg.mutate(lambda p: record_preflight(p, result), PREFLIGHT_JOB)
        self.sync(self.profile)
        self.reveal()

    def _note_run(self, result: PreflightResult) -> None:
        """Remember that the pre-flight ran, for which subscription, and which cloud checks it missed."""
        self.ran = True
        self.subscription_id = result.subscription_id
        self.skipped = [f"{CLOUD_CHECKS[f.check][0]} ({f.error.message})" for f in result.failures]
        self.skipped += result.skipped
        self.skip_reason = ""

    def load_subscriptions(self) -> None:
        """Read the subscriptions the signed-in account sees, for the subscription picker."""
        async def job(session: CloudSession, log: LogFn) -> Message:
            from cmgtui.services.preflight import load_subscriptions

            return SubscriptionsLoaded(await load_subscriptions(session, log=log))

        self.cmg.cloud.run_posting(self, SUBSCRIPTIONS_JOB, job)

    def on_subscriptions_loaded(self, message: SubscriptionsLoaded) -> None:
        message.stop()
        self.cmg.record_evidence([message.evidence], "Loaded subscriptions")
        self.notify(f"{message.evidence.summary}: pick one under Subscription.")

    @work(exclusive=True, group="part4-fix")
    async def offer_fixes(self) -> None:
        """Confirm, then register providers and create the new resource group."""
        profile = self.profile
        fixes = fixes_for(profile)
        if not fixes.changes_tenant:
            advice = " See the suggested prefix." if fixes.prefix_suggestion else ""
            self.notify("Nothing to register or create: run the pre-flight first." + advice, title="Fix")
            return
        if not self.cmg.cloud.signed_in:
            self.notify("Sign in first: press F3.", title="Fix", severity="warning")
            return
        sub = profile.gateway.subscription_id.strip() or self.subscription_id
        if not await self.app.push_screen_wait(fix_modal(sub, fixes)):
            self.cmg.log_activity("preflight", "Part 4 fixes declined")
            return
        self._run_fixes(sub, fixes)

    def _run_fixes(self, sub: str, fixes: Fixes) -> None:
        profile = self.profile
        bar = self.query_one("#pf-progress", ProgressBar)
        bar.update(total=len(fixes.providers) + bool(fixes.create_group), progress=0)
        bar.display = True
        self._advanced = set()

        def progress(state: ProviderState) -> None:
            self.post_message(FixProgress(state.namespace, state.state, state.registered))

        async def job(session: CloudSession, log: LogFn) -> Message:
            from cmgtui.services.preflight import apply_fixes

            # every cloud check again, not only those fixed: a name check (key vault, storage) that
            # waited for its provider runs now, so no rule stays waiting while the pane says done
            return FixesApplied(await apply_fixes(session, profile, sub, fixes, checks=tuple(CLOUD_CHECKS), log=log,
                                                  progress=progress))

        self.cmg.cloud.run_posting(self, FIX_JOB, job)

    def on_fixes_applied(self, message: FixesApplied) -> None:
        """Record what the fixes changed and the pre-flight read after them."""
        from cmgtui.services.preflight import record_fixes

        message.stop()
        result = message.result
        bar = self.query_one("#pf-progress", ProgressBar)
        bar.update(progress=bar.total)
        self._note_run(result.preflight)
        self.cmg.mutate(lambda p: record_fixes(p, result), FIX_JOB)
        self.sync(self.profile)
        self.notify("Fixes applied; the report shows the new results.", title="Fix")

    def on_fix_progress(self, message: FixProgress) -> None:
        show_if_changed(self.query_one("#pf-state", Static), Text(visible(f"{message.namespace}: {message.state}")))
        if message.registered and message.namespace not in self._advanced:
            self._advanced.add(message.namespace)
            self.query_one("#pf-progress", ProgressBar).advance(1)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "pf-run":
            event.stop()
            self.run()
        elif event.button.id == "pf-fix":
            event.stop()
            self.offer_fixes()
