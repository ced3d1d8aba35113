"""Static lists of Azure Resource Manager locations, used until the live list arrives.

The CMG wizard offers whatever locations the subscription has (domain sheet D7); before the
administrator signs in, the TUI still needs a list to pick from and to check typing against.
Names are ARM location names (what the profile stores); display names are what the Azure
portal shows.
"""

from __future__ import annotations

from cmgtui.model.enums import AzureEnvironment
from cmgtui.model.profile import Profile

#: Azure public cloud regions that host general-purpose compute.
PUBLIC_LOCATIONS: list[tuple[str, str]] = [
    ("eastus", "East US"),
    ("eastus2", "East US 2"),
    ("centralus", "Central US"),
    ("northcentralus", "North Central US"),
    ("southcentralus", "South Central US"),
    ("westcentralus", "West Central US"),
    ("westus", "West US"),
    ("westus2", "West US 2"),
    ("westus3", "West US 3"),
    ("canadacentral", "Canada Central"),
    ("canadaeast", "Canada East"),
    ("brazilsouth", "Brazil South"),
    ("mexicocentral", "Mexico Central"),
    ("northeurope", "North Europe"),
    ("westeurope", "West Europe"),
    ("uksouth", "UK South"),
    ("ukwest", "UK West"),
    ("francecentral", "France Central"),
    ("germanywestcentral", "Germany West Central"),
    ("italynorth", "Italy North"),
    ("norwayeast", "Norway East"),
    ("polandcentral", "Poland Central"),
    ("spaincentral", "Spain Central"),
    ("swedencentral", "Sweden Central"),
    ("switzerlandnorth", "Switzerland North"),
    ("uaenorth", "UAE North"),
    ("qatarcentral", "Qatar Central"),
    ("israelcentral", "Israel Central"),
    ("southafricanorth", "South Africa North"),
    ("centralindia", "Central India"),
    ("southindia", "South India"),
    ("westindia", "West India"),
    ("eastasia", "East Asia"),
    ("southeastasia", "Southeast Asia"),
    ("japaneast", "Japan East"),
    ("japanwest", "Japan West"),
    ("koreacentral", "Korea Central"),
    ("koreasouth", "Korea South"),
    ("australiaeast", "Australia East"),
    ("australiasoutheast", "Australia Southeast"),
    ("australiacentral", "Australia Central"),
    ("newzealandnorth", "New Zealand North"),
]

#: Azure US Government regions (including the DoD regions).
USGOV_LOCATIONS: list[tuple[str, str]] = [
    ("usgovvirginia", "USGov Virginia"),
    ("usgovarizona", "USGov Arizona"),
    ("usgovtexas", "USGov Texas"),
    ("usdodeast", "USDoD East"),
    ("usdodcentral", "USDoD Central"),
]


#: Every static location of both clouds; use :func:`locations_for` to offer one cloud's list.
ARM_LOCATIONS: list[tuple[str, str]] = PUBLIC_LOCATIONS + USGOV_LOCATIONS


def locations_for(environment: AzureEnvironment | None) -> list[tuple[str, str]]:
    """The static ``(name, display_name)`` list for a cloud; public when not chosen yet."""
    if environment is AzureEnvironment.US_GOVERNMENT:
        return list(USGOV_LOCATIONS)
    return list(PUBLIC_LOCATIONS)


def _other_cloud(environment: AzureEnvironment | None) -> AzureEnvironment:
    return AzureEnvironment.PUBLIC if environment is AzureEnvironment.US_GOVERNMENT else AzureEnvironment.US_GOVERNMENT


def environment_label(environment: AzureEnvironment | None) -> str:
    """The cloud's name as the portal writes it, e.g. "Azure US Government"."""
    if environment is None:
        return "environment not set"
    return "Azure US Government" if environment is AzureEnvironment.US_GOVERNMENT else "Azure public cloud"


def live_locations(profile: Profile) -> list[tuple[str, str]] | None:
    """The subscription's own ``(name, display_name)`` list for the profile's cloud, or None.

    ``arm.locations`` evidence read in the other cloud is stale for this plan: it is recorded
    with the environment it was read in, and a list without a single region of this cloud
    can't have come from it either (an older record without the tag, or an endpoint such as
    the sandbox tenant that answers with one cloud's list); then the built-in list is used.
    """
    found = profile.evidence.get("arm.locations")
    names = found.data.get("locations") if found is not None else None
    if not isinstance(names, list) or not names:
        return None
    env = profile.environment or AzureEnvironment.PUBLIC
    recorded = found.data.get("environment") if found is not None else None
    if recorded is not None and recorded != env.value:
        return None
    mine = {name for name, _ in locations_for(env)}
    names = [n for n in names if isinstance(n, str)]
    if not mine & set(names):
        return None
    shown = found.data.get("display_names") if found is not None else None
    display = dict(locations_for(env)) | (shown if isinstance(shown, dict) else {})
    return [(name, str(display.get(name, ""))) for name in names]


def region_offer(profile: Profile) -> tuple[list[tuple[str, str]], bool]:
    """Regions to offer for the profile's cloud, and whether they are the subscription's live list."""
    live = live_locations(profile)
    if live is not None:
        return live, True
    return locations_for(profile.environment), False


def region_label(name: str, display: str) -> str:
    """How a region reads in a list or a header: "West US (westus)", or the name when that's all."""
    return f"{display} ({name})" if display and display != name else name


def display_region(profile: Profile) -> str:
    """The profile's region as a person reads it, e.g. "USGov Virginia"; "" when none is set."""
    region = profile.region.strip()
    if not region:
        return ""
    offered = dict(region_offer(profile)[0]) | dict(ARM_LOCATIONS)
    return offered.get(region.lower()) or region


def region_after_switch(profile: Profile, environment: AzureEnvironment | None) -> str | None:
    """Why the profile's region can't stay when the cloud becomes ``environment`` (None: it can)."""
    region = profile.region.strip().lower()
    if not region or environment is None:
        return None
    if region in {name for name, _ in locations_for(environment)}:
        return None
    if region not in {name for name, _ in locations_for(_other_cloud(environment))}:
        return None
    label = dict(ARM_LOCATIONS).get(region, region)
    return (f"{label} ({region}) is a region of {environment_label(_other_cloud(environment))}, not of "
            f"{environment_label(environment)}; the region was cleared: choose one of "
            f"{environment_label(environment)}'s regions in checklist item 2.")
