"""Snapshots of Part 3 (client authentication): fresh, recommendation, PKI and token sections."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot

from cmgtui.app import CmgApp
from cmgtui.model import Profile
from cmgtui.model.enums import ClientAuthMethod, ManagementPointMode
from cmgtui.model.profile import BulkToken, TrustedCertificate

from .conftest import contoso_profile, save_profiles, settle

SIZES = [(80, 24), (120, 40)]


def _part3() -> Profile:
    profile = contoso_profile()
    profile.last_screen = "client_auth"
    return profile


def _decided() -> Profile:
    profile = _part3()
    part = profile.client_auth
    part.devices_entra_joined, part.has_client_pki, part.new_internet_only_devices = False, True, True
    part.methods = [ClientAuthMethod.PKI, ClientAuthMethod.TOKEN]
    part.management_point_mode = ManagementPointMode.HTTPS
    part.crl_published = False
    part.trusted_certificates = [
        TrustedCertificate(path="/certs/contoso-root.cer", subject="CN=Contoso Root CA",
                           thumbprint="A1B2C3D4E5F60718293A4B5C6D7E8F9012345678", is_root=True,
                           not_after=datetime(2036, 1, 1, tzinfo=UTC)),
    ]
    part.token_lifetime_minutes = 1440
    part.bulk_tokens = [BulkToken(tracking_id="6f1a2b3c-1111-2222-3333-444455556666",
                                  expires_at=datetime(2030, 1, 2, 3, 4, tzinfo=UTC))]
    return profile


def _scrolled_to(selector: str):  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for _ in range(2):  # the second pass lands exactly once late layout changes are done
            pilot.app.screen.query_one(selector).scroll_visible(animate=False, top=True)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part3_fresh(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(_part3())
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part3_recommendation(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(_decided())
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size,
                        run_before=_scrolled_to("#ca-advice"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part3_pki_section(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(_decided())
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size,
                        run_before=_scrolled_to("#ca-pki"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part3_token_section(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(_decided())
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size,
                        run_before=_scrolled_to("#ca-token"))
