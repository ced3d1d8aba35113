"""Snapshots of Part 2 (Microsoft Entra ID): creating here while signed out, and verified imported apps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot

from cmgtui.app import CmgApp
from cmgtui.model import Evidence
from cmgtui.model.enums import EntraPath

from .conftest import contoso_profile, save_profiles, settle

SIZES = [(80, 24), (120, 40)]
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SERVER = "5a3c2b1d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
CLIENT = "6b4d3c2e-5f60-4b7c-9d8e-0f1a2b3c4d5e"
URI = f"api://{TENANT}/ConfigMgrService"
OBSERVED = datetime(2026, 5, 28, 9, 0, tzinfo=UTC)


async def _scroll_to(pilot: Pilot, selector: str) -> None:
    """Settle, then scroll the pane so ``selector`` is at its top."""
    await settle(pilot)
    await pilot.pause()
    pane = pilot.app.screen.query_one("#entra")
    pane.scroll_to_widget(pane.query_one(selector), animate=False, top=True)
    await settle(pilot)


def _creating() -> None:
    profile = contoso_profile()
    profile.last_screen = "entra"
    profile.entra.path = EntraPath.CREATE_HERE
    save_profiles(profile)


def _imported_and_verified() -> None:
    profile = contoso_profile()
    profile.last_screen = "entra"
    entra = profile.entra
    entra.path = EntraPath.IMPORT
    entra.tenant_id, entra.tenant_name = TENANT, "Contoso"
    entra.server_app.app_id, entra.client_app.app_id = SERVER, CLIENT
    entra.server_app.app_id_uri = URI
    entra.server_app.secret_expiry = datetime(2099, 6, 30, tzinfo=UTC)
    profile.evidence["graph.organization"] = Evidence(
        source="graph.organization", summary=f"Contoso ({TENANT})", observed_at=OBSERVED,
        data={"tenant_id": TENANT, "display_name": "Contoso", "initial_domain": "contoso.onmicrosoft.com",
              "verified_domains": ["contoso.onmicrosoft.com", "contoso.com"]})
    profile.evidence["graph.apps"] = Evidence(
        source="graph.apps", summary="CMG-ServerApp / CMG-ClientApp", observed_at=OBSERVED,
        data={"server_app_id": SERVER, "client_app_id": CLIENT,
              "server": {"id_token_issuance": True, "scopes": ["user_impersonation"], "app_roles_granted": [],
                         "identifier_uris": [URI]},
              "client": {"id_token_issuance": True, "is_fallback_public_client": True,
                         "public_client_redirect_uris": [f"ms-appx-web://Microsoft.AAD.BrokerPlugin/{CLIENT}"],
                         "consented_scopes": ["user_impersonation"]}})
    save_profiles(profile)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_create_here_signed_out(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    _creating()

    async def show_create(pilot: Pilot) -> None:
        await _scroll_to(pilot, "#p2-create")

    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=show_create)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_imported_and_verified_values(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    _imported_and_verified()
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_imported_and_verified_report(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    _imported_and_verified()

    async def show_report(pilot: Pilot) -> None:
        await _scroll_to(pilot, "#p2-verify")

    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=show_report)
