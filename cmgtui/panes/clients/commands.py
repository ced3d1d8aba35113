"""A generated command with its lint results and a copy button (Part 5).

When values are missing the block lists them (with where to enter them) instead of showing a
line that wouldn't work. Lint results come from :func:`cmgtui.domain.clients.cmdlint.lint_command_line`
for ccmsetup lines; other commands (PowerShell) are shown as they are.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from cmgtui.domain.clients.cmdlint import lint_command_line
from cmgtui.domain.display_text import visible
from cmgtui.domain.clients.command_lines import CommandLine
from cmgtui.domain.rules.results import RuleResult, Status
from cmgtui.widgets.clipboard import copy_through_terminal
from cmgtui.widgets.rule_report import RuleReport
from cmgtui.widgets.token_wrap import TokenWrap

LINTED_KINDS = frozenset({"entra", "pki", "token", "intune"})


def lint_for(line: CommandLine) -> list[RuleResult]:
    """Lint results for a ready ccmsetup line (empty for other commands or missing values)."""
    return lint_command_line(line.text) if line.ready and line.kind in LINTED_KINDS else []


class CommandBlock(Vertical):
    """Title, the command (or what it still needs), lint verdicts and Copy."""

    def __init__(self, kind: str, title: str, hint: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id, classes="command-block")
        self.kind = kind
        self.title = title
        self.hint = hint
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Static(self.title, classes="subsection-title")
        if self.hint:
            yield Static(self.hint, classes="hint")
        yield Static(classes="command-text")
        yield Static(classes="lint-summary")
        yield RuleReport(classes="lint-report")
        with Horizontal(classes="buttons"):
            yield Button("Copy", classes="copy-command", compact=True)

    def show(self, line: CommandLine) -> None:
        """Show ``line`` (or the values it still needs) and its lint results."""
        self.text = line.text if line.ready else ""
        body = self.query_one(".command-text", Static)
        summary = self.query_one(".lint-summary", Static)
        report = self.query_one(".lint-report", RuleReport)
        self.query_one(".copy-command", Button).disabled = not self.text
        if not line.ready:
            text = Text("Not shown until these values are entered:", style="italic")
            for item in line.missing:
                text.append(f"\n  • {visible(item)}")
            body.update(text)
            summary.update("")
            summary.display = False
            report.show([], "")
            report.display = False
            return
        body.update(TokenWrap(line.text, style="bold", indent=2))
        summary.display = True
        results = lint_for(line)
        problems = [r for r in results if r.status in (Status.FAIL, Status.WARN)]
        passed = [r for r in results if r.status is Status.PASS]
        if results:
            rules = list(dict.fromkeys(r.rule for r in passed))
            summary.update(Text(f"✓ {len(rules)} command-line check(s) pass ({', '.join(rules)}).", style="green")
                           if not problems else Text(f"{len(problems)} problem(s) in this line:", style="bold red"))
        else:
            summary.update("")
            summary.display = False
        report.display = bool(problems)
        report.show(problems, "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("copy-command"):
            event.stop()
            if self.text:
                copy_through_terminal(self.app, self.text, self.title)
