"""The main screen's navigation entries, in order, with the setup phase each one shows."""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.domain.rules.results import Phase


@dataclass(frozen=True, slots=True)
class NavEntry:
    """One navigation entry: stable id (stored as ``last_screen``), label, phase."""

    id: str
    label: str
    phase: Phase | None


NAV_ENTRIES: tuple[NavEntry, ...] = (
    NavEntry("checklist", "Checklist", Phase.CHECKLIST),
    NavEntry("glossary", "Glossary", None),
    NavEntry("certificate", "1 Certificate", Phase.CERTIFICATE),
    NavEntry("entra", "2 Entra ID", Phase.ENTRA),
    NavEntry("client_auth", "3 Client authentication", Phase.CLIENT_AUTH),
    NavEntry("gateway", "4 Set up CMG", Phase.GATEWAY),
    NavEntry("clients", "5 Configure clients", Phase.CLIENTS),
    NavEntry("automation", "Automation", None),
    NavEntry("logs", "Logs", None),
    NavEntry("day_two", "Day two", None),
    NavEntry("health", "Health", None),
    NavEntry("activity", "Activity", None),
)

ENTRY_IDS: frozenset[str] = frozenset(entry.id for entry in NAV_ENTRIES)


def entry_by_id(entry_id: str) -> NavEntry:
    """The entry with ``entry_id``; falls back to the checklist for unknown ids."""
    return next((e for e in NAV_ENTRIES if e.id == entry_id), NAV_ENTRIES[0])
