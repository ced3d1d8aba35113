"""The expiry calendar: every dated secret or certificate a CMG depends on, soonest first.

A CMG stops serving clients when its server certificate expires, and every Azure service of
the site stops when the server app secret expires; imported apps get no console warning
(domain sheet §4.3, V32). Trusted CA certificates and bulk registration tokens expire too.
The calendar feeds the start-up warning, the header badge and the readiness report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from cmgtui.model.profile import Profile


class ExpiryLevel(StrEnum):
    """How soon something expires; the thresholds are 30, 60 and 90 days."""

    EXPIRED = "expired"
    WITHIN_30 = "within_30_days"
    WITHIN_60 = "within_60_days"
    WITHIN_90 = "within_90_days"
    OK = "ok"


#: Upper bounds (days left, inclusive) of each warning level, most urgent first.
_THRESHOLDS = ((30, ExpiryLevel.WITHIN_30), (60, ExpiryLevel.WITHIN_60), (90, ExpiryLevel.WITHIN_90))


@dataclass(frozen=True, slots=True)
class ExpiryEntry:
    """One thing that expires: what it is, when, how many whole days are left, how urgent."""

    what: str
    when: datetime
    days_left: int
    level: ExpiryLevel

    @property
    def runbook(self) -> str:
        """The ``cmgtui script --runbook`` name that renews this item ('' when none does)."""
        from cmgtui.domain.runbooks import runbook_for

        return runbook_for(self.what)

    def to_json(self) -> dict[str, str | int]:
        """A JSON-ready record (``when`` in ISO 8601, UTC)."""
        return {"what": self.what, "when": self.when.isoformat(), "days_left": self.days_left,
                "level": self.level.value}


def _utc(moment: datetime) -> datetime:
    """Naive datetimes in a profile are UTC (the only zone it stores)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def level_for(days_left: int, expired: bool) -> ExpiryLevel:
    """The level of an entry with ``days_left`` whole days to go."""
    if expired:
        return ExpiryLevel.EXPIRED
    for limit, level in _THRESHOLDS:
        if days_left <= limit:
            return level
    return ExpiryLevel.OK


def _entry(what: str, when: datetime, now: datetime) -> ExpiryEntry:
    when = _utc(when)
    delta = when - now
    days = delta.days  # floor: 0 means less than a day to go (or just passed)
    return ExpiryEntry(what, when, days, level_for(days, expired=when <= now))


def expiry_calendar(profile: Profile, now: datetime | None = None) -> list[ExpiryEntry]:
    """Every dated item of the profile, sorted by date (then by name)."""
    now = _utc(now or datetime.now(UTC))
    items: list[tuple[str, datetime]] = []
    cert = profile.certificate
    if cert.not_after is not None:
        label = cert.service_name.strip() or "CMG"
        items.append((f"Server authentication certificate ({label})", cert.not_after))
    server = profile.entra.server_app
    if server.secret_expiry is not None:
        items.append((f"Server app client secret ({server.display_name.strip() or 'server app'})",
                      server.secret_expiry))
    for cert_item in profile.client_auth.trusted_certificates:
        if cert_item.not_after is None:
            continue
        kind = "Trusted root CA" if cert_item.is_root else "Trusted intermediate CA"
        name = cert_item.subject.strip() or cert_item.path.strip() or cert_item.thumbprint.strip() or "certificate"
        items.append((f"{kind} certificate ({name})", cert_item.not_after))
    for token in profile.client_auth.bulk_tokens:
        if token.expires_at is None:
            continue
        name = token.note.strip() or token.tracking_id.strip() or "token"
        items.append((f"Bulk registration token ({name})", token.expires_at))
    entries = [_entry(what, when, now) for what, when in items]
    return sorted(entries, key=lambda e: (e.when, e.what))


def expiring_soon(profile: Profile, now: datetime | None = None, within_days: int = 90) -> list[ExpiryEntry]:
    """Entries already expired or expiring within ``within_days`` days (start-up warning)."""
    return [e for e in expiry_calendar(profile, now) if e.level is ExpiryLevel.EXPIRED or e.days_left <= within_days]


def describe(entry: ExpiryEntry) -> str:
    """One line for a warning: ``Server app client secret (X) expires in 12 days (2026-05-01).``"""
    day = entry.when.strftime("%Y-%m-%d")
    if entry.level is ExpiryLevel.EXPIRED:
        ago = -entry.days_left
        when = "today" if ago <= 0 else ("1 day ago" if ago == 1 else f"{ago} days ago")
        return f"{entry.what} expired {when} ({day})."
    if entry.days_left == 0:
        return f"{entry.what} expires within a day ({day})."
    unit = "day" if entry.days_left == 1 else "days"
    return f"{entry.what} expires in {entry.days_left} {unit} ({day})."
