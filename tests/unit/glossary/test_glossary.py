"""The glossary fills each term with the plan's own values."""

from __future__ import annotations

from cmgtui.domain.glossary import glossary
from cmgtui.model import AzureEnvironment, Profile


def _by_term(profile: Profile) -> dict[str, str]:
    return {entry.term: entry.value for entry in glossary(profile)}


def test_seed_terms_are_all_present() -> None:
    terms = {entry.term for entry in glossary(Profile(name="p"))}
    for term in ("Microsoft Entra ID tenant", "Azure subscription", "Azure resource group",
                 "CMG service name", "CMG deployment name", "Service name prefix", "DNS CNAME alias",
                 "Virtual machine scale set", "Server app (web app)", "Client app (native app)",
                 "CMG connection point", "Service connection point", "Enhanced HTTP",
                 "Bulk registration token"):
        assert term in terms


def test_granitefalls_in_westus_fills_deployment_vault_storage_and_cname() -> None:
    profile = Profile(name="p", environment=AzureEnvironment.PUBLIC, region="westus")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    values = _by_term(profile)
    assert values["CMG deployment name"] == "GraniteFalls.westus.cloudapp.azure.com"
    assert values["CMG service name"] == "GraniteFalls.contoso.com"
    assert "GraniteFalls (GraniteFalls.vault.azure.net)" in values["Key vault and storage account"]
    assert "granitefalls (granitefalls.blob.core.windows.net)" in values["Key vault and storage account"]
    assert values["DNS CNAME alias"].startswith("needed: GraniteFalls.contoso.com → CNAME → ")


def test_azure_domain_service_name_needs_no_cname() -> None:
    profile = Profile(name="p", environment=AzureEnvironment.PUBLIC, region="westus")
    profile.certificate.service_name = "GraniteFalls.westus.cloudapp.azure.com"
    assert _by_term(profile)["DNS CNAME alias"].startswith("not needed")


def test_missing_inputs_say_what_is_needed() -> None:
    profile = Profile(name="p")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    assert "needs environment, region" in _by_term(profile)["CMG deployment name"]


def test_filter_matches_every_word_in_term_meaning_or_value() -> None:
    profile = Profile(name="p", environment=AzureEnvironment.PUBLIC, region="westus")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    hits = [e.term for e in glossary(profile) if e.matches("cloudapp westus")]
    assert "CMG deployment name" in hits
    assert "Azure subscription" not in hits
    assert [e for e in glossary(profile) if e.matches("zzz-no-such-term")] == []
