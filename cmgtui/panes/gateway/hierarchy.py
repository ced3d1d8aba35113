"""Part 4's "Hierarchy" section: the top-level site, the primary sites below a CAS and the
secondary sites, each list typed on one line with commas, as the pane's other lists are.

The lists are parsed and judged by :mod:`cmgtui.domain.hierarchy` and the HIER-* rules; this
module only shows them. The primary sites' line is shown for a CAS only: a standalone
primary's clients and connection points are the fields further down.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Select, Static

from cmgtui.domain import hierarchy
from cmgtui.domain.display_text import visible
from cmgtui.model import Profile, TopLevelSite
from cmgtui.panes.gateway.widgets import RuleNotes
from cmgtui.widgets.base import show_if_changed
from cmgtui.widgets.fields import SelectField, TextField

TOP_LEVEL_CHOICES = [("Standalone primary site", TopLevelSite.STANDALONE_PRIMARY),
                     ("Central administration site (CAS)", TopLevelSite.CAS)]


class ChildPrimariesField(TextField):
    """The primary sites below a CAS: ``code clients server`` entries separated by commas."""

    def to_value(self, text: str) -> Any:
        parsed = hierarchy.parse_child_primaries(text)
        return text if parsed is None else parsed  # unusable text is kept as a draft

    def display_text(self, value: Any) -> str:
        return hierarchy.format_child_primaries(value or [])

    def unfinished(self, profile: Profile) -> bool:
        return hierarchy.is_cas(profile) and super().unfinished(profile)


class SecondariesField(TextField):
    """The secondary sites: ``code parent`` entries separated by commas (optional)."""

    def to_value(self, text: str) -> Any:
        parsed = hierarchy.parse_secondaries(text)
        return text if parsed is None else parsed

    def display_text(self, value: Any) -> str:
        return hierarchy.format_secondaries(value or [])


def hierarchy_rows() -> ComposeResult:
    """The section's rows, in the order the pane shows them."""
    yield Static("Hierarchy (h)", classes="section-title", id="gw-hierarchy-title")
    yield SelectField("Top-level site, where the CMG is created", "hierarchy.top_level", TOP_LEVEL_CHOICES,
                      id="gw-top-level")
    yield ChildPrimariesField(
        "Primary sites below the CAS: code, peak clients, connection point server; comma between sites",
        "hierarchy.child_primaries", validator=hierarchy.child_primaries_problem,
        placeholder=f"e.g. {hierarchy.PRIMARY_EXAMPLE}, P02 0", id="gw-child-primaries")
    yield SecondariesField("Secondary sites (optional): code and parent primary; they host no connection point",
                           "hierarchy.secondaries", validator=hierarchy.secondaries_problem,
                           placeholder=f"e.g. {hierarchy.SECONDARY_EXAMPLE}")
    yield Static(id="gw-hierarchy", classes="gw-text")
    yield RuleNotes("HIER-CMG-SITE", "HIER-CMGCP-PRIMARIES", "HIER-CMGCP-SITE-TYPE", id="gw-hierarchy-notes")


def sync_hierarchy(pane: Widget, profile: Profile) -> None:
    """Show the primaries' line for a CAS only, and the hierarchy in one sentence."""
    cas = hierarchy.is_cas(profile)
    pane.query_one("#gw-child-primaries", ChildPrimariesField).display = cas
    pane.query_one("#gw-peak", TextField).display = not cas
    pane.query_one("#gw-cmgcp-servers", TextField).display = not cas or bool(profile.site.cmgcp_servers)
    show_if_changed(pane.query_one("#gw-hierarchy", Static), Text(visible(hierarchy.summary(profile))))


def focus_hierarchy(pane: Widget) -> None:
    """Focus the top-level site's choice (Tab then reaches the sites' lines), in view."""
    select = pane.query_one("#gw-top-level", SelectField).query_one(Select)
    select.focus()
    pane.query_one("#gw-hierarchy-title", Static).scroll_visible(animate=False, top=True)
