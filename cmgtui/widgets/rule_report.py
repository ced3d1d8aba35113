"""A table of rule results: what was checked, the verdict, and what to do."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from cmgtui.domain.rules import RuleResult
from cmgtui.widgets.badge import badge


def rule_table(results: Sequence[RuleResult], empty: str = "No rules apply yet.") -> Table | Text:
    """A rich table with one row per result; the message wraps to the available width."""
    if not results:
        return Text(empty, style="dim")
    table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    table.add_column("Result", no_wrap=True, width=7)
    table.add_column("Rule", style="dim", max_width=16, overflow="fold")
    table.add_column("Finding and what to do", ratio=1)
    for result in results:
        text = Text(result.message)
        if result.fix and result.fix != result.message:
            text.append("\n→ " + result.fix, style="italic")
        table.add_row(badge(result.status), result.rule, text)
    return table


class RuleReport(Static):
    """Shows a list of rule results; call :meth:`show` to replace them (``shown`` holds them)."""

    shown: tuple[RuleResult, ...] = ()

    def show(self, results: Sequence[RuleResult], empty: str = "No rules apply yet.") -> None:
        """Render ``results``."""
        self.shown = tuple(results)
        self.update(rule_table(results, empty))
