"""The Entra hand-off package: manifest shapes (domain sheet §4) and the portal steps."""

from __future__ import annotations

import json

import pytest

from cmgtui.domain.handoff import (
    DIRECTORY_READ_ALL,
    GRAPH_APP_ID,
    MANIFEST_FILE,
    STEPS_FILE,
    USER_READ,
    HandoffSpec,
    manifest,
    manifest_json,
    package_files,
    steps_markdown,
)
from cmgtui.model import Profile
from cmgtui.model.enums import SecretLifetime

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def _spec(**changes: object) -> HandoffSpec:
    values: dict[str, object] = dict(tenant_id=TENANT, tenant_name="Contoso", server_name="CMG-ServerApp",
                                     client_name="CMG-ClientApp", app_id_uri="", secret_months=12,
                                     user_discovery=False)
    values.update(changes)
    return HandoffSpec(**values)  # type: ignore[arg-type]


def test_server_app_has_the_section_4_shape() -> None:
    server = manifest(_spec())["serverApp"]
    assert server["signInAudience"] == "AzureADMyOrg"
    assert server["web"] == {"redirectUris": ["http://localhost"],
                             "implicitGrantSettings": {"enableIdTokenIssuance": True}}
    assert server["identifierUris"] == [f"api://{TENANT}/ConfigMgrService"]
    scope = server["api"]["oauth2PermissionScopes"][0]
    assert (scope["value"], scope["type"], scope["isEnabled"]) == ("user_impersonation", "User", True)
    assert scope["adminConsentDisplayName"] == "Access CMG-ServerApp"
    assert server["requiredResourceAccess"] == [
        {"resourceAppId": GRAPH_APP_ID, "resourceAccess": [{"id": USER_READ, "type": "Scope"}]}]
    assert server["passwordCredential"] == {"lifetimeMonths": 12}


def test_user_discovery_swaps_user_read_for_directory_read_all_and_adds_its_consent() -> None:
    data = manifest(_spec(user_discovery=True, secret_months=24))
    access = data["serverApp"]["requiredResourceAccess"][0]["resourceAccess"]
    assert access == [{"id": DIRECTORY_READ_ALL, "type": "Role"}]
    assert any(c.get("appRole") == "Directory.Read.All" for c in data["adminConsent"])
    assert data["serverApp"]["passwordCredential"] == {"lifetimeMonths": 24}
    assert "Directory.Read.All" in steps_markdown(_spec(user_discovery=True))


def test_client_app_is_a_public_client_with_the_broker_redirect_and_the_server_scope() -> None:
    spec = _spec()
    client = manifest(spec)["clientApp"]
    assert client["isFallbackPublicClient"] is True
    assert client["publicClient"]["redirectUris"] == ["ms-appx-web://Microsoft.AAD.BrokerPlugin/<client app ID>"]
    assert client["web"]["implicitGrantSettings"]["enableIdTokenIssuance"] is True
    server_access, graph_access = client["requiredResourceAccess"]
    assert server_access == {"resourceAppId": "<server app ID>",
                             "resourceAccess": [{"id": spec.scope_id, "type": "Scope"}]}
    assert graph_access["resourceAccess"] == [{"id": USER_READ, "type": "Scope"}]
    scopes = {c["scope"] for c in manifest(spec)["adminConsent"] if "scope" in c}
    assert scopes == {"user_impersonation", "User.Read"}


def test_scope_id_is_stable_and_names_are_checked() -> None:
    assert _spec().scope_id == _spec().scope_id != _spec(server_name="Other").scope_id
    with pytest.raises(ValueError, match="different names"):
        _spec(client_name="cmg-serverapp")
    with pytest.raises(ValueError, match="both"):
        _spec(server_name=" ")
    with pytest.raises(ValueError, match="12 or 24"):
        _spec(secret_months=6)


def test_chosen_uri_is_kept_and_missing_tenant_is_a_visible_placeholder() -> None:
    assert manifest(_spec(app_id_uri="https://contoso.com/cmg"))["serverApp"]["identifierUris"] == [
        "https://contoso.com/cmg"]
    data = manifest(_spec(tenant_id="", tenant_name=""))
    assert data["serverApp"]["identifierUris"] == ["api://<tenant ID>/ConfigMgrService"]
    assert data["tenant"] == {"id": None, "name": None}


def test_steps_name_the_role_every_setting_and_the_values_to_return() -> None:
    text = steps_markdown(_spec(secret_months=24))
    for phrase in ("Global Administrator", "`CMG-ServerApp`", "`CMG-ClientApp`", "http://localhost",
                   f"api://{TENANT}/ConfigMgrService", "user_impersonation", "Admins and users",
                   "expires in 24 months", "Allow public client flows = Yes",
                   "ms-appx-web://Microsoft.AAD.BrokerPlugin/", "oauth2AllowIdTokenImplicitFlow",
                   "Grant admin consent", "Values to send back", "Application (client) ID", MANIFEST_FILE):
        assert phrase in text, phrase
    assert "Contoso (72f988bf" in text


def test_package_is_valid_json_and_markdown_from_the_profile() -> None:
    profile = Profile(name="plan")
    profile.entra.tenant_id = TENANT
    profile.entra.server_app.display_name = "GF-Server"
    profile.entra.client_app.display_name = "GF-Client"
    profile.entra.secret_lifetime = SecretLifetime.MONTHS_24
    spec = HandoffSpec.from_profile(profile)
    files = package_files(spec)
    assert set(files) == {MANIFEST_FILE, STEPS_FILE}
    data = json.loads(files[MANIFEST_FILE])
    assert data == json.loads(manifest_json(spec))
    assert data["serverApp"]["displayName"] == "GF-Server" and data["clientApp"]["displayName"] == "GF-Client"
    assert data["serverApp"]["passwordCredential"]["lifetimeMonths"] == 24
    assert files[STEPS_FILE].startswith("# Microsoft Entra app registrations")
