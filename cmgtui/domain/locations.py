"""Static lists of Azure Resource Manager locations, used until the live list arrives.

The CMG wizard offers whatever locations the subscription has (domain sheet D7); before the
administrator signs in, the TUI still needs a list to pick from and to check typing against.
Names are ARM location names (what the profile stores); display names are what the Azure
portal shows.
"""

from __future__ import annotations

from cmgtui.model.enums import AzureEnvironment

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
