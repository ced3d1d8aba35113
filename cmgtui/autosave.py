"""Debounced, ordered profile saving that never blocks the UI thread.

The UI thread takes a snapshot (a deep copy of the profile, cheap) and hands it to
:meth:`Autosaver.write`, which a worker thread runs. Snapshots carry a sequence number so
that a slow older write can never land after a newer one.
"""

from __future__ import annotations

import threading

from cmgtui.model import Profile
from cmgtui.store import ProfileStore


class Autosaver:
    """Writes profile snapshots in order; safe to call from several threads."""

    def __init__(self, store: ProfileStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._issued = 0
        self._written = 0

    @property
    def issued(self) -> int:
        """The number of the latest snapshot taken."""
        return self._issued

    def snapshot(self, profile: Profile) -> tuple[int, Profile]:
        """Take a numbered copy of ``profile`` to write later (call on the UI thread)."""
        self._issued += 1
        return self._issued, profile.model_copy(deep=True)

    def write(self, sequence: int, snapshot: Profile) -> bool:
        """Write ``snapshot`` unless a newer one has already been written; True if written."""
        with self._lock:
            if sequence <= self._written:
                return False
            self._store.save(snapshot)
            self._written = sequence
            return True
