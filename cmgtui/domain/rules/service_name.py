"""Part 1 rules about the CMG service name and the names derived from it (§9 V07-V17, V48).

Evidence read:

* ``arm.names``: ``{"dns": bool, "keyvault": bool, "storage": bool}`` -- True means the name
  is still free (VMSS DNS label in the region, key vault name, storage account name). An
  optional ``"prefix"`` records which prefix was checked; a result for another prefix is
  treated as stale.
"""

from __future__ import annotations

from datetime import datetime

from cmgtui.domain.azure.names import (
    CLASSIC_DOMAINS,
    azure_domain_of,
    deployment_name,
    derive_names,
    effective_service_name,
    is_wildcard,
    prefix_from_service_name,
    prefix_problem,
)
from cmgtui.domain.rules.results import Phase, RuleResult, Severity
from cmgtui.domain.rules.rulebook import ProfileRule, Verdicts, evidence_age, evidence_data, rule
from cmgtui.domain.validate import fqdn_problem
from cmgtui.model.enums import AzureEnvironment, CertificateSource, DeploymentMethod
from cmgtui.model.profile import Profile

RULES: list[ProfileRule] = []
E, W = Severity.ERROR, Severity.WARNING
CERT = Phase.CERTIFICATE
_ENTER_NAME = "Enter the CMG service name (the certificate CN), e.g. GraniteFalls.contoso.com."


def _usable_name(v: Verdicts, p: Profile) -> RuleResult | str:
    """The effective service name, or a SKIP: rules about the name judge only a valid DNS name."""
    name = effective_service_name(p.certificate.service_name, p.certificate.wildcard_prefix)
    if not name:
        return v.needs(_ENTER_NAME)
    if fqdn_problem(p.certificate.service_name.strip(), allow_wildcard=True):
        return v.needs("Correct the service name first (see NAME-SERVICE).")
    return name


@rule(RULES, "NAME-SERVICE", CERT, E, "V07")
def service_name(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    name = p.certificate.service_name.strip()
    if not name:
        return v.needs(_ENTER_NAME)
    problem = fqdn_problem(name, allow_wildcard=True)
    if problem:
        return v.failed(problem, "Use the certificate's CN: a fully qualified name such as "
                        "GraniteFalls.contoso.com.", name)
    return v.passed(f"Service name {name}.", name)


@rule(RULES, "NAME-WILDCARD", CERT, E, "V08")
def wildcard(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    cert = p.certificate
    if not is_wildcard(cert.service_name):
        return v.not_needed("The certificate CN isn't a wildcard.")
    if not cert.wildcard_prefix.strip():
        return v.needs("Wildcard certificate: enter the unique service name prefix that replaces '*'.")
    full = effective_service_name(cert.service_name, cert.wildcard_prefix)
    return v.passed(f"'*' is replaced by {cert.wildcard_prefix.strip()}: {full}.", full)


@rule(RULES, "NAME-PREFIX", CERT, E, "V09")
def prefix(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    cert = p.certificate
    if not cert.service_name.strip():
        return v.needs(_ENTER_NAME)
    value = prefix_from_service_name(cert.service_name, cert.wildcard_prefix)
    if not value:
        return v.needs("Enter the service name prefix that replaces '*'.")
    if isinstance(found := _usable_name(v, p), RuleResult):
        return found
    problem = prefix_problem(value)
    if problem:
        return v.failed(problem, "Choose a service name whose first label is 3-24 letters and "
                        "digits, starting with a letter, and get the certificate for it.", value)
    return v.passed(f"Prefix {value} is usable for the key vault and storage account.", value)


@rule(RULES, "NAME-PREFIX-CASE", CERT, W, "V10")
def prefix_case(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    cert = p.certificate
    value = prefix_from_service_name(cert.service_name, cert.wildcard_prefix)
    if not value:
        return v.needs("Enter the CMG service name to check its letter case.")
    if isinstance(found := _usable_name(v, p), RuleResult):
        return found
    if value == value.lower():
        return v.passed("The prefix is lower case.", value)
    return v.failed(
        f"The prefix {value} has capitals: the storage account becomes {value.lower()}, and every "
        "renewed certificate must use exactly this CN, capitals included.",
        "Keep the CN's letter case identical on renewal (or pick a lower-case name now).", value)


@rule(RULES, "NAME-CLASSIC-DOMAIN", CERT, E, "V11")
def classic_domain(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    name = _usable_name(v, p)
    if isinstance(name, RuleResult):
        return name
    if p.deployment_method is DeploymentMethod.CLASSIC:
        return v.not_needed("Classic deployments may use cloudapp.net names.")
    zone = azure_domain_of(name)
    if zone in CLASSIC_DOMAINS:
        return v.failed(f"{name} is in {zone}, which only classic CMGs use; they can't be created anymore.",
                        "Get a certificate for a name in your own domain (recommended) or in "
                        "cloudapp.azure.com.", name)
    return v.passed(f"{name} isn't a classic cloud service name.", name)


@rule(RULES, "NAME-AZURE-REGION", CERT, E, "V12")
def azure_region(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    name = effective_service_name(p.certificate.service_name, p.certificate.wildcard_prefix)
    zone = azure_domain_of(name) if name else None
    if zone not in ("cloudapp.azure.com", "cloudapp.usgovcloudapi.net"):
        return v.not_needed("The service name isn't a VM scale set Azure name.")
    if p.environment is None or not p.region.strip():
        return v.needs("Choose the Azure environment and region to compare with the certificate name.")
    expected_env = (AzureEnvironment.PUBLIC if zone == "cloudapp.azure.com"
                    else AzureEnvironment.US_GOVERNMENT)
    if p.environment is not expected_env:
        return v.failed(f"{name} is an {expected_env.value} name but the environment is "
                        f"{p.environment.value}.", "Choose the matching environment or another "
                        "certificate.", name)
    prefix_value = name.split(".", 1)[0]
    expected = deployment_name(prefix_value, p.region, p.environment, DeploymentMethod.VMSS)
    if name.lower() != expected.lower():
        cert_region = name.split(".")[1] if name.count(".") >= 2 else "?"
        return v.failed(f"Certificate is for region {cert_region} but you selected region "
                        f"{p.region.strip().lower()}.", "Select the certificate's region or get a "
                        f"certificate for {expected}.", name)
    return v.passed(f"{name} matches the selected region.", name)


@rule(RULES, "NAME-PUBLIC-CA-AZURE", CERT, E, "V13")
def public_ca_azure(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    name = effective_service_name(p.certificate.service_name, p.certificate.wildcard_prefix)
    if p.certificate.source is not CertificateSource.PUBLIC_CA:
        return v.not_needed("The certificate doesn't come from a public CA.")
    if not name:
        return v.needs(_ENTER_NAME)
    if azure_domain_of(name):
        return v.failed(f"A public CA can't issue a certificate for {name}: Microsoft owns that domain.",
                        "Use a name in your own domain plus a DNS CNAME to the deployment name.", name)
    return v.passed("The service name is in a domain a public CA can issue for.", name)


def _names_check(v: Verdicts, p: Profile, key: str, what: str) -> RuleResult | tuple[str, bool]:
    """Shared part of the availability rules: the name checked, or an early result."""
    names = derive_names(p)
    if names is None:
        return v.needs("Enter the service name, environment and region to check name availability.")
    data = evidence_data(p, "arm.names")
    namespace = ((data or {}).get("not_registered") or {}).get(key)
    if namespace:
        return v.needs(f"The {what} can't be checked until {namespace} is registered: register "
                       f"{namespace} first (Fix offers it), then check again.")
    if data is None or key not in data:
        return v.needs(f"Run the Azure name check to see whether the {what} is free.")
    checked = data.get("prefix")
    if checked is not None and str(checked).lower() != names.prefix.lower():
        return v.needs(f"The name check was for {checked}; run it again for {names.prefix}.")
    chosen = {"dns": names.deployment_name, "keyvault": names.key_vault_name,
              "storage": names.storage_account_name}[key]
    return chosen, bool(data[key])


@rule(RULES, "NAME-KEYVAULT-FREE", CERT, E, "V15")
def keyvault_free(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    got = _names_check(v, p, "keyvault", "key vault name")
    if isinstance(got, RuleResult):
        return got
    name, free = got
    if free:
        return v.passed(f"Key vault name {name} is free.", evidence_age(p, "arm.names"))
    return v.failed(f"Key vault name {name} is taken (or a deleted vault still holds it).",
                    "Pick another prefix, or purge your own soft-deleted vault of that name.",
                    evidence_age(p, "arm.names"))


@rule(RULES, "NAME-DNS-FREE", CERT, E, "V16")
def dns_free(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    got = _names_check(v, p, "dns", "deployment name")
    if isinstance(got, RuleResult):
        return got
    name, free = got
    if free:
        return v.passed(f"Deployment name {name} is free.", evidence_age(p, "arm.names"))
    return v.failed(f"Deployment name {name} is already in use in this region.",
                    "Pick another prefix (and certificate) or another region.", evidence_age(p, "arm.names"))


@rule(RULES, "NAME-STORAGE-FREE", CERT, E, "V17")
def storage_free(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    got = _names_check(v, p, "storage", "storage account name")
    if isinstance(got, RuleResult):
        return got
    name, free = got
    if free:
        return v.passed(f"Storage account name {name} is free.", evidence_age(p, "arm.names"))
    message = f"Storage account name {name} is already taken; provisioning would fail."
    fix = "Pick another prefix (and certificate)."
    if not p.gateway.content_enabled:
        return v.warned(message, fix, evidence_age(p, "arm.names"))
    return v.failed(message, fix, evidence_age(p, "arm.names"))


@rule(RULES, "NAME-RENEWAL-CN", CERT, E, "V48")
def renewal_cn(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    old = p.certificate.previous_service_name.strip()
    new = p.certificate.service_name.strip()
    if not old:
        return v.not_needed("This isn't a certificate renewal.")
    if not new:
        return v.needs("Load the new certificate to compare its CN with the current one.")
    if new == old:
        return v.passed(f"The new CN matches the current one exactly ({old}).", new)
    if new.lower() == old.lower():
        return v.failed(f"The new CN {new} differs in letter case from the current {old}.",
                        "Reissue the certificate with exactly the same CN, capitals included.", new)
    return v.failed(f"The new CN {new} differs from the current {old}; a new name needs a new CMG.",
                    "Reissue the certificate for the current name, or plan a redeploy.", new)
