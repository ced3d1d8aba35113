"""What a Configuration Manager site version means for the CMG (domain sheet §0.2).

The console and the PowerShell cmdlets change with the current-branch version: the VM scale
set arrives in 2010 and becomes generally available in 2107, US Government follows in 2111,
the classic option disappears in 2203 (and Azure retired Cloud Services (classic) after 31 August
2024, so a classic CMG no longer runs on any version), 2309 changes how the wizard signs in, and
2409 changes Renew Secret Key (a Global Administrator, four validity periods, no renewal for
apps older than 800 days: whats-new-in-version-2409.md). Part 4 shows
these implications next to the site version so the administrator sees why a choice is or
isn't possible; the rules in :mod:`rules_gateway` and :mod:`rules_part4` enforce them.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.model.enums import AzureEnvironment

FIRST_VMSS_VERSION = 2010
VMSS_GA_VERSION = 2107
USGOV_VMSS_VERSION = 2111
CLASSIC_REMOVED_VERSION = 2203
CMDLET_SIZE_VERSION = 2207
TENANT_ID_VERSION = 2309
TOKEN_AUTH_VERSION = 2002
#: Renew Secret Key opens the dialog with four validity periods, needs a Global Administrator and
#: refuses apps older than 800 days (memdocs core/plan-design/changes/whats-new-in-version-2409.md).
SECRET_RENEWAL_DIALOG_VERSION = 2409
#: The classic cloud service a classic CMG runs on (SupportArticles-docs: "retired on August 31st, 2024").
CLASSIC_RETIREMENT = "31 August 2024"
#: The update rollup whose CMG maintenance fails to update the public IP on zones, the hotfix and
#: the release that includes it (SupportArticles-docs ``public-ip-creation-error.md``; domain sheet §0.2).
PUBLIC_IP_ISSUE_VERSION = 2503
PUBLIC_IP_FIXED_VERSION = 2509
PUBLIC_IP_HOTFIX = "KB35958849"
#: Versions on which the VM scale set CMG is a pre-release for CSP subscriptions.
EARLY_VMSS_VERSIONS = (2010, 2103)


@dataclass(frozen=True, slots=True)
class VersionNote:
    """One implication of the site version: whether it helps (``ok``) and what it means."""

    ok: bool
    text: str


def version_implications(version: int | None, environment: AzureEnvironment | None = None) -> list[VersionNote]:
    """What ``version`` allows and forbids for a CMG, in plain words (empty when unknown)."""
    if version is None:
        return []
    notes: list[VersionNote] = []
    if version < FIRST_VMSS_VERSION:
        notes.append(VersionNote(False, f"No VM scale set CMG before {FIRST_VMSS_VERSION}: only classic, which Azure "
                                        f"retired ({CLASSIC_RETIREMENT}); update the site to {VMSS_GA_VERSION} "
                                        "or later."))
    elif version in EARLY_VMSS_VERSIONS:
        notes.append(VersionNote(False, f"VM scale set is a pre-release on {version}: CSP subscriptions only, "
                                        "2,000 clients per VM, a lowercase resource group name, content must "
                                        "stay enabled, and every CMG of the site must use the same method."))
    else:
        notes.append(VersionNote(True, "VM scale set is generally available (turn on the optional feature)."))
    if version >= VMSS_GA_VERSION:
        notes.append(VersionNote(True, "VM size can be chosen: Lab B2s, Standard A2_v2 or Large A4_v2."))
    else:
        notes.append(VersionNote(False, f"VM size is fixed to Standard A2_v2 before {VMSS_GA_VERSION}."))
    usgov = environment is AzureEnvironment.US_GOVERNMENT
    if version >= USGOV_VMSS_VERSION:
        notes.append(VersionNote(True, "A VM scale set CMG can be deployed in Azure US Government."))
    else:
        notes.append(VersionNote(not usgov, f"No VM scale set CMG in Azure US Government before "
                                            f"{USGOV_VMSS_VERSION}" + (" (your environment)." if usgov else ".")))
    if version >= CLASSIC_REMOVED_VERSION:
        notes.append(VersionNote(True, "VM scale set is the only deployment method (classic removed in 2203)."))
    else:
        notes.append(VersionNote(False, f"Classic cloud service is still in this version's wizard, but Azure retired "
                                        f"Cloud Services (classic) ({CLASSIC_RETIREMENT}): a classic CMG can't run; "
                                        "use a virtual machine scale set."))
    if version >= TENANT_ID_VERSION:
        notes.append(VersionNote(True, "The wizard picks the Microsoft Entra tenant first and the app name fills "
                                       "itself; New-CMCloudManagementGateway takes -TenantId (pass it)."))
    elif version >= CMDLET_SIZE_VERSION:
        notes.append(VersionNote(True, "New-CMCloudManagementGateway takes -VMSSVMSize and -Version; no -TenantId "
                                       f"before {TENANT_ID_VERSION}."))
    else:
        notes.append(VersionNote(False, f"PowerShell can't set the VM size before {CMDLET_SIZE_VERSION}; "
                                        "use the console wizard for it."))
    if PUBLIC_IP_ISSUE_VERSION <= version < PUBLIC_IP_FIXED_VERSION:
        notes.append(VersionNote(False, f"With the {version} update rollup the CMG's maintenance can fail to update "
                                        f"its public IP (availability zones); install hotfix {PUBLIC_IP_HOTFIX} "
                                        f"(included in {PUBLIC_IP_FIXED_VERSION})."))
    if version < TOKEN_AUTH_VERSION:
        notes.append(VersionNote(False, f"No token-based client authentication before {TOKEN_AUTH_VERSION}."))
    return notes
