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
from cmgtui.model.enums import DeploymentMethod, VmSize
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
    book = renew_certificate(_profile(), _pfx(tmp_path), cf.PASSWORD, now=cf.NOW)
    assert book.ready, book.blockers
    # The golden file must not depend on the temporary path or the random thumbprint.
    script = book.script or ""
    lines = [line for line in script.splitlines() if "New certificate thumbprint" not in line]
    return "\n".join(lines).replace(repr(str(tmp_path / "new.pfx"))[1:-1], PFX_PATH) + "\n"


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
    assert "Convert" in scale(profile, vm_size=VmSize.LARGE).console_steps[0]


def test_rotation_runbook_gives_console_steps_and_a_read_only_script() -> None:
    book = rotation_runbook(_profile())
    assert book.ready
    assert any("Renew Secret Key" in s for s in book.console_steps)
    calls = {c.name for c in psparse.calls(book.script or "")}
    assert "Get-CMAADApplication" in calls and not any(n.startswith(("Set-CM", "New-CM", "Remove-CM", "Import-CM", "Add-CM")) for n in calls)
    profile = _profile()
    profile.entra.server_app.object_id = ""
    assert any("object ID" in b for b in rotation_runbook(profile).blockers)
