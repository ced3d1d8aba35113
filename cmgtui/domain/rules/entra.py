"""Part 2 rules: Microsoft Entra tenant, app registrations, secret and roles (§9 V29-V36).

Evidence read:

* ``graph.roles``: ``{"roles": [str, ...]}`` -- the signed-in user's directory role names.
* ``graph.organization``: ``{"verified_domains": [str, ...]}`` -- the tenant's verified domains.
* ``graph.apps``: ``{"server_app_id": str, "client_app_id": str, "server": {...}, "client": {...}}``
  as read from Microsoft Graph for those two app IDs (a record for other IDs is stale and
  judges nothing), or ``{"server_app_id", "client_app_id", "missing": str}`` when an app with
  one of those IDs does not exist in the tenant (a failed verification):

  - server: ``id_token_issuance`` (bool), ``scopes`` (exposed scope values, list of str),
    ``app_roles_granted`` (Graph application permissions with admin consent, e.g.
    ``["Directory.Read.All"]``);
  - client: ``id_token_issuance`` (bool), ``is_fallback_public_client`` (bool),
    ``public_client_redirect_uris`` (list of str), ``consented_scopes`` (delegated scopes on
    the server app with admin consent, e.g. ``["user_impersonation"]``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cmgtui.domain.rules.results import Phase, RuleResult, Severity
from cmgtui.domain.rules.rulebook import ProfileRule, Verdicts, evidence_age, evidence_data, recorded_for, rule
from cmgtui.domain.validate import app_id_uri_check, app_names_problem, azure_service_name_problem, guid_problem
from cmgtui.model.enums import EntraPath, EntraRole
from cmgtui.model.profile import Profile

RULES: list[ProfileRule] = []
#: The directory role that may make Graph app-role assignments besides Global Administrator.
PRIVILEGED_ROLE_ADMINISTRATOR = "Privileged Role Administrator"
E, W = Severity.ERROR, Severity.WARNING
ENTRA = Phase.ENTRA
SECRET_URGENT_DAYS = 30
SECRET_SOON_DAYS = 60
BROKER_REDIRECT = "ms-appx-web://Microsoft.AAD.BrokerPlugin/{}"
#: The rules a verification of existing apps judges (V31, V33-V36), shown in Part 2's verification table.
APP_RULE_IDS = ("ENTRA-APP-ID-URI", "ENTRA-CLIENT-APP", "ENTRA-CONSENT", "ENTRA-DISCOVERY", "ENTRA-ID-TOKEN")
_CHOOSE_PATH = "Choose how the Entra apps come to exist (ConfigMgr creates them, create here, or import)."


@rule(RULES, "ENTRA-GUIDS", ENTRA, E, "V30")
def guids(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    e = p.entra
    if e.path is None:
        return v.needs(_CHOOSE_PATH)
    typed = p.drafts.get
    fields = [("Tenant ID", typed("entra.tenant_id", e.tenant_id), True),
              ("Server app ID", typed("entra.server_app.app_id", e.server_app.app_id),
               e.path is not EntraPath.CONFIGMGR_CREATES),
              ("Client app ID", typed("entra.client_app.app_id", e.client_app.app_id),
               e.path is not EntraPath.CONFIGMGR_CREATES)]
    bad = [f"{label}: {guid_problem(value)}" for label, value, _ in fields
           if value.strip() and guid_problem(value)]
    if bad:
        return v.failed(bad[0], "Copy the ID from the app's Overview page in the Entra admin center.",
                        "; ".join(bad))
    missing = [label for label, value, required in fields if required and not value.strip()]
    if missing:
        how = "create the apps in Part 2 or " if e.path is EntraPath.CREATE_HERE else ""
        return v.needs(f"Enter the {', '.join(missing)} ({how}copy from the Entra admin center).")
    return v.passed("Tenant and app IDs are GUIDs.")


@rule(RULES, "ENTRA-APP-NAMES", ENTRA, E, "cmg-domain §4")
def app_names(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    """The server and client apps are two registrations: both named, and not alike."""
    e = p.entra
    if e.path is None:
        return v.needs(_CHOOSE_PATH)
    server, client = e.server_app.display_name.strip(), e.client_app.display_name.strip()
    problem = app_names_problem(server, client)
    if problem and (not server or not client):
        return v.needs(problem)
    if problem:
        return v.failed(problem, "Rename one of the apps (e.g. CMG-ServerApp and CMG-ClientApp).", server)
    return v.passed(f"Server app {server}, client app {client}.", f"{server}, {client}")


@rule(RULES, "ENTRA-AZURE-SERVICE", ENTRA, E, "cmg-domain §4")
def azure_service(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    """The Azure service (Administration > Cloud Services > Azure Services) the script creates
    with New-CMCloudManagementAzureService needs a name; Part 2 is not done without it."""
    e = p.entra
    if e.path is None:
        return v.needs(_CHOOSE_PATH)
    typed = p.drafts.get("entra.azure_service_name", e.azure_service_name)
    problem = azure_service_name_problem(typed)
    if problem and not typed.strip():
        return v.needs(problem)
    if problem:
        return v.failed(problem, "Correct the Azure service name in Part 2.", typed)
    return v.passed(f"Azure service {typed.strip()}.", typed.strip())


@rule(RULES, "ENTRA-APP-ID-URI", ENTRA, W, "V31")
def app_id_uri(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    e = p.entra
    uri = e.server_app.app_id_uri.strip()
    if not uri:
        return v.needs(f"Enter the server app's Application ID URI, e.g. api://{e.tenant_id.strip() or '<tenant ID>'}"
                       "/ConfigMgrService.")
    org = evidence_data(p, "graph.organization") or {}
    found = app_id_uri_check(uri, e.tenant_id, org.get("verified_domains", []))
    if found is None:
        read = _current_apps(p)
        uris = [str(u) for u in ((read or {}).get("server") or {}).get("identifier_uris", [])]
        if uris and uri.rstrip("/").lower() not in {u.rstrip("/").lower() for u in uris}:
            strict = Verdicts(v.rule_id, v.phase, Severity.ERROR, v.source)
            return strict.failed(f"The server app's Application ID URI is {', '.join(uris)}, not {uri}.",
                                 "Enter the URI the server app exposes (Expose an API), or change it there.",
                                 evidence_age(p, "graph.apps"))
        return v.passed(f"App ID URI {uri}.", uri)
    severity, message = found
    if severity is Severity.ERROR:
        return _error(v, message, uri)
    return v.failed(message, "Change the App ID URI on the server app (Expose an API) and here.", uri)


def _error(v: Verdicts, message: str, uri: str) -> RuleResult:
    """An unusable URI is an error even though the rule itself is a warning rule."""
    strict = Verdicts(v.rule_id, v.phase, Severity.ERROR, v.source)
    return strict.failed(message, "Enter an absolute URI such as api://<tenant ID>/ConfigMgrService.", uri)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@rule(RULES, "ENTRA-SECRET-EXPIRY", ENTRA, E, "V32")
def secret_expiry(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    e = p.entra
    expiry = e.server_app.secret_expiry
    if expiry is None:
        if e.path is None:
            return v.needs(_CHOOSE_PATH)
        if e.path is EntraPath.CONFIGMGR_CREATES:
            return v.not_needed("ConfigMgr creates the secret and warns in the console before it expires.")
        return v.needs("Enter the server app secret's expiry date.")
    expiry = _utc(expiry)
    left = expiry - _utc(now)
    when = f"{expiry:%Y-%m-%d}"
    if left <= timedelta(0):
        return v.failed(f"Server app secret expired on {when}; connected Azure services have stopped.",
                        "Create a new secret and enter it with Renew Secret Key in the console.", when)
    days = left.days
    if days < SECRET_URGENT_DAYS:
        return v.warned(f"Server app secret expires on {when} (in {days} days); services stop when it expires.",
                        "Renew the secret now (Renew Secret Key in the console).", when)
    if days < SECRET_SOON_DAYS:
        return v.warned(f"Server app secret expires on {when} (in {days} days).",
                        "Plan the secret renewal before it expires.", when)
    note = ""
    if e.path is not EntraPath.CONFIGMGR_CREATES:
        note = " ConfigMgr doesn't warn for imported apps; cmgtui reminds you 60 days before."
    return v.passed(f"Server app secret valid until {when}.{note}", when)


@rule(RULES, "ENTRA-GA", ENTRA, E, "V29")
def global_admin(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if p.entra.path is EntraPath.IMPORT:
        return v.not_needed("Importing existing apps needs no Entra role.")
    data = evidence_data(p, "graph.roles")
    if data is None:
        return v.needs("Sign in to Microsoft Entra ID to check the directory roles.")
    roles = [str(r) for r in data.get("roles", [])]
    if EntraRole.GLOBAL_ADMINISTRATOR.value in roles:
        return v.passed("The signed-in account is a Global Administrator.", evidence_age(p, "graph.roles"))
    eligible = [str(r) for r in data.get("eligible_roles", [])]
    if EntraRole.GLOBAL_ADMINISTRATOR.value in eligible:
        return v.failed("The signed-in account is only eligible for Global Administrator (PIM); the "
                        "role is not active.", "Activate your Global Administrator role in Privileged "
                        "Identity Management, then run the check again.", evidence_age(p, "graph.roles"))
    seen = evidence_age(p, "graph.roles")
    if PRIVILEGED_ROLE_ADMINISTRATOR in roles and p.entra.user_discovery:
        return v.passed("The signed-in account is Privileged Role Administrator: it can make the Graph "
                        "app-role assignment user discovery needs.", seen)
    consenters = [r.value for r in (EntraRole.CLOUD_APPLICATION_ADMINISTRATOR, EntraRole.APPLICATION_ADMINISTRATOR)
                  if r.value in roles]
    if consenters:
        # (domain sheet §4.2: these roles grant delegated consent; Graph app-role assignments need
        # Privileged Role Administrator or Global Administrator; the ConfigMgr docs ask for GA)
        discovery = (" The Graph app-role assignment for user discovery (Directory.Read.All) needs a "
                     "Privileged Role Administrator or Global Administrator." if p.entra.user_discovery else "")
        return v.warned(f"The signed-in account is {consenters[0]}: it can register both apps and grant their "
                        f"delegated consent.{discovery} The Configuration Manager docs ask for a Global "
                        "Administrator.", "Sign in as a Global Administrator, or have one make the step it "
                        "needs.", seen)
    if EntraRole.APPLICATION_DEVELOPER.value in roles:
        return v.warned("The signed-in account is Application Developer: it can register apps but cannot grant "
                        "admin consent for them.", "Have a Global Administrator grant consent, or sign in as one.",
                        seen)
    return v.failed("Creating/consenting the CMG apps needs a Global Administrator.",
                    "Sign in as a Global Administrator, or import apps an administrator created.",
                    evidence_age(p, "graph.roles"))


def _same_id(recorded: object, entered: str) -> bool:
    """True when a recorded app ID is the one entered (or nothing was recorded/entered)."""
    return recorded_for({"id": str(recorded or "").strip("{}")}, "id", entered.strip().strip("{}"))


def _current_apps(p: Profile) -> dict[str, Any] | None:
    """The ``graph.apps`` record when it was read for the app IDs entered now and found both apps."""
    data = evidence_data(p, "graph.apps")
    if data is None or "missing" in data:
        return None
    if not (_same_id(data.get("server_app_id"), p.entra.server_app.app_id)
            and _same_id(data.get("client_app_id"), p.entra.client_app.app_id)):
        return None
    return data


def _apps(v: Verdicts, p: Profile) -> RuleResult | tuple[dict[str, Any], dict[str, Any]]:
    if p.entra.path is None:
        return v.needs(_CHOOSE_PATH)
    if p.entra.path is EntraPath.CONFIGMGR_CREATES:
        return v.not_needed("ConfigMgr configures the apps it creates.")
    data = evidence_data(p, "graph.apps")
    if data is None:
        return v.needs("Run the Entra app check in Part 2 to read the app settings.")
    server_id, client_id = data.get("server_app_id", ""), data.get("client_app_id", "")
    if not (_same_id(server_id, p.entra.server_app.app_id) and _same_id(client_id, p.entra.client_app.app_id)):
        return v.needs(f"Stale: the app settings were read for server app {server_id} and client app "
                       f"{client_id}, not the IDs entered now; choose Verify again.")
    if "missing" in data:
        return v.failed(str(data["missing"]),
                        "Check the app ID you entered and that you signed in to the right tenant.",
                        evidence_age(p, "graph.apps"))
    return dict(data.get("server") or {}), dict(data.get("client") or {})


@rule(RULES, "ENTRA-CLIENT-APP", ENTRA, E, "V33")
def client_app(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    got = _apps(v, p)
    if isinstance(got, RuleResult):
        return got
    _, client = got
    expected = BROKER_REDIRECT.format(p.entra.client_app.app_id.strip())
    uris = [str(u) for u in client.get("public_client_redirect_uris", [])]
    if client.get("is_fallback_public_client") is True and expected in uris:
        return v.passed("The client app is a public client with the broker redirect URI.", expected)
    return v.failed("Client app isn't configured as a public client with the broker redirect URI.",
                    f"On the client app add platform 'Mobile and desktop applications' with {expected} and set "
                    "'Allow public client flows' to Yes.", ", ".join(uris) or "no redirect URIs")


@rule(RULES, "ENTRA-CONSENT", ENTRA, E, "V34")
def consent(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    got = _apps(v, p)
    if isinstance(got, RuleResult):
        return got
    server, client = got
    if "user_impersonation" not in server.get("scopes", []):
        return v.failed("The server app doesn't expose the 'user_impersonation' scope.",
                        "On the server app, Expose an API: add scope user_impersonation (admins and users).")
    if "user_impersonation" not in client.get("consented_scopes", []):
        return v.failed("Client app lacks consented 'user_impersonation' on the server app.",
                        "Add the delegated permission to the server app on the client app and grant admin consent.")
    return v.passed("The client app has consented 'user_impersonation' on the server app.")


@rule(RULES, "ENTRA-DISCOVERY", ENTRA, E, "V35")
def discovery(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not p.entra.user_discovery:
        return v.not_needed("Entra user discovery isn't used.")
    got = _apps(v, p)
    if isinstance(got, RuleResult):
        return got
    server, _ = got
    if "Directory.Read.All" in server.get("app_roles_granted", []):
        return v.passed("The server app has consented Directory.Read.All.")
    return v.failed("Entra user discovery needs Directory.Read.All (application) with admin consent.",
                    "Add Microsoft Graph application permission Directory.Read.All to the server app and "
                    "grant admin consent.")


@rule(RULES, "ENTRA-ID-TOKEN", ENTRA, W, "V36")
def id_token(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    got = _apps(v, p)
    if isinstance(got, RuleResult):
        return got
    server, client = got
    off = [name for name, app in (("server", server), ("client", client)) if app.get("id_token_issuance") is not True]
    if off:
        return v.failed(f"ID token issuance is off on the {' and '.join(off)} app.",
                        "Enable ID token issuance (implicit flow) on the app (Authentication page).")
    return v.passed("ID token issuance is on for both apps.")
