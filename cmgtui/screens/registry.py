"""Which pane shows each navigation entry, and building one only when it is first shown.

One line per entry, naming the module and class, so a part's working screen replaces its
overview here and nowhere else. A pane's module is imported the first time the pane is
shown: the first frame pays only for the pane it shows.
"""

from __future__ import annotations

from importlib import import_module

from cmgtui.widgets.base import Pane

PANES: dict[str, tuple[str, str]] = {
    "checklist": ("cmgtui.screens.checklist", "ChecklistPane"),
    "glossary": ("cmgtui.screens.glossary", "GlossaryPane"),
    "certificate": ("cmgtui.screens.part1_certificate", "CertificatePane"),
    "entra": ("cmgtui.screens.part2_entra", "EntraPane"),
    "client_auth": ("cmgtui.screens.part3_client_auth", "ClientAuthPane"),
    "gateway": ("cmgtui.screens.part4_gateway", "GatewayPane"),
    "clients": ("cmgtui.screens.part5_clients", "ClientsPane"),
    "automation": ("cmgtui.screens.automation", "AutomationPane"),
    "logs": ("cmgtui.screens.logs", "LogsPane"),
    "day_two": ("cmgtui.screens.day_two", "DayTwoPane"),
    "activity": ("cmgtui.screens.activity", "ActivityPane"),
}


def pane_class(entry_id: str) -> type[Pane]:
    """The pane class for ``entry_id`` (imports its module on first use)."""
    module, name = PANES[entry_id]
    cls = getattr(import_module(module), name)
    if not (isinstance(cls, type) and issubclass(cls, Pane)):
        raise TypeError(f"{module}.{name} is not a Pane")
    return cls


def build_pane(entry_id: str) -> Pane:
    """A fresh pane for ``entry_id``, with the entry's id as its widget id."""
    return pane_class(entry_id)(id=entry_id)
