"""Names the CMG derives from its service name: prefix, deployment name, key vault, storage.

Configuration Manager takes only the first DNS label of the server certificate's CN (the
*prefix*) and builds every Azure name from it (domain sheet §1.1). This module does the same
arithmetic so the TUI can show the administrator, before anything is created, which names
must be free and which DNS CNAME record is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cmgtui.domain.validate import fqdn_problem
from cmgtui.model.enums import AzureEnvironment, DeploymentMethod
from cmgtui.model.profile import Profile

#: The prefix rule on the lower-cased prefix: the intersection of the key vault and the
#: storage account naming rules (domain sheet D6, rule V09).
PREFIX_PATTERN = re.compile(r"^[a-z][a-z0-9]{2,23}$")

#: The US Government VMSS deployment-name suffix is not stated consistently in the sources
#: (domain sheet D1); the derived name is the expected one and the admin may override it.
USGOV_VMSS_SUFFIX_UNVERIFIED = True

_VMSS_SUFFIX = {
    AzureEnvironment.PUBLIC: "cloudapp.azure.com",
    AzureEnvironment.US_GOVERNMENT: "cloudapp.usgovcloudapi.net",
}
_CLASSIC_SUFFIX = {
    AzureEnvironment.PUBLIC: "cloudapp.net",
    AzureEnvironment.US_GOVERNMENT: "usgovcloudapp.net",
}
_VAULT_SUFFIX = {
    AzureEnvironment.PUBLIC: "vault.azure.net",
    AzureEnvironment.US_GOVERNMENT: "vault.usgovcloudapi.net",
}
_STORAGE_SUFFIX = {
    AzureEnvironment.PUBLIC: "core.windows.net",
    AzureEnvironment.US_GOVERNMENT: "core.usgovcloudapi.net",
}

#: DNS zones owned by Microsoft in which a CMG deployment name lives.
AZURE_DOMAINS: tuple[str, ...] = (
    "cloudapp.azure.com",
    "cloudapp.net",
    "usgovcloudapp.net",
    "cloudapp.usgovcloudapi.net",
)
#: The classic-only zones: a new (VMSS) CMG cannot use a service name here (V11).
CLASSIC_DOMAINS: tuple[str, ...] = ("cloudapp.net", "usgovcloudapp.net")


def _clean(name: str) -> str:
    """Trim whitespace and a trailing root dot from a DNS name."""
    return name.strip().rstrip(".")


def is_wildcard(service_name: str) -> bool:
    """True when the service name (certificate CN) is a wildcard such as ``*.contoso.com``."""
    return _clean(service_name).startswith("*.")


def prefix_from_service_name(service_name: str, wildcard_prefix: str = "") -> str:
    """The first DNS label of the service name, original case kept.

    For a wildcard CN the first label is ``*``, which Configuration Manager asks the admin to
    replace; ``wildcard_prefix`` is that replacement (may be empty when not yet entered).
    """
    name = _clean(service_name)
    if not name:
        return ""
    if is_wildcard(name):
        return wildcard_prefix.strip()
    return name.split(".", 1)[0]


def prefix_problem(prefix: str) -> str | None:
    """None when the prefix is a valid CMG name prefix, else a one-line reason with the fix."""
    value = prefix.strip()
    if not value:
        return "Enter a service name prefix (3-24 letters and digits, starting with a letter)."
    lowered = value.lower()
    if PREFIX_PATTERN.match(lowered):
        return None
    if len(lowered) < 3:
        return f"Prefix '{value}' is {len(lowered)} characters; use 3-24 letters and digits."
    if len(lowered) > 24:
        return f"Prefix '{value}' is {len(lowered)} characters; shorten it to at most 24."
    if not lowered[0].isalpha() or not lowered[0].isascii():
        return f"Prefix '{value}' must start with a letter (key vault naming rule)."
    bad = sorted({c for c in lowered if not (c.isascii() and c.isalnum())})
    shown = " ".join(repr(c) for c in bad)
    return (
        f"Prefix '{value}' contains {shown}; use only letters and digits "
        "(no hyphens: the storage account name is built from it)."
    )


def effective_service_name(service_name: str, wildcard_prefix: str) -> str:
    """The service name with a wildcard ``*`` replaced by the admin's prefix."""
    name = _clean(service_name)
    if is_wildcard(name) and wildcard_prefix.strip():
        return wildcard_prefix.strip() + name[1:]
    return name


def deployment_name(
    prefix: str, region: str, environment: AzureEnvironment, method: DeploymentMethod
) -> str:
    """The Azure-owned FQDN of the deployed CMG (domain sheet §1.1).

    VMSS: ``P.region.<suffix>`` (US Government suffix unverified, see
    :data:`USGOV_VMSS_SUFFIX_UNVERIFIED`); classic: ``P.<suffix>``. The region is lower-cased,
    the prefix keeps its case (DNS is case-insensitive; the CN case matters on renewal).
    """
    if method is DeploymentMethod.CLASSIC:
        return f"{prefix}.{_CLASSIC_SUFFIX[environment]}"
    return f"{prefix}.{region.strip().lower()}.{_VMSS_SUFFIX[environment]}"


def key_vault_name(prefix: str) -> str:
    """The key vault the VMSS CMG creates has the prefix as its name."""
    return prefix


def key_vault_host(prefix: str, environment: AzureEnvironment) -> str:
    """Host name of the CMG key vault."""
    return f"{prefix}.{_VAULT_SUFFIX[environment]}"


def storage_account_name(prefix: str) -> str:
    """The CMG storage account: the prefix in lower case."""
    return prefix.lower()


def storage_blob_host(prefix: str, environment: AzureEnvironment) -> str:
    """Blob endpoint of the CMG storage account (content, used by clients and the CMGCP)."""
    return f"{storage_account_name(prefix)}.blob.{_STORAGE_SUFFIX[environment]}"


def storage_table_host(prefix: str, environment: AzureEnvironment) -> str:
    """Table endpoint of the CMG storage account (used by the CMG connection point)."""
    return f"{storage_account_name(prefix)}.table.{_STORAGE_SUFFIX[environment]}"


def azure_domain_of(service_name: str) -> str | None:
    """The Microsoft-owned zone the name is in (longest match), or None for an own domain."""
    name = _clean(service_name).lower()
    matches = [d for d in AZURE_DOMAINS if name == d or name.endswith("." + d)]
    return max(matches, key=len) if matches else None


def is_azure_domain(service_name: str) -> bool:
    """True when the service name is in a Microsoft-owned CMG zone (no CNAME possible)."""
    return azure_domain_of(service_name) is not None


def needs_cname(service_name: str) -> bool:
    """True when the service name is in the customer's own domain: a CNAME is required."""
    return bool(_clean(service_name)) and not is_azure_domain(service_name)


@dataclass(frozen=True, slots=True)
class CmgNames:
    """Every name derived from one profile's service name, region and environment."""

    service_name: str
    prefix: str
    deployment_name: str
    key_vault_name: str
    key_vault_host: str
    storage_account_name: str
    storage_blob_host: str
    storage_table_host: str
    needs_cname: bool
    deployment_name_unverified: bool


def derivation_problem(profile: Profile) -> str | None:
    """Why the CMG's names can't be derived yet (None when they can), saying what to enter.

    A derived name is shown only from a valid input: a service name that isn't a DNS name (a
    folder path typed by mistake, say) or a prefix that can't name a key vault derives nothing.
    """
    cert = profile.certificate
    missing = []
    if not cert.service_name.strip():
        missing.append("the service name (Part 1)")
    elif is_wildcard(cert.service_name) and not cert.wildcard_prefix.strip():
        missing.append("the wildcard prefix (Part 1)")
    if profile.environment is None:
        missing.append("the Azure environment (checklist 1)")
    if not profile.region.strip():
        missing.append("the Azure region (checklist 2)")
    if missing:
        return "Derived names appear when you enter " + ", ".join(missing) + "."
    problem = fqdn_problem(cert.service_name, allow_wildcard=True)
    if problem is None:
        problem = prefix_problem(prefix_from_service_name(cert.service_name, cert.wildcard_prefix))
    if problem:
        return f"No names are derived from an invalid service name: {problem}"
    return None


def derive_names(profile: Profile) -> CmgNames | None:
    """The CMG names for a profile, or None while :func:`derivation_problem` says why not
    (service name, prefix, region or environment missing or invalid)."""
    if derivation_problem(profile) is not None:
        return None
    cert = profile.certificate
    environment = profile.environment
    assert environment is not None
    region = profile.region.strip()
    prefix = prefix_from_service_name(cert.service_name, cert.wildcard_prefix)
    service = effective_service_name(cert.service_name, cert.wildcard_prefix)
    method = profile.deployment_method
    return CmgNames(
        service_name=service,
        prefix=prefix,
        deployment_name=deployment_name(prefix, region, environment, method),
        key_vault_name=key_vault_name(prefix),
        key_vault_host=key_vault_host(prefix, environment),
        storage_account_name=storage_account_name(prefix),
        storage_blob_host=storage_blob_host(prefix, environment),
        storage_table_host=storage_table_host(prefix, environment),
        needs_cname=needs_cname(service),
        deployment_name_unverified=(
            USGOV_VMSS_SUFFIX_UNVERIFIED
            and environment is AzureEnvironment.US_GOVERNMENT
            and method is DeploymentMethod.VMSS
        ),
    )
