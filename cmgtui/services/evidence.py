"""Recording cloud evidence in a profile: the one place observations (cloud reads, probes) enter it.

Every front records through :func:`record_evidence`, so the TUI and the headless commands keep
the same evidence the same way: the newest observation per source replaces the older one, and
the roles the sign-in read fill Part 2's role field when the admin has not chosen one (checklist
item 4 and its field then agree).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cmgtui.domain.rules.checklist import held_registrar_role

if TYPE_CHECKING:
    from cmgtui.model import Evidence, Profile


def record_evidence(profile: Profile, items: Iterable[Evidence]) -> None:
    """Store ``items`` in ``profile``, newest per source."""
    for item in items:
        profile.evidence[item.source] = item
        if item.source == "graph.roles" and profile.entra.app_registrar_role is None:
            profile.entra.app_registrar_role = held_registrar_role(item.data)
