"""Rehearsal scenarios for what fails a CMG deployment, shared by the ``check`` and Part 4 tests.

Each scenario is a sandbox scenario file (README keys ``quota``, ``unavailable_sizes``,
``policies``) for the plan of :func:`plan`, the rule it must fail and words its message carries.
"""

from __future__ import annotations

from cmgtui.model import AzureEnvironment, Profile
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION as SUB

#: The rules of the deployment checks, compared between Part 4 and ``cmgtui check``.
NEW_RULES = ("GW-VM-SIZE-REGION", "GW-VCPU-FAMILY", "GW-VCPU-REGIONAL", "GW-POLICY", "GW-DRY-RUN")

_SUBSCRIPTION = f'''[[subscriptions]]
id = "{SUB}"
name = "Contoso Production"
roles = ["Owner"]
resource_groups = [{{ name = "cmg-rg", location = "westus" }}]
'''


def _policy(name: str, rule: str) -> str:
    return f'[[subscriptions.policies]]\nname = "{name}"\neffect = "deny"\nrule = {{ {rule} }}\n'


#: name -> (scenario text, the rule that fails, words of its message)
SCENARIOS: dict[str, tuple[str, str, str]] = {
    "size": (_SUBSCRIPTION + 'unavailable_sizes = { "westus" = ["Standard_A2_v2"] }\n', "GW-VM-SIZE-REGION",
             "The VM size Standard_A2_v2 is currently not available in the region West US for this subscription "
             "(NotAvailableForSubscription)"),
    "family": (_SUBSCRIPTION + 'quota = { "standardAv2Family" = { limit = 4, used = 2 } }\n', "GW-VCPU-FAMILY",
               "needs 4 vCPUs, but only 2 of 4 are free (2 used); 2 short"),
    "regional": (_SUBSCRIPTION + 'quota = { "cores" = { limit = 6, used = 4 } }\n', "GW-VCPU-REGIONAL",
                 "Total Regional vCPUs (cores) in westus: 2 × Standard_A2_v2 needs 4 vCPUs, but only 2 of 6 are free"),
    "location": (_SUBSCRIPTION + _policy("Allowed locations", 'allowed_locations = ["eastus", "westeurope"]'),
                 "GW-POLICY", "'Allowed locations' (deny) denies every CMG resource"),
    "tag": (_SUBSCRIPTION + _policy("Require CostCenter", 'required_tags = ["CostCenter"]'),
            "GW-POLICY", "'Require CostCenter' (deny) denies every CMG resource"),
    "type": (_SUBSCRIPTION + _policy("No public IPs", 'deny_types = ["Microsoft.Network/publicIPAddresses"]'),
             "GW-POLICY", "'No public IPs' (deny) denies the public IP address GraniteFalls-ip"),
    "none": (_SUBSCRIPTION, "", ""),
}


def plan(name: str = "sandbox") -> Profile:
    """Two Standard A2_v2 VMs in West US, in the existing group cmg-rg of the Owner subscription."""
    profile = Profile(name=name, environment=AzureEnvironment.PUBLIC, region="westus", last_screen="gateway")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.site.site_version = 2309
    profile.gateway.subscription_id = SUB
    profile.gateway.resource_group = "cmg-rg"
    profile.gateway.use_existing_resource_group = True
    profile.gateway.vm_instances = 2
    return profile
