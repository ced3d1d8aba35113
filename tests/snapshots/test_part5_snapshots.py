"""Snapshots of Part 5 (configure clients): values missing, command lines ready, probe results."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot

from cmgtui.app import CmgApp
from cmgtui.model import Profile
from cmgtui.model.enums import ClientAuthMethod, ManagementPointMode
from cmgtui.model.profile import Evidence

from .conftest import contoso_profile, save_profiles, settle

SIZES = [(80, 24), (120, 40)]
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def _part5(filled: bool) -> Profile:
    profile = contoso_profile()
    profile.last_screen = "clients"
    profile.client_auth.methods = [ClientAuthMethod.ENTRA, ClientAuthMethod.PKI]
    profile.client_auth.management_point_mode = ManagementPointMode.HTTPS
    profile.entra.tenant_id = TENANT
    profile.entra.client_app.app_id = "0b2d3c4e-5f60-4718-8293-a4b5c6d7e8f9"
    profile.entra.server_app.app_id_uri = f"api://{TENANT}/CMG-ServerApp"
    if filled:
        profile.site.site_code = "ABC"
        profile.clients.mp_role_id = "72186325152220500"
        profile.clients.onprem_mp = "mp01.contoso.com"
        profile.clients.enable_cmg_setting = profile.clients.allow_cloud_dp_setting = True
    return profile


def _probed() -> Profile:
    profile = _part5(True)
    deployment = "granitefalls.westus.cloudapp.azure.com"
    profile.evidence["probe.service"] = Evidence(
        source="probe.service", summary="DNS ok; TCP 443 ok; TLS ok",
        observed_at=datetime(2026, 5, 28, 9, 30, tzinfo=UTC),
        data={"service_name": "GraniteFalls.contoso.com", "expected_target": deployment, "needs_cname": True,
              "dns": {"ok": True, "canonical": deployment, "aliases": ["GraniteFalls.contoso.com"],
                      "addresses": ["20.42.1.7"], "error": ""},
              "target_addresses": ["20.42.1.7"],
              "tcp": {"ok": True, "host": "20.42.1.7", "port": 443, "error": ""},
              "tls": {"ok": True, "error": "", "common_name": "cmg.fabrikam.com", "sans": [], "trusted": False,
                      "trust_error": "unable to get local issuer certificate", "not_after": "2027-05-01T00:00:00"}})
    return profile


def _scrolled_to(selector: str):  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for _ in range(2):  # the second pass lands exactly once late layout changes are done
            pilot.app.screen.query_one(selector).scroll_visible(animate=False, top=True)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part5_top(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(_part5(False))
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part5_values_missing(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(_part5(False))
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size,
                        run_before=_scrolled_to("#cl-commands"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part5_command_lines(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(_part5(True))
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size,
                        run_before=_scrolled_to("#cl-commands"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part5_probe_results(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(_probed())
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size,
                        run_before=_scrolled_to("#cl-probe"))
