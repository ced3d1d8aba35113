"""Region lists that follow the Azure environment, and the check made when it changes."""

from __future__ import annotations

from cmgtui.domain.azure.locations import (
    display_region,
    environment_label,
    live_locations,
    region_after_switch,
    region_label,
    region_offer,
)
from cmgtui.model import AzureEnvironment, Evidence, Profile

PUBLIC_READ = {"locations": ["eastus", "westus"], "display_names": {"eastus": "East US", "westus": "West US"},
               "environment": "AzurePublicCloud", "subscription_id": "s"}


def _profile(environment: AzureEnvironment, data: dict | None = None, region: str = "") -> Profile:
    profile = Profile(name="p", environment=environment, region=region)
    if data is not None:
        profile.evidence["arm.locations"] = Evidence(source="arm.locations", data=data)
    return profile


def test_the_live_list_is_used_in_the_cloud_it_was_read_in_with_display_names() -> None:
    offered, live = region_offer(_profile(AzureEnvironment.PUBLIC, PUBLIC_READ))
    assert live and offered == [("eastus", "East US"), ("westus", "West US")]
    assert region_label("westus", "West US") == "West US (westus)"
    assert region_label("newregion", "") == "newregion"  # never "name (name)"


def test_a_list_read_in_the_other_cloud_is_stale_and_the_built_in_list_is_offered() -> None:
    profile = _profile(AzureEnvironment.US_GOVERNMENT, PUBLIC_READ)
    assert live_locations(profile) is None
    offered, live = region_offer(profile)
    assert not live and ("usgovvirginia", "USGov Virginia") in offered
    assert all(not name.startswith(("east", "west")) for name, _ in offered)


def test_a_list_without_one_region_of_the_cloud_is_not_that_clouds_list() -> None:
    untagged = {"locations": ["eastus", "westus"]}
    assert live_locations(_profile(AzureEnvironment.US_GOVERNMENT, untagged)) is None
    tagged_wrong = dict(PUBLIC_READ, environment="AzureUSGovernmentCloud")
    assert live_locations(_profile(AzureEnvironment.US_GOVERNMENT, tagged_wrong)) is None
    assert live_locations(_profile(AzureEnvironment.PUBLIC, untagged)) == [("eastus", "East US"),
                                                                          ("westus", "West US")]


def test_switching_cloud_says_why_a_region_cannot_stay() -> None:
    profile = _profile(AzureEnvironment.PUBLIC, region="westus")
    message = region_after_switch(profile, AzureEnvironment.US_GOVERNMENT)
    assert message is not None
    assert message.startswith("West US (westus) is a region of Azure public cloud, not of Azure US Government")
    assert region_after_switch(profile, AzureEnvironment.PUBLIC) is None
    assert region_after_switch(_profile(AzureEnvironment.PUBLIC), AzureEnvironment.US_GOVERNMENT) is None


def test_the_header_reads_names_not_identifiers() -> None:
    profile = _profile(AzureEnvironment.US_GOVERNMENT, region="usgovvirginia")
    assert environment_label(profile.environment) == "Azure US Government"
    assert display_region(profile) == "USGov Virginia"
    assert environment_label(None) == "environment not set"
