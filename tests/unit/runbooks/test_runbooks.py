"""Runbooks: renewal lint, scaling rules, rotation steps; golden scripts parsed by tree-sitter-powershell.

Rewrite the golden files after an intended change with
``CMGTUI_UPDATE_GOLDEN=1 uv run pytest tests/unit/runbooks -q`` and review the diff.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from cmgtui.domain.runbooks import renew_certificate, rotation_runbook, runbook_spec, scale
from cmgtui.model.enums import DeploymentMethod, EntraPath, VmSize
from tests.unit.certs import cert_factory as cf
from tests.unit.powershell import psparse
from tests.unit.powershell.profiles import public_entra_2309

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CMGTUI_UPDATE_GOLDEN") == "1"
PFX_PATH = r"C:\certs\GraniteFalls-2027.pfx"


def _profile():
    profile = public_entra_2309()
    profile.certificate.not_after = cf.NOW + timedelta(days=20)
    profile.entra.server_app.object_id = "0a0a0a0a-1111-4222-8333-444444444444"
    profile.entra.server_app.secret_key_id = "5b5b5b5b-1111-4222-8333-444444444444"
    return profile


def _pfx(tmp_path: Path, leaf: cf.Leaf | None = None, chain=None) -> Path:
    spec = leaf or cf.Leaf()
    path = tmp_path / "new.pfx"
    path.write_bytes(cf.pfx_bytes(spec.build(), spec.leaf_key(),
                                  (cf.intermediate(), cf.root()) if chain is None else chain))
    return path


def _renewal_script(tmp_path: Path) -> str:
    book = renew_certificate(_profile(), _pfx(tmp_path), cf.PASSWORD, now=cf.NOW, site_pfx_path=PFX_PATH)
    assert book.ready, book.blockers
    # The golden file must not depend on the random thumbprint.
    script = book.script or ""
    lines = [line for line in script.splitlines() if "New certificate thumbprint" not in line]
    return "\n".join(lines) + "\n"


def _scripts(tmp_path: Path) -> dict[str, str]:
    return {
        "renew-certificate": _renewal_script(tmp_path),
        "scale": scale(_profile(), instances=4).script or "",
        "rotate-secret": rotation_runbook(_profile()).script or "",
    }


@pytest.mark.parametrize("name", ["renew-certificate", "scale", "rotate-secret"])
def test_runbook_script_matches_golden_and_parses(name: str, tmp_path: Path) -> None:
    script = _scripts(tmp_path)[name]
    path = GOLDEN / f"{name}.ps1"
    if UPDATE:
        path.write_text(script, encoding="utf-8", newline="\n")
    assert script == path.read_text(encoding="utf-8"), f"{name}: script differs from {path.name}"
    assert psparse.syntax_problems(script) == []


@pytest.mark.parametrize("name", ["renew-certificate", "scale", "rotate-secret"])
def test_runbook_cmdlets_fit_documented_parameter_sets(name: str, tmp_path: Path) -> None:
    script = _scripts(tmp_path)[name]
    for call in psparse.calls(script):
        spec = runbook_spec(call.name)
        assert spec is not None, f"{call.name} has no documented spec"
        assert spec.matching_set(set(call.parameters)) is not None, f"{call.name} {sorted(call.parameters)}"


def test_renewal_script_updates_the_cmg_with_the_new_pfx(tmp_path: Path) -> None:
    script = _renewal_script(tmp_path)
    (call,) = [c for c in psparse.calls(script) if c.name == "Set-CMCloudManagementGateway"]
    assert call.parameters == {"Name", "ServiceCertPath", "ServiceCertPassword"}
    assert "[string]$ServiceName = 'GraniteFalls.contoso.com'" in script
    assert "Read-Host -AsSecureString" in script and cf.PASSWORD.decode() not in script


def test_renewal_refuses_a_cn_differing_only_in_letter_case(tmp_path: Path) -> None:
    upper = cf.GOOD_CN.upper()
    book = renew_certificate(_profile(), _pfx(tmp_path, cf.Leaf(cn=upper, sans=(upper,))), cf.PASSWORD, now=cf.NOW)
    assert book.script is None
    assert any("CERT-RENEWAL-CN" in b and "letter case" in b for b in book.blockers)


def test_renewal_refuses_a_gap_in_validity(tmp_path: Path) -> None:
    later = cf.Leaf(not_before=cf.NOW + timedelta(days=30), not_after=cf.NOW + timedelta(days=400))
    book = renew_certificate(_profile(), _pfx(tmp_path, later), cf.PASSWORD, now=cf.NOW + timedelta(days=31))
    assert book.script is None
    assert any("after the current one expires" in b for b in book.blockers)


def test_renewal_shows_the_chain_rules_verdict(tmp_path: Path) -> None:
    good = renew_certificate(_profile(), _pfx(tmp_path), cf.PASSWORD, now=cf.NOW)
    assert any(c.startswith("CERT-CHAIN") for c in good.checks)
    bare = renew_certificate(_profile(), _pfx(tmp_path, chain=()), cf.PASSWORD, now=cf.NOW)
    assert any(n.startswith("CERT-CHAIN") and "No issuing CA" in n for n in bare.notes), bare.notes


def test_renewal_reports_a_wrong_password_and_a_missing_file(tmp_path: Path) -> None:
    book = renew_certificate(_profile(), _pfx(tmp_path), b"wrong", now=cf.NOW)
    assert book.blockers and book.script is None
    assert renew_certificate(_profile(), tmp_path / "nope.pfx", None).blockers
    assert "Choose the new PFX" in renew_certificate(_profile(), None, None).blockers[0]


def test_scale_from_peak_clients_uses_the_calculator_and_connection_point_rule() -> None:
    profile = _profile()
    book = scale(profile, peak_clients=30_000)  # Standard A2_v2: 6,000 per VM → 5 VMs → 2 CMGCPs
    assert book.ready
    assert "VMInstanceCount = 5" in (book.script or "")
    assert any("5 VM instance(s) need 2 CMG connection point(s)" in c for c in book.checks)
    big = scale(profile, instances=12)
    assert any("need 3 CMG connection point(s)" in n and "Add 1 more" in n for n in big.notes)


def test_scale_rejects_counts_outside_1_to_16() -> None:
    assert scale(_profile(), instances=17).blockers
    assert scale(_profile(), instances=0).blockers


def test_vm_size_change_has_console_steps_not_an_invented_parameter() -> None:
    profile = _profile()
    profile.site.site_version = 2309
    book = scale(profile, vm_size=VmSize.LARGE)
    assert book.script is None and not book.blockers
    assert "choose Properties" in book.console_steps[0]
    assert "On the Settings tab change the VM size from Standard" in book.console_steps[1]
    assert "Large" in book.console_steps[1]
    profile.site.site_version = 2103  # before 2107 the size is fixed: only a new CMG has another
    steps = scale(profile, vm_size=VmSize.LARGE).console_steps
    assert "Version 2103 has no VM size choice" in steps[0] and "create a second CMG" in steps[1]
    profile.deployment_method = DeploymentMethod.CLASSIC
    profile.site.site_version = 2309
    steps = scale(profile, vm_size=VmSize.LARGE).console_steps
    assert "choose Convert" not in " ".join(steps) and "Replace it with a new CMG" in steps[0]


def test_rotation_runbook_gives_console_steps_and_a_read_only_script() -> None:
    book = rotation_runbook(_profile())
    assert book.ready
    assert any("Renew Secret Key" in s for s in book.console_steps)
    calls = {c.name for c in psparse.calls(book.script or "")}
    assert "Get-CMAADApplication" in calls and not any(n.startswith(("Set-CM", "New-CM", "Remove-CM", "Import-CM", "Add-CM")) for n in calls)
    profile = _profile()
    profile.entra.server_app.object_id = ""
    assert any("object ID" in b for b in rotation_runbook(profile).blockers)


# Day two runbooks as today's console behaves: each fact is asserted with its public source's words.

#: MicrosoftDocs/memdocs memdocs/configmgr/core/plan-design/changes/whats-new-in-version-2409.md
WHATS_NEW_2409 = ("The 'Renew Secret Key' feature now opens a dialog with four options for the validity period. "
                  "This update also prevents applications older than 800 days (approximately two years) from "
                  "renewing their secret keys.")
WHATS_NEW_2409_NOTE = "The admin must sign in using tenant global administrator credentials and then click on the Renew button."
#: MicrosoftDocs/memdocs memdocs/configmgr/core/servers/deploy/configure/azure-services-wizard.md, Renew key for created app
RENEW_CREATED = ("In the ribbon, select **Renew Secret Key**. Enter the credentials of either the app owner or a "
                 "Microsoft Entra administrator.")
#: Same article, Renew key for imported app
RENEW_IMPORTED = ("If you imported the Azure app in Configuration Manager, use the Azure portal to renew. Note the new "
                  "secret key and expiry date. Add this information on the **Renew Secret Key** wizard.")


def _created(version: int | None):
    profile = _profile()
    profile.entra.path = EntraPath.CONFIGMGR_CREATES
    profile.site.site_version = version
    return profile


def test_console_created_app_gets_the_consoles_renewal_only() -> None:
    assert "Enter the credentials of either the app owner" in RENEW_CREATED
    book = rotation_runbook(_created(2309))
    text = book.render_text()
    assert book.ready and "Renew Secret Key" in text
    assert "cmgtui adds no secret" in text and "New secret" not in text
    assert "app owner or a Microsoft Entra administrator" in text and "Global Administrator" not in text


def test_imported_app_adds_a_secret_hands_it_over_then_removes_the_old() -> None:
    assert "Add this information on the **Renew Secret Key** wizard" in RENEW_IMPORTED
    profile = _profile()
    profile.entra.path = EntraPath.IMPORT
    steps = rotation_runbook(profile).console_steps
    assert "choose New secret" in steps[0] and "enter the new secret key and its expiry date" in steps[2]
    assert "only then is the old secret removed" in steps[-1]
    profile.entra.path = None
    assert any("Part 2 doesn't say" in b for b in rotation_runbook(profile).blockers)


def test_2409_renewal_rules_follow_the_site_version() -> None:
    assert "four options for the validity period" in WHATS_NEW_2409 and "older than 800 days" in WHATS_NEW_2409
    assert "global administrator credentials" in WHATS_NEW_2409_NOTE
    new = " ".join(rotation_runbook(_created(2409)).console_steps)
    assert "Global Administrator" in new and "four validity periods" in new
    old = " ".join(rotation_runbook(_created(2403)).console_steps)
    assert "Global Administrator" not in old and "app owner" in old
    unknown = " ".join(rotation_runbook(_created(None)).console_steps)
    assert "From 2409" in unknown and "Before 2409" in unknown


def test_800_day_limit_blocks_the_console_renewal_from_2409() -> None:
    from datetime import UTC, datetime

    from cmgtui.domain.runbooks.rotate_secret import TenantSecret, adopt_tenant_secrets

    now = datetime(2026, 12, 7, tzinfo=UTC)
    profile = _created(2409)
    adopt_tenant_secrets(profile, [TenantSecret("k1", None, datetime(2027, 1, 1, tzinfo=UTC))],
                         datetime(2024, 9, 1, tzinfo=UTC), now)
    book = rotation_runbook(profile, now)
    assert any("827 days ago" in b and "older than 800 days" in b for b in book.blockers)
    profile.site.site_version = 2403
    assert not rotation_runbook(profile, now).blockers


#: MicrosoftDocs/memdocs memdocs/configmgr/core/clients/manage/cmg/data-flow.md, Note 3
DATA_FLOW_NOTE_3 = ("If there are two or more VM instances, the CMG connection point uses HTTPS 10124 to the first VM "
                    "instance, not HTTPS 443. It connects to the second VM instance on HTTPS 10125, up to the 16th on "
                    "HTTPS port 10139.")


def test_scaling_from_one_instance_moves_the_channel_off_443() -> None:
    assert "uses HTTPS 10124 to the first VM instance, not HTTPS 443" in DATA_FLOW_NOTE_3
    profile = _profile()
    profile.gateway.vm_instances = 1
    notes = scale(profile, instances=3).notes
    assert ("Going from 1 to 3 VM instances moves the CMG connection point's channel from HTTPS 443 to "
            "HTTPS 10124-10126") in notes[0]
    assert "allow outbound TCP 10124-10126 from cmgcp01.contoso.com, cmgcp02.contoso.com to " \
           "GraniteFalls.westus2.cloudapp.azure.com" in notes[0]
    profile.gateway.vm_instances = 2
    assert "channel port(s) 10126-10127" in scale(profile, instances=4).notes[0]
    assert "moves back to HTTPS 443" in scale(profile, instances=1).notes[0]


#: MicrosoftDocs/azure-docs articles/virtual-machines/quotas.md
QUOTA_TIERS = ("The vCPU quotas for virtual machines and virtual machine scale sets are arranged in two tiers for "
               "each subscription, in each region.")
#: MicrosoftDocs/azure-docs articles/virtual-machines/av2-series.md
AV2_ROWS = ("| Standard_A2_v2  | 2 | 4  | 20 | 2000/40/20  | 4/4x500   | 2 | 500  |",
            "| Standard_A4_v2  | 4 | 8  | 40 | 4000/80/40  | 8/8x500   | 4 | 1000 |")


def test_scaling_up_notes_the_vcpu_quota() -> None:
    assert "two tiers for each subscription, in each region" in QUOTA_TIERS
    vcpus = {row.split("|")[1].strip(): int(row.split("|")[2]) for row in AV2_ROWS}
    profile = _profile()
    profile.gateway.vm_instances = 1
    note = next(n for n in scale(profile, instances=3).notes if n.startswith("vCPU quota"))
    assert f"3 x Standard A2_v2 (Standard_A2_v2, {vcpus['Standard_A2_v2']} vCPUs each) = 6 vCPUs" in note
    assert "Total Regional vCPUs and in the Av2-series vCPUs quota" in note and "westus2" in note
    large = next(n for n in scale(profile, instances=3, vm_size=VmSize.LARGE).notes if n.startswith("vCPU"))
    assert f"= {3 * vcpus['Standard_A4_v2']} vCPUs" in large


#: MicrosoftDocs/SupportArticles-docs support/azure/cloud-services/classic/troubleshoot-subscription-policy.md
CLASSIC_RETIRED = ("Cloud Services (classic) is now deprecated for new customers, and it will be retired on August "
                   "31st, 2024 for all customers.")
#: Azure/FTALive-Sessions content/cloud-services-retirement/why-upgrade.md
CLASSIC_GONE = ("**After 31 August 2024**, classic Cloud Services will no longer be supported and the **applications "
                "running on them will no longer be available**.")
#: MicrosoftDocs/memdocs memdocs/configmgr/core/clients/manage/cmg/modify-cloud-management-gateway.md
CONVERT_NEEDS_READY = "Select a CMG instance whose **Status** is _Ready_. In the ribbon, select **Convert**."
REPLACE_WAIT = "Wait at least one day for internet-based clients to receive policy about the new CMG."


def test_a_classic_cmg_is_retired_and_gets_a_migration_plan_not_convert() -> None:
    assert "retired on August 31st, 2024" in CLASSIC_RETIRED and "no longer be available" in CLASSIC_GONE
    assert "_Ready_" in CONVERT_NEEDS_READY
    profile = _profile()
    profile.deployment_method = DeploymentMethod.CLASSIC
    book = scale(profile, instances=4)
    assert book.script is None and "retired on 31 August 2024" in book.blockers[0]
    steps = " ".join(book.console_steps)
    assert "choose Convert" not in steps and "whose status is Ready" in steps
    assert "virtual machine scale set" in steps and "Wait at least one day" in REPLACE_WAIT and "at least one day" in steps


def test_version_notes_no_longer_offer_classic() -> None:
    from cmgtui.domain.rules.versions import version_implications

    texts = [n.text for n in version_implications(2107)]
    assert not any("can still be chosen" in t for t in texts)
    classic = next(n for n in version_implications(2107) if "Classic" in n.text)
    assert not classic.ok and "31 August 2024" in classic.text


#: Microsoft Learn, "What's new in version 2609 of Configuration Manager current branch",
#: New cloud management gateway virtual machine sizes (table rows as published).
SIZES_2609 = ("| Small | Standard_B2s | 2 | 4 GiB | Standard_D2ads_v6 | 2 | 8 GiB |",
              "| Medium | Standard_A2_v2 | 2 | 4 GiB | Standard_D4ads_v6 | 4 | 16 GiB |",
              "| Large | Standard_A4_v2 | 4 | 16 GiB | Standard_D8ads_v6 | 8 | 32 GiB |")


def test_from_2609_the_vcpu_note_uses_the_new_vm_sizes() -> None:
    new = {row.split("|")[5].strip(): int(row.split("|")[6]) for row in SIZES_2609}
    profile = _profile()
    profile.gateway.vm_instances = 1
    profile.site.site_version = 2609
    note = next(n for n in scale(profile, instances=3).notes if n.startswith("vCPU quota"))
    assert f"(Standard_D4ads_v6, {new['Standard_D4ads_v6']} vCPUs each) = 12 vCPUs" in note
    assert "Dadsv6-series vCPUs quota" in note
    profile.site.site_version = 2503
    assert "(Standard_A2_v2, 2 vCPUs each)" in next(n for n in scale(profile, instances=3).notes if n.startswith("vCPU"))


def test_scale_below_a_cas_sizes_for_every_primarys_clients_and_counts_their_connection_points() -> None:
    from tests.unit.powershell.profiles import cas_three_primaries_2503

    book = scale(cas_three_primaries_2503())  # SEA 9,000 + PAR 4,000 + LAB 0 = 13,000 → 3 Standard VMs
    assert book.ready
    assert any("13,000 peak clients" in c for c in book.checks)
    assert any("3 VM instance(s) need 2 CMG connection point(s)" in c and "the profile has 2" in c
               for c in book.checks)


def test_the_renewal_script_hands_the_site_server_a_windows_path_never_the_one_read_here(tmp_path: Path) -> None:
    """Issue 20: the script runs on the site server, which never sees the file read on this machine."""
    pfx = _pfx(tmp_path)
    book = renew_certificate(_profile(), pfx, cf.PASSWORD, now=cf.NOW)
    assert book.ready, book.blockers
    script = book.script or ""
    assert "[string]$ServiceCertPath = 'C:\\CMG\\new.pfx'" in script  # the suggestion: its name under C:\CMG
    assert str(tmp_path) not in script and str(tmp_path) not in "\n".join(book.notes)
    assert any("Copy the new PFX to C:\\CMG\\new.pfx on the site server" in note for note in book.notes)
    chosen = renew_certificate(_profile(), pfx, cf.PASSWORD, now=cf.NOW, site_pfx_path=r"\\cm01\share$\new.pfx")
    assert "[string]$ServiceCertPath = '\\\\cm01\\share$\\new.pfx'" in (chosen.script or "")


def test_a_path_of_this_machine_for_the_site_server_is_refused(tmp_path: Path) -> None:
    book = renew_certificate(_profile(), _pfx(tmp_path), cf.PASSWORD, now=cf.NOW, site_pfx_path=str(tmp_path / "new.pfx"))
    assert book.script is None
    assert any("is a path on this machine, not on the site server" in b for b in book.blockers), book.blockers
