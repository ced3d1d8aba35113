"""Which pane shows each navigation entry, and building one only when it is first shown.

One line per entry, naming the module and class, so a part's working screen replaces its
overview here and nowhere else. A pane's module is imported the first time the pane is
shown: the first frame pays only for the pane it shows.
"""

from __future__ import annotations

from importlib import import_module

from cmgtui.widgets.base import Pane

PANES: dict[str, tuple[str, str]] = {
    "checklist": ("cmgtui.panes.checklist", "ChecklistPane"),
    "glossary": ("cmgtui.panes.glossary", "GlossaryPane"),
    "certificate": ("cmgtui.panes.certificate.pane", "CertificatePane"),
    "entra": ("cmgtui.panes.entra.pane", "EntraPane"),
    "client_auth": ("cmgtui.panes.client_auth.pane", "ClientAuthPane"),
    "gateway": ("cmgtui.panes.gateway.pane", "GatewayPane"),
    "clients": ("cmgtui.panes.clients.pane", "ClientsPane"),
    "automation": ("cmgtui.panes.automation", "AutomationPane"),
    "logs": ("cmgtui.panes.logs", "LogsPane"),
    "day_two": ("cmgtui.panes.day_two", "DayTwoPane"),
    "health": ("cmgtui.panes.health", "HealthPane"),
    "activity": ("cmgtui.panes.activity", "ActivityPane"),
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
