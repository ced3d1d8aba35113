"""The read-only site check of ``cmgtui status --site-check``.

Cmdlets and their parameter sets: MicrosoftDocs/sccm-docs-powershell-ref
``sccm-ps/ConfigurationManager/Get-CMCloudManagementGateway.md`` (``-Name``, ``-DisableWildcardHandling``;
output ``IResultObject#SMS_AzureService``) and ``Get-CMCloudManagementGatewayConnectionPoint.md``
(``-AllSite``; output ``SMS_SCI_SysResUse``).
"""

from __future__ import annotations

from cmgtui.domain.powershell.params import spec_for
from cmgtui.domain.powershell.site_check import site_check_script
from tests.unit.powershell import psparse
from tests.unit.powershell.profiles import public_entra_2309


def test_the_check_parses_and_uses_documented_parameter_sets_only() -> None:
    script = site_check_script(public_entra_2309())
    assert psparse.syntax_problems(script) == []
    names = set()
    for call in psparse.calls(script):
        spec = spec_for(call.name)
        assert spec is not None, f"{call.name} is not in params.py"
        assert spec.matching_set(set(call.parameters)) is not None, f"{call.name} {call.parameters}"
        names.add(call.name)
    assert {"Get-CMCloudManagementGateway", "Get-CMCloudManagementGatewayConnectionPoint"} <= names


def test_the_check_changes_nothing() -> None:
    script = site_check_script(public_entra_2309())
    changing = [c.name for c in psparse.calls(script)
                if c.name.startswith(("New-CM", "Set-CM", "Add-CM", "Remove-CM", "Start-CM", "Stop-CM", "Import-CM"))]
    assert changing == []


def test_profile_values_arrive_only_as_quoted_parameters() -> None:
    profile = public_entra_2309()
    profile.site.site_code = "P01'; Remove-Item C:\\ -Recurse; '"
    script = site_check_script(profile)
    assert psparse.syntax_problems(script) == []
    assert psparse.param_defaults(script)["SiteCode"] == "'P01''; Remove-Item C:\\ -Recurse; '''"
    assert "Remove-Item" not in {c.name for c in psparse.calls(script)}
