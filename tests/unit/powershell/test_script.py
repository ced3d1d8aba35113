"""Tests of the PowerShell script generator.

Golden files: each scenario in ``profiles.SCENARIOS`` has ``golden/<scenario>.ps1``. After an
intended change to the generator, rewrite them with

    CMGTUI_UPDATE_GOLDEN=1 uv run pytest tests/unit/powershell -q

and review the diff before committing it; without the variable a difference fails the test.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cmgtui.domain.powershell import ScriptIncomplete, generate_script, missing_values
from cmgtui.domain.powershell.params import CMDLETS, spec_for
from cmgtui.domain.validate import site_server_path_problem
from cmgtui.model import ClientAuthMethod, EntraPath, Profile
from tests.unit.powershell import psparse
from tests.unit.powershell.profiles import SCENARIOS, public_entra_2309, usgov_pki_2207

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CMGTUI_UPDATE_GOLDEN") == "1"
CHANGING = ("New-CM", "Import-CM", "Add-CM", "Set-CM", "Remove-CM")


def script_of(scenario: str) -> str:
    return generate_script(SCENARIOS[scenario](), tool_version="test")


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_script_matches_golden_file(scenario: str) -> None:
    script = script_of(scenario)
    path = GOLDEN / f"{scenario}.ps1"
    if UPDATE:
        path.write_text(script, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden file; run with CMGTUI_UPDATE_GOLDEN=1 to create {path.name}"
    assert script == path.read_text(encoding="utf-8"), f"{scenario}: script differs from {path.name}"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_script_parses_without_syntax_errors(scenario: str) -> None:
    assert psparse.syntax_problems(script_of(scenario)) == []


def test_the_parser_does_report_a_broken_script() -> None:
    broken = script_of("public-entra-2309").replace("if ($serverApp) {", "if ($serverApp {", 1)
    assert psparse.syntax_problems(broken)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_cmdlet_call_fits_one_documented_parameter_set(scenario: str) -> None:
    script = script_of(scenario)
    local_functions = {"Resolve-CmgParameterValue"}
    version = SCENARIOS[scenario]().site.site_version
    for call in psparse.calls(script):
        if call.name in local_functions:
            continue
        spec = spec_for(call.name)
        assert spec is not None, f"{call.name} is not in params.py"
        used = set(call.parameters)
        for splat in call.splats:
            used |= psparse.splat_keys(script, splat)
        pset = spec.matching_set(used)
        assert pset is not None, f"{call.name} {sorted(used)} fits no set of {spec.source}"
        for name in used:
            assert spec.since.get(name, 0) <= version, f"-{name} needs {spec.since[name]}, site is {version}"


def test_cmg_creation_uses_the_non_interactive_set_only() -> None:
    for scenario in SCENARIOS:
        script = script_of(scenario)
        (call,) = [c for c in psparse.calls(script) if c.name == "New-CMCloudManagementGateway"]
        used = call.parameters | psparse.splat_keys(script, "vmSizeParameter")
        assert CMDLETS["New-CMCloudManagementGateway"].matching_set(used).name == "Non-Interactive"
        assert "IsUsingExistingGroup" not in used


def test_the_set_check_rejects_mixed_sets() -> None:
    spec = CMDLETS["New-CMCloudManagementGateway"]
    assert spec.matching_set({"ServiceCertPath", "GroupName", "SubscriptionId", "ServerAppClientId",
                              "IsUsingExistingGroup"}) is None
    assert spec_for("Import-CMAADClientApplication").matching_set({"AppName", "ClientId"}) is None


def test_site_version_gates_tenant_id_and_vm_size() -> None:
    calls_2207 = psparse.calls(script_of("usgov-pki-2207"))
    calls_2309 = psparse.calls(script_of("public-entra-2309"))
    gateway = "New-CMCloudManagementGateway"
    assert "TenantId" not in next(c for c in calls_2207 if c.name == gateway).parameters
    assert "TenantId" in next(c for c in calls_2309 if c.name == gateway).parameters
    assert next(c for c in calls_2309 if c.name == gateway).splats == ["vmSizeParameter"]
    old = public_entra_2309()
    old.site.site_version = 2111
    script = generate_script(old, tool_version="test")
    (call,) = [c for c in psparse.calls(script) if c.name == gateway]
    assert call.splats == [] and "VMSSVMSize" not in call.parameters
    assert "no -VMSSVMSize (2207)" in script
    assert "change it afterwards on the Settings tab of the CMG properties" in script
    old.site.site_version = 2103  # before 2107 a VM scale set CMG has no size to choose
    script = generate_script(old, tool_version="test")
    assert "Version 2103 has no VM size choice (2107): the CMG gets Standard (A2_v2)." in script
    assert "Settings tab" not in script


def test_us_government_environment_and_region() -> None:
    script = script_of("usgov-pki-2207")
    assert "-EnvironmentSetting AzureUSGovernmentCloud" in script
    assert "-AzureEnvironmentOption AzureUSGovernmentCloud" in script
    assert psparse.param_defaults(script)["Region"] == "'usgovvirginia'"
    assert "AzurePublicCloud" not in script


def test_pki_uploads_roots_and_intermediates_only_with_pki() -> None:
    pki = script_of("usgov-pki-2207")
    defaults = psparse.param_defaults(pki)
    assert defaults["TrustedRootCertPaths"] == r"@('C:\certs\ContosoRoot.cer')"
    assert defaults["TrustedIntermediateCertPaths"] == r"@('C:\certs\ContosoIssuing.cer')"
    assert "CertificateStore]::RootCA" in pki and "CertificateStore]::IntermediateCA" in pki
    assert "-CARootCert $trustedCertificates" in pki
    token = script_of("token-2503-configmgr-creates")
    assert "CARootCert" not in token and "TrustedRootCertPaths" not in token


def test_configmgr_creates_path_uses_new_cmdlets_instead_of_import() -> None:
    names = {c.name for c in psparse.calls(script_of("token-2503-configmgr-creates"))}
    assert {"New-CMAADServerApplication", "New-CMAADClientApplication"} <= names
    assert not names & {"Import-CMAADServerApplication", "Import-CMAADClientApplication"}
    imported = {c.name for c in psparse.calls(script_of("public-entra-2309"))}
    assert {"Import-CMAADServerApplication", "Import-CMAADClientApplication"} <= imported
    assert not imported & {"New-CMAADServerApplication", "New-CMAADClientApplication"}


def test_existing_and_new_resource_group_are_explained() -> None:
    assert "The resource group exists already" in script_of("usgov-pki-2207")
    assert "The resource group does not exist yet" in script_of("public-entra-2309")


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_change_is_behind_should_process(scenario: str) -> None:
    script = script_of(scenario)
    assert script.index("[CmdletBinding(SupportsShouldProcess)]") < script.index("param(")
    changing = [c for c in psparse.calls(script) if c.name.startswith(CHANGING)]
    assert changing
    for call in changing:
        assert psparse.guarded_by_should_process(call.node), f"{call.name} runs even with -WhatIf"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_create_step_first_looks_for_its_object(scenario: str) -> None:
    order = [c.name for c in psparse.calls(script_of(scenario))]
    maker = next(n for n in order if n.endswith("-CMAADServerApplication"))
    pairs = [("Get-CMAADApplication", maker), ("Get-CMAzureService", "New-CMCloudManagementAzureService"),
             ("Get-CMCloudManagementGateway", "New-CMCloudManagementGateway"),
             ("Get-CMCloudManagementGatewayConnectionPoint", "Add-CMCloudManagementGatewayConnectionPoint")]
    for finder, creator in pairs:
        assert order.index(finder) < order.index(creator), f"{creator} is not preceded by {finder}"
    assert script_of(scenario).count("skipped: ") >= 5


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_no_secret_is_written_and_secrets_are_prompted(scenario: str) -> None:
    script = script_of(scenario)
    assert "ConvertTo-SecureString" not in script and "AsPlainText" not in script
    prompts = [c for c in psparse.calls(script) if c.name == "Read-Host"]
    assert prompts and all("AsSecureString" in c.parameters for c in prompts)
    expected = 2 if SCENARIOS[scenario]().entra.path is not EntraPath.CONFIGMGR_CREATES else 1
    assert len(prompts) == expected


HOSTILE = [
    "Evil'; Remove-Item -Recurse C:\\ ; '",
    "Evil\u2019; Stop-Computer; \u2018",
    "$(Stop-Computer)`n\"@",
    "#> Remove-Item C:\\ <#",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_cannot_leave_their_string(value: str) -> None:
    benign = generate_script(public_entra_2309(), tool_version="test")
    profile = public_entra_2309()
    profile.entra.azure_service_name = value
    profile.entra.server_app.display_name = value
    profile.site.management_points = [value]
    site_path = "C:\\certs\\" + value
    takes_path = site_server_path_problem(site_path) is None  # else refused as a Windows path
    if takes_path:
        profile.certificate.site_pfx_path = site_path
    profile.gateway.description = value
    profile.name = "x"
    script = generate_script(profile, tool_version="test")
    assert psparse.syntax_problems(script) == []
    # The same commands, in the same order: nothing was injected.
    assert [c.name for c in psparse.calls(script)] == [c.name for c in psparse.calls(benign)]
    defaults = psparse.param_defaults(script)
    for name in ("AzureServiceName", "ServerAppName", "Description"):
        assert psparse.string_value(defaults[name]) == value
    if takes_path:
        assert psparse.string_value(defaults["ServiceCertPath"]) == site_path
    assert defaults["ManagementPoints"] == "@(" + defaults["AzureServiceName"] + ")"


def test_a_real_line_break_in_a_value_blocks_the_script() -> None:
    profile = public_entra_2309()
    profile.entra.azure_service_name = "Contoso'\nStop-Computer\n'"
    assert "Part 2: Azure service name in Configuration Manager (contains a line break or control character)" in missing_values(profile)
    with pytest.raises(ScriptIncomplete):
        generate_script(profile)


def test_hostile_profile_name_cannot_end_the_help_comment() -> None:
    profile = public_entra_2309()
    profile.gateway.description = "ok"
    benign = generate_script(profile, tool_version="test")
    profile.name = "n"
    script = generate_script(profile, tool_version="test\n#>\nStop-Computer\n<#")
    assert psparse.syntax_problems(script) == []
    assert [c.name for c in psparse.calls(script)] == [c.name for c in psparse.calls(benign)]


def test_missing_values_lists_everything_an_empty_profile_lacks() -> None:
    missing = missing_values(Profile(name="empty"))
    for expected in ("Site: site code", "Part 1: service name (certificate common name)",
                     "Part 2: tenant ID", "Part 4: Azure subscription ID",
                     "Part 4: CMG connection point servers",
                     "Part 3: client authentication method (Microsoft Entra ID, PKI or token)"):
        assert expected in missing
    with pytest.raises(ScriptIncomplete) as caught:
        generate_script(Profile(name="empty"))
    assert caught.value.missing == missing


def test_missing_values_names_bad_and_path_specific_values() -> None:
    profile = usgov_pki_2207()
    profile.entra.server_app.app_id = "not-a-guid"
    profile.entra.server_app.secret_expiry = None
    profile.client_auth.trusted_certificates = []
    profile.site.cmgcp_servers = ["cmgcp01\nStop-Computer"]
    missing = missing_values(profile)
    assert "Part 2: server app client ID (not a GUID such as 00000000-0000-0000-0000-000000000000)" in missing
    assert "Part 2: server app secret expiry date" in missing
    assert "Part 3: trusted root certificate files (.cer) for PKI clients" in missing
    assert any("control character" in m and "connection point" in m for m in missing)
    profile = public_entra_2309()
    profile.entra.path = EntraPath.CONFIGMGR_CREATES
    profile.site.site_version = 2203
    assert any("2207 or later" in m for m in missing_values(profile))
    profile.client_auth.methods = [ClientAuthMethod.PKI]
    assert "Part 3: trusted root certificate files (.cer) for PKI clients" in missing_values(profile)


def test_complete_scenarios_have_no_missing_values() -> None:
    for scenario, make in SCENARIOS.items():
        assert missing_values(make()) == [], scenario


def test_site_code_format_and_file_name() -> None:
    from cmgtui.domain.powershell import script_file_name

    profile = public_entra_2309()
    profile.site.site_code = "AB-C"
    assert "Site: site code (three letters or digits, e.g. ABC)" in missing_values(profile)
    profile.site.site_code = "abc"
    assert missing_values(profile) == [] and script_file_name(profile) == "cmg-setup-ABC.ps1"
    assert psparse.param_defaults(generate_script(profile, tool_version="t"))["SiteCode"] == "'ABC'"
    assert script_file_name(Profile(name="x")) == "cmg-setup-site.ps1"


def test_the_script_reads_the_pfx_from_the_site_server_never_from_this_machine() -> None:
    """The script runs on the site server: the PFX path it holds is the Windows path entered for
    the site server, never the path cmgtui checked the file at (issue: '/home/admin/certs/x.pfx')."""
    profile = public_entra_2309()
    profile.certificate.pfx_path = "/home/admin/certs/x.pfx"
    profile.certificate.site_pfx_path = "C:\\CMG\\x.pfx"
    script = generate_script(profile, tool_version="test")
    assert psparse.string_value(psparse.param_defaults(script)["ServiceCertPath"]) == "C:\\CMG\\x.pfx"
    assert "/home/" not in script
    assert not re.search(r"'(?:/|~/)[^']*'", script), "a POSIX path in a PowerShell string"


@pytest.mark.parametrize("path", ["", "/home/admin/certs/x.pfx", "~/x.pfx", "x.pfx", "C:/CMG/x.pfx"])
def test_a_site_server_path_that_is_not_a_windows_path_blocks_the_script(path: str) -> None:
    profile = public_entra_2309()
    profile.certificate.site_pfx_path = path
    missing = missing_values(profile)
    assert any(m.startswith("Part 1: path of the server certificate PFX file on the site server") for m in missing)
    with pytest.raises(ScriptIncomplete):
        generate_script(profile, tool_version="test")


#: MicrosoftDocs/sccm-docs-powershell-ref, sccm-ps/ConfigurationManager/Add-CMCloudManagementGatewayConnectionPoint.md,
#: SYNTAX, "### ByName".
ADD_CMGCP_BY_NAME = """Add-CMCloudManagementGatewayConnectionPoint -CloudManagementGatewayName <String> [-SiteCode <String>]
 [-SiteSystemServerName] <String> [-DisableWildcardHandling] [-ForceWildcardHandling] [-WhatIf] [-Confirm]
 [<CommonParameters>]"""


def test_a_three_primary_hierarchy_adds_a_connection_point_at_each_primary_that_needs_one() -> None:
    script = script_of("cas-three-primaries-2503")
    defaults = psparse.param_defaults(script)
    # SEA and PAR have internet clients; LAB has none, so it gets no connection point.
    assert defaults["ConnectionPointSites"] == "@('SEA', 'PAR')"
    assert defaults["ConnectionPointServers"] == "@('cmgcp.sea.contoso.com', 'cmgcp.par.contoso.com')"
    assert defaults["SiteCode"] == "'CAS'" and defaults["SiteServer"] == "'cas01.contoso.com'"
    (add,) = [c for c in psparse.calls(script) if c.name == "Add-CMCloudManagementGatewayConnectionPoint"]
    assert set(add.parameters) == {"CloudManagementGatewayName", "SiteSystemServerName", "SiteCode"}
    assert "-SiteCode $primarySite" in script and "$primarySite = @($ConnectionPointSites)[$index]" in script
    by_name = CMDLETS["Add-CMCloudManagementGatewayConnectionPoint"].matching_set(set(add.parameters))
    assert by_name is not None and by_name.name == "ByName"
    documented = set(re.findall(r"-(\w+)\]? <String>", ADD_CMGCP_BY_NAME))
    assert documented == {"CloudManagementGatewayName", "SiteCode", "SiteSystemServerName"} == set(add.parameters)
    (find,) = [c for c in psparse.calls(script) if c.name == "Get-CMCloudManagementGatewayConnectionPoint"]
    assert {"SiteSystemServerName", "SiteCode"} <= set(find.parameters)
    # The management points are the primaries': looked up in every site, not only the CAS.
    assert all("AllSite" in c.parameters for c in psparse.calls(script)
               if c.name in {"Get-CMManagementPoint", "Get-CMSoftwareUpdatePoint"})


def test_a_standalone_primary_keeps_its_connection_point_step() -> None:
    script = script_of("public-entra-2309")
    assert "ConnectionPointSites" not in script and "$primarySite" not in script
    assert "foreach ($server in $ConnectionPointServers) {" in script


def test_a_primary_without_a_connection_point_server_is_listed_as_missing() -> None:
    profile = SCENARIOS["cas-three-primaries-2503"]()
    profile.hierarchy.child_primaries[1].cmgcp_server = ""
    assert "Part 4: CMG connection point server of primary site PAR" in missing_values(profile)
    with pytest.raises(ScriptIncomplete):
        generate_script(profile, tool_version="test")


def test_a_hand_edited_primary_site_code_cannot_reach_the_script() -> None:
    profile = SCENARIOS["cas-three-primaries-2503"]()
    profile.hierarchy.child_primaries[0].site_code = "S'; Stop-Computer; '"
    assert "Part 4: primary sites below the CAS (a site code is not three letters or digits)" in missing_values(profile)
