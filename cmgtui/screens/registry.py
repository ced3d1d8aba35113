"""Which pane shows each navigation entry.

One line per entry, so a part's working screen replaces its overview here and nowhere else.
"""

from __future__ import annotations

from cmgtui.screens.activity import ActivityPane
from cmgtui.screens.automation import AutomationPane
from cmgtui.screens.checklist import ChecklistPane
from cmgtui.screens.glossary import GlossaryPane
from cmgtui.screens.part_overview import PartOverviewPane, part_description
from cmgtui.widgets.base import Pane


def build_panes() -> list[Pane]:
    """A fresh pane for every navigation entry, each with the entry's id as widget id."""
    return [
        ChecklistPane(id="checklist"),
        GlossaryPane(id="glossary"),
        PartOverviewPane(part_description("certificate")),
        PartOverviewPane(part_description("entra")),
        PartOverviewPane(part_description("client_auth")),
        PartOverviewPane(part_description("gateway")),
        PartOverviewPane(part_description("clients")),
        AutomationPane(id="automation"),
        ActivityPane(id="activity"),
    ]
