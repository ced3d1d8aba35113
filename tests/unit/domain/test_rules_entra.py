"""Part 2 rules (V29-V36)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cmgtui.domain.rules.results import Severity, Status
from cmgtui.model import EntraPath

from .factories import CLIENT_APP, NOW, TENANT, complete_profile, evidence, result


def test_guids() -> None:
    p = complete_profile()
    p.entra.client_app.app_id = "1234"
    r = result(p, "ENTRA-GUIDS")
    assert r.status is Status.FAIL and r.message.startswith("Client app ID")
    p.entra.client_app.app_id = ""
    assert result(p, "ENTRA-GUIDS").status is Status.SKIP
    p.entra.path = EntraPath.CONFIGMGR_CREATES
    assert result(p, "ENTRA-GUIDS").status is Status.PASS


def test_app_id_uri() -> None:
    p = complete_profile()
    p.entra.server_app.app_id_uri = "https://ConfigMgrService"
    r = result(p, "ENTRA-APP-ID-URI")
    assert r.status is Status.WARN and r.severity is Severity.WARNING
    assert f"api://{TENANT}/ConfigMgrService" in r.message
    p.entra.server_app.app_id_uri = "ConfigMgrService"
    r = result(p, "ENTRA-APP-ID-URI")
    assert r.status is Status.FAIL and r.severity is Severity.ERROR
    evidence(p, "graph.organization", verified_domains=["contoso.com"])
    p.entra.server_app.app_id_uri = "https://fabrikam.com/cmg"
    assert result(p, "ENTRA-APP-ID-URI").status is Status.WARN
    p.entra.server_app.app_id_uri = "https://contoso.com/cmg"
    assert result(p, "ENTRA-APP-ID-URI").status is Status.PASS


@pytest.mark.parametrize(
    ("days", "status", "words"),
    [(-1, Status.FAIL, "expired"), (10, Status.WARN, "Renew the secret now"),
     (45, Status.WARN, "Plan the secret renewal"), (61, Status.PASS, "imported")],
)
def test_secret_expiry(days: int, status: Status, words: str) -> None:
    p = complete_profile()
    p.entra.server_app.secret_expiry = NOW + timedelta(days=days, hours=1)
    r = result(p, "ENTRA-SECRET-EXPIRY")
    assert r.status is status
    assert words in r.message + r.fix


def test_secret_expiry_naive_datetime_is_utc() -> None:
    p = complete_profile()
    p.entra.server_app.secret_expiry = (NOW - timedelta(days=1)).replace(tzinfo=None)
    assert result(p, "ENTRA-SECRET-EXPIRY").status is Status.FAIL


def test_secret_expiry_missing() -> None:
    p = complete_profile()
    p.entra.server_app.secret_expiry = None
    assert result(p, "ENTRA-SECRET-EXPIRY").status is Status.SKIP
    p.entra.path = EntraPath.CONFIGMGR_CREATES
    r = result(p, "ENTRA-SECRET-EXPIRY")
    assert r.status is Status.SKIP and r.severity is Severity.INFO


def test_global_admin() -> None:
    p = complete_profile()
    p.entra.path = EntraPath.CREATE_HERE
    assert result(p, "ENTRA-GA").status is Status.PASS
    evidence(p, "graph.roles", roles=["Application Administrator"])
    assert result(p, "ENTRA-GA").status is Status.WARN
    evidence(p, "graph.roles", roles=[])
    assert result(p, "ENTRA-GA").status is Status.FAIL


def test_client_app_broker_redirect() -> None:
    p = complete_profile()
    p.evidence["graph.apps"].data["client"]["public_client_redirect_uris"] = []
    r = result(p, "ENTRA-CLIENT-APP")
    assert r.status is Status.FAIL
    assert f"ms-appx-web://Microsoft.AAD.BrokerPlugin/{CLIENT_APP}" in r.fix


def test_consent_and_id_token_and_discovery() -> None:
    p = complete_profile()
    p.evidence["graph.apps"].data["client"]["consented_scopes"] = []
    assert "lacks consented" in result(p, "ENTRA-CONSENT").message
    p.evidence["graph.apps"].data["server"]["id_token_issuance"] = False
    r = result(p, "ENTRA-ID-TOKEN")
    assert r.status is Status.WARN and "server" in r.message
    p.entra.user_discovery = True
    assert result(p, "ENTRA-DISCOVERY").status is Status.FAIL
    p.evidence["graph.apps"].data["server"]["app_roles_granted"] = ["Directory.Read.All"]
    assert result(p, "ENTRA-DISCOVERY").status is Status.PASS


def test_app_rules_skip_without_evidence_or_when_configmgr_creates() -> None:
    p = complete_profile()
    del p.evidence["graph.apps"]
    assert result(p, "ENTRA-CONSENT").status is Status.SKIP
    assert result(p, "ENTRA-CONSENT").severity is not Severity.INFO
    p.entra.path = EntraPath.CONFIGMGR_CREATES
    assert result(p, "ENTRA-CONSENT").severity is Severity.INFO


def test_app_evidence_for_other_ids_is_stale_and_a_missing_app_fails() -> None:
    """Issue 10.2: a verification read for other app IDs judges nothing; a missing app is a finding."""
    from cmgtui.model.enums import EntraPath

    p = complete_profile()
    p.entra.path = EntraPath.IMPORT
    p.entra.server_app.app_id = "11111111-1111-4111-8111-111111111111"
    p.entra.client_app.app_id = "22222222-2222-4222-8222-222222222222"
    evidence(p, "graph.apps", server_app_id="99999999-9999-4999-8999-999999999999",
             client_app_id=p.entra.client_app.app_id,
             server={"id_token_issuance": True, "scopes": ["user_impersonation"], "app_roles_granted": []},
             client={"id_token_issuance": True})
    for rule in ("ENTRA-CLIENT-APP", "ENTRA-CONSENT", "ENTRA-ID-TOKEN"):
        found = result(p, rule)
        assert found.status is Status.SKIP and found.message.startswith("Stale"), rule
    evidence(p, "graph.apps", server_app_id=p.entra.server_app.app_id, client_app_id=p.entra.client_app.app_id,
             missing="No server app with app ID 1111… in tenant.")
    assert result(p, "ENTRA-CONSENT").status is Status.FAIL
    assert "No server app" in result(p, "ENTRA-CONSENT").message


def test_app_names_rule() -> None:
    from cmgtui.model.enums import EntraPath

    p = complete_profile()
    p.entra.path = EntraPath.CREATE_HERE
    p.entra.server_app.display_name, p.entra.client_app.display_name = "CMG-App", "cmg-app "
    r = result(p, "ENTRA-APP-NAMES")
    assert r.status is Status.FAIL and r.message == "The server app and the client app need different names."
    p.entra.client_app.display_name = ""
    assert result(p, "ENTRA-APP-NAMES").status is Status.SKIP
    p.entra.client_app.display_name = "CMG-ClientApp"
    assert result(p, "ENTRA-APP-NAMES").status is Status.PASS


def test_azure_service_name_is_required_before_part_2_is_done() -> None:
    """The script creates the Azure service by this name: empty waits, a broken name fails."""
    p = complete_profile()
    p.entra.azure_service_name = ""
    r = result(p, "ENTRA-AZURE-SERVICE")
    assert r.status is Status.SKIP and "Enter a name for the Azure service" in r.message
    p.entra.azure_service_name = "Contoso\ncloud"
    assert result(p, "ENTRA-AZURE-SERVICE").status is Status.FAIL
    p.entra.azure_service_name = "Contoso cloud management"
    r = result(p, "ENTRA-AZURE-SERVICE")
    assert r.status is Status.PASS and "Contoso cloud management" in r.message


@pytest.mark.parametrize(("roles", "discovery", "status", "says"), [
    (["Cloud Application Administrator"], False, Status.WARN, "grant their delegated consent"),
    (["Cloud Application Administrator"], True, Status.WARN, "Privileged Role Administrator or Global Administrator"),
    (["Application Administrator", "Privileged Role Administrator"], True, Status.PASS, "app-role assignment"),
    (["Application Developer"], False, Status.WARN, "cannot grant admin consent"),
    (["Global Administrator"], True, Status.PASS, "Global Administrator"),
])
def test_entra_roles_say_which_step_needs_which_role(roles: list[str], discovery: bool, status: Status,
                                                     says: str) -> None:
    """Domain sheet §4.2: delegated consent by an app administrator, Graph app roles by PRA or GA."""
    p = complete_profile()
    p.entra.path = EntraPath.CREATE_HERE
    p.entra.user_discovery = discovery
    evidence(p, "graph.roles", roles=roles)
    r = result(p, "ENTRA-GA")
    assert r.status is status and says in r.message, r
