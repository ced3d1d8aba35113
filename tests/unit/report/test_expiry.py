"""Tests of the expiry calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cmgtui.domain.expiry import ExpiryLevel, describe, expiring_soon, expiry_calendar, level_for
from cmgtui.model import BulkToken, Profile, TrustedCertificate

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def dated_profile() -> Profile:
    profile = Profile(name="dates")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.certificate.not_after = NOW + timedelta(days=200)
    profile.entra.server_app.secret_expiry = NOW + timedelta(days=45)
    profile.client_auth.trusted_certificates = [
        TrustedCertificate(subject="CN=Root", is_root=True, not_after=NOW + timedelta(days=3000)),
        TrustedCertificate(path=r"C:\certs\issuing.cer", is_root=False, not_after=NOW + timedelta(days=75)),
        TrustedCertificate(subject="CN=No date"),
    ]
    profile.client_auth.bulk_tokens = [
        BulkToken(tracking_id="t-1", expires_at=NOW - timedelta(days=2)),
        BulkToken(tracking_id="t-2", note="kiosks", expires_at=NOW + timedelta(days=10)),
        BulkToken(tracking_id="t-3"),
    ]
    return profile


def test_calendar_lists_every_dated_item_sorted_with_levels() -> None:
    entries = expiry_calendar(dated_profile(), NOW)
    assert [(e.what, e.days_left, e.level) for e in entries] == [
        ("Bulk registration token (t-1)", -2, ExpiryLevel.EXPIRED),
        ("Bulk registration token (kiosks)", 10, ExpiryLevel.WITHIN_30),
        ("Server app client secret (CMG-ServerApp)", 45, ExpiryLevel.WITHIN_60),
        (r"Trusted intermediate CA certificate (C:\certs\issuing.cer)", 75, ExpiryLevel.WITHIN_90),
        ("Server authentication certificate (GraniteFalls.contoso.com)", 200, ExpiryLevel.OK),
        ("Trusted root CA certificate (CN=Root)", 3000, ExpiryLevel.OK),
    ]


def test_thresholds_are_inclusive_and_expiry_is_exact() -> None:
    assert level_for(30, False) is ExpiryLevel.WITHIN_30
    assert level_for(31, False) is ExpiryLevel.WITHIN_60
    assert level_for(60, False) is ExpiryLevel.WITHIN_60
    assert level_for(90, False) is ExpiryLevel.WITHIN_90
    assert level_for(91, False) is ExpiryLevel.OK
    profile = Profile(name="edge")
    profile.certificate.not_after = NOW
    (entry,) = expiry_calendar(profile, NOW)
    assert entry.level is ExpiryLevel.EXPIRED and describe(entry).endswith("expired today (2026-03-01).")
    profile.certificate.not_after = NOW + timedelta(hours=5)
    (entry,) = expiry_calendar(profile, NOW)
    assert entry.level is ExpiryLevel.WITHIN_30 and entry.days_left == 0


def test_naive_dates_are_read_as_utc() -> None:
    profile = Profile(name="naive")
    profile.certificate.not_after = datetime(2026, 3, 11, 12, 0)
    (entry,) = expiry_calendar(profile, NOW)
    assert entry.days_left == 10 and entry.when.tzinfo is UTC


def test_expiring_soon_keeps_expired_and_near_items_only() -> None:
    soon = expiring_soon(dated_profile(), NOW)
    assert [e.days_left for e in soon] == [-2, 10, 45, 75]
    assert [e.days_left for e in expiring_soon(dated_profile(), NOW, within_days=30)] == [-2, 10]
    assert expiring_soon(Profile(name="empty"), NOW) == []


def test_describe_reads_naturally() -> None:
    entries = {e.days_left: e for e in expiry_calendar(dated_profile(), NOW)}
    assert describe(entries[-2]) == "Bulk registration token (t-1) expired 2 days ago (2026-02-27)."
    assert describe(entries[45]) == "Server app client secret (CMG-ServerApp) expires in 45 days (2026-04-15)."
    assert entries[10].to_json() == {"what": "Bulk registration token (kiosks)",
                                     "when": "2026-03-11T12:00:00+00:00", "days_left": 10,
                                     "level": "within_30_days"}
