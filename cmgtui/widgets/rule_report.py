"""A table of rule results: what was checked, the verdict, and what to do."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from cmgtui.domain.rules.results import RuleResult
from cmgtui.widgets.badge import badge
from cmgtui.widgets.base import show_if_changed
from cmgtui.widgets.token_wrap import TokenWrap


def rule_table(results: Sequence[RuleResult], empty: str = "No rules apply yet.") -> Table | Text:
    """One row per result: the verdict, then the rule ID whole on its own line with the finding
    and what to do below it, so the ID is never split and the message wraps at any width."""
    if not results:
        return Text(empty, style="dim")
    table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    table.add_column("Result", no_wrap=True, width=7)
    table.add_column("Rule · finding and what to do", ratio=1)
    for result in results:
        # finding and fix wrap between tokens: an app ID URI, FQDN or path is never cut
        parts: list[Text | TokenWrap] = [Text(result.rule, style="bold", no_wrap=True, overflow="fold"),
                                         TokenWrap(result.message)]
        if result.fix and result.fix != result.message:
            parts.append(TokenWrap("→ " + result.fix, style="italic", indent=2))
        table.add_row(badge(result.status), Group(*parts))
    return table


class RuleReport(Static):
    """Shows a list of rule results; call :meth:`show` to replace them (``shown`` holds them)."""

    shown: tuple[RuleResult, ...] = ()

    def show(self, results: Sequence[RuleResult], empty: str = "No rules apply yet.") -> None:
        """Render ``results``."""
        self.shown = tuple(results)
        # built and laid out again only when the results or the empty text changed
        show_if_changed(self, lambda: rule_table(results, empty), key=(self.shown, empty))
