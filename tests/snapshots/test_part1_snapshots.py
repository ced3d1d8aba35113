"""Snapshots of the Part 1 certificate screen: empty, and with a linted LAB ONLY certificate.

The lab certificate is made with fixed dates and linted at a fixed moment; its thumbprint
(random keys make it differ on every run) is replaced by a fixed one, so the picture is the
same on every run and on every day.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot

from cmgtui.app import CmgApp
from cmgtui.domain.certs import CertificateBundle, SourceFormat, describe_bundle, lint_server_certificate
from cmgtui.domain.certs.lab import build_lab_set
from cmgtui.domain.rules.checks import CERT_LINT_KEY
from cmgtui.model import CertificateSource, Profile
from cmgtui.panes.certificate.text import lint_evidence
from cmgtui.screens.main import MainScreen

from .conftest import contoso_profile, save_profiles, settle

SIZES = [(80, 24), (120, 40)]
MADE_AT = datetime(2030, 1, 1, tzinfo=UTC)
CHECKED_AT = datetime(2030, 3, 1, tzinfo=UTC)
THUMBPRINT = "3F2A9C41D07B5E8812AC64F09D3B7E21C58A0F6D"


def linted_lab_profile() -> Profile:
    """The contoso plan with a lab certificate checked and recorded, all values fixed."""
    profile = contoso_profile()
    profile.last_screen = "certificate"
    cert = profile.certificate
    cert.source = CertificateSource.LAB
    lab = build_lab_set(cert.service_name, now=MADE_AT)
    bundle = CertificateBundle(certificate=lab.server, chain=(lab.root,), private_key=lab.server_key,
                               source_format=SourceFormat.PKCS12, name="lab")
    info = dataclasses.replace(describe_bundle(bundle), thumbprint=THUMBPRINT, serial_number="1")
    results = lint_server_certificate(bundle, region=profile.region, now=CHECKED_AT)
    path = "/home/admin/cmg-lab/GraniteFalls.contoso.com-lab.pfx"
    cert.pfx_path = path
    cert.thumbprint = info.thumbprint
    cert.subject = info.subject
    cert.not_after = info.not_after
    evidence = lint_evidence(path, info, results, lab=True, service_name=cert.service_name)
    profile.evidence[CERT_LINT_KEY] = evidence.model_copy(update={"observed_at": CHECKED_AT})
    return profile


async def scrolled_to(pilot: Pilot, widget_id: str) -> None:
    """Wait until Part 1 is on screen and laid out, then scroll ``#widget_id`` to the top."""
    for _ in range(100):
        await pilot.pause()
        if isinstance(pilot.app.screen, MainScreen) and pilot.app.screen.query(f"#{widget_id}"):
            break
    await settle(pilot)
    pilot.app.screen.query_one(f"#{widget_id}").scroll_visible(top=True, animate=False, immediate=True)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part1_empty(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    profile = contoso_profile()
    profile.certificate.service_name = ""
    profile.last_screen = "certificate"
    save_profiles(profile)

    async def show_top(pilot: Pilot) -> None:
        await scrolled_to(pilot, "certificate")

    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=show_top)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part1_linted_lab_certificate(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(linted_lab_profile())

    async def show_check(pilot: Pilot) -> None:
        await scrolled_to(pilot, "lab-banner")

    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=show_check)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_part1_lint_report(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(linted_lab_profile())

    async def show_report(pilot: Pilot) -> None:
        await scrolled_to(pilot, "cert-summary")

    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=show_report)
