"""Which pane shows each navigation entry.

One line per entry, so a part's working screen replaces its overview here and nowhere else.
"""

from __future__ import annotations

from cmgtui.screens.activity import ActivityPane
from cmgtui.screens.automation import AutomationPane
from cmgtui.screens.checklist import ChecklistPane
from cmgtui.screens.day_two import DayTwoPane
from cmgtui.screens.glossary import GlossaryPane
from cmgtui.screens.logs import LogsPane
from cmgtui.screens.part1_certificate import CertificatePane
from cmgtui.screens.part2_entra import EntraPane
from cmgtui.screens.part3_client_auth import ClientAuthPane
from cmgtui.screens.part4_gateway import GatewayPane
from cmgtui.screens.part5_clients import ClientsPane
from cmgtui.widgets.base import Pane


def build_panes() -> list[Pane]:
    """A fresh pane for every navigation entry, each with the entry's id as widget id."""
    return [
        ChecklistPane(id="checklist"),
        GlossaryPane(id="glossary"),
        CertificatePane(id="certificate"),
        EntraPane(id="entra"),
        ClientAuthPane(id="client_auth"),
        GatewayPane(id="gateway"),
        ClientsPane(id="clients"),
        AutomationPane(id="automation"),
        LogsPane(id="logs"),
        DayTwoPane(id="day_two"),
        ActivityPane(id="activity"),
    ]
