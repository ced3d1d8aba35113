"""The setup script sets the CMG's 14-day outbound data alert to cmgtui's suggestion.

Public sources, quoted verbatim:
* MicrosoftDocs/sccm-docs-powershell-ref ``sccm-ps/ConfigurationManager/New-CMCloudManagementGateway.md``
  (ms.date 11/20/2020): the Non-Interactive syntax and -EnableTrafficOut's description.
* MicrosoftDocs/memdocs ``memdocs/configmgr/core/clients/manage/cmg/monitor-clients-cloud-management-gateway.md``:
  what the threshold measures.
* MicrosoftDocs/memdocs ``memdocs/configmgr/core/clients/manage/cmg/cost.md``: the per-client figures.
"""

from __future__ import annotations

import re

from cmgtui.domain.azure.cost import planned_cost
from cmgtui.domain.powershell import generate_script, missing_values
from cmgtui.domain.powershell.params import CMDLETS
from cmgtui.model import Profile
from tests.unit.powershell import psparse
from tests.unit.powershell.profiles import public_entra_2309

NON_INTERACTIVE_SYNTAX = (
    "[-StorageWarningPct <Int32>] -SubscriptionId <String> [-TrafficCriticalPct <Int32>] [-TrafficOutGB <Int32>]\n"
    " [-TrafficOutStopService <Boolean>] [-TrafficWarningPct <Int32>] [-VMInstanceCount <Int32>]")
ENABLE_TRAFFIC_OUT = ("Applies to version 2010 and later. Enable or disable the option to **Turn on 14-day threshold "
                      "and alerts for monitoring outbound data transfer**.")
MONITOR = ("Specify the **14-day data threshold for outbound data transfer** in gigabytes (GB). This threshold helps "
           "you to monitor the amount of data that transfers from the CMG to clients every two weeks.")
COST_MD = "expect approximately 100-300 MB per client per month for internet-based clients."


def _gateway_call(script: str) -> psparse.Call:
    (call,) = [c for c in psparse.calls(script) if c.name == "New-CMCloudManagementGateway"]
    return call


def _argument(call: psparse.Call, name: str) -> str:
    match = re.search(rf"-{name}\s+(\S+)", call.node.text.decode())
    assert match is not None, f"-{name} is not passed"
    return match.group(1)


def _unset_threshold() -> Profile:
    profile = public_entra_2309()  # 9,000 peak concurrent clients
    profile.gateway.traffic_alert.gigabytes = None
    return profile


def test_the_documented_parameter_is_the_one_the_script_uses() -> None:
    documented = re.findall(r"\[-(Traffic\w+) <(\w+)>\]", NON_INTERACTIVE_SYNTAX)
    assert ("TrafficOutGB", "Int32") in documented
    assert "14-day threshold" in ENABLE_TRAFFIC_OUT and "14-day data threshold" in MONITOR
    non_interactive = next(s for s in CMDLETS["New-CMCloudManagementGateway"].sets if s.name == "Non-Interactive")
    assert {name for name, _ in documented} <= non_interactive.accepted


def test_an_empty_threshold_becomes_the_suggestion_by_hand() -> None:
    profile = _unset_threshold()
    assert missing_values(profile) == []
    script = generate_script(profile, tool_version="test")
    call = _gateway_call(script)
    # cost.md's upper figure: 9,000 clients × 300 MB = 2,636.7 GB a month; the alert measures
    # "every two weeks": × 14/30 = 1,230.5 → 1,231 GB.
    assert COST_MD.startswith("expect approximately 100-300 MB")
    assert _argument(call, "TrafficOutGB") == "1231" == str(planned_cost(profile, None).alert_gb)  # type: ignore[union-attr]
    assert _argument(call, "EnableTrafficOut") == "$true"
    assert CMDLETS["New-CMCloudManagementGateway"].matching_set(call.parameters).name == "Non-Interactive"  # type: ignore[union-attr]
    assert "# -TrafficOutGB 1231: cmgtui's suggested 14-day outbound data threshold for 9,000 clients" in script
    assert psparse.syntax_problems(script) == []


def test_the_part4_cost_assumptions_move_the_suggestion() -> None:
    profile = _unset_threshold()
    profile.gateway.content_enabled = True
    profile.gateway.cost.content_downloads_gb = 600  # a month: 600 × 14/30 = 280 GB more
    assert _argument(_gateway_call(generate_script(profile, tool_version="test")), "TrafficOutGB") == "1511"


def test_a_threshold_the_admin_entered_is_kept() -> None:
    script = generate_script(public_entra_2309(), tool_version="test")
    assert _argument(_gateway_call(script), "TrafficOutGB") == "10000"
    assert "cmgtui's suggested" not in script


def test_without_clients_or_threshold_the_script_says_what_is_missing() -> None:
    profile = _unset_threshold()
    profile.gateway.peak_concurrent_clients = None
    assert ("Part 4: 14-day outbound data transfer alert threshold (GB), or the peak concurrent clients to suggest "
            "it from") in missing_values(profile)
