"""The catalogue of known CMG log signatures and success markers, assembled from its parts.

Server-side problems live in :mod:`~cmgtui.domain.logs.server_signatures`, client-side ones in
:mod:`~cmgtui.domain.logs.client_signatures`, success markers in :mod:`~cmgtui.domain.logs.markers`;
the model (:class:`Signature`, :class:`Severity`) in :mod:`~cmgtui.domain.logs.signature`.
"""

from __future__ import annotations

from cmgtui.domain.logs.client_signatures import CLIENT_SIGNATURES
from cmgtui.domain.logs.markers import MARKERS
from cmgtui.domain.logs.server_signatures import SERVER_SIGNATURES
from cmgtui.domain.logs.signature import Area, Evidence, Severity, Signature

__all__ = ["BY_ID", "CATALOGUE", "GENERIC_IDS", "KNOWN_LOGS", "Area", "Evidence", "Severity", "Signature"]

CATALOGUE: tuple[Signature, ...] = SERVER_SIGNATURES + CLIENT_SIGNATURES + MARKERS

#: Catch-all signatures: reported only when no specific signature matched the same entry.
GENERIC_IDS = frozenset(s.id for s in CATALOGUE if s.error_entries_only and not s.patterns)

BY_ID: dict[str, Signature] = {s.id: s for s in CATALOGUE}
KNOWN_LOGS: frozenset[str] = frozenset(name.lower() for s in CATALOGUE for name in s.logs)
