"""Texts of the Part 2 pane: the three paths, the roles line, the values to carry, the confirmation.

Pure functions of the profile (no widgets), so the pane stays small and the wording is in one
place. Facts from the domain sheet §3.2 and §4.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from cmgtui.domain.display_text import visible
from cmgtui.domain.rules.rulebook import evidence_data
from cmgtui.model import Profile
from cmgtui.model.enums import EntraPath, SecretLifetime
from cmgtui.widgets.token_wrap import TokenWrap

PATH_OPTIONS = [
    ("Configuration Manager creates them (console wizard)", EntraPath.CONFIGMGR_CREATES),
    ("Create them here through Microsoft Graph", EntraPath.CREATE_HERE),
    ("Import existing apps by app ID and verify them", EntraPath.IMPORT),
]
LIFETIME_OPTIONS = [("12 months", SecretLifetime.MONTHS_12), ("24 months", SecretLifetime.MONTHS_24)]
NOT_KNOWN = "not known yet"


def configmgr_text() -> Text:
    """What the Global Administrator does in the console wizard, and what follows."""
    text = Text()
    text.append("In the console a Global Administrator signs in once to create both apps:\n", style="bold")
    text.append(
        "1. Administration > Cloud Services > Azure Services > Configure Azure Services; name it, choose "
        "Cloud Management and the Azure environment.\n"
        "2. Web app > Browse > Create: application name, App ID URI (change the default "
        "https://ConfigMgrService to api://<tenant ID>/ConfigMgrService), secret key validity 1 or 2 years; "
        "sign in as Global Administrator (the credentials aren't stored).\n"
        "3. Native client app > Browse > Create: application name; sign in again.\n"
        "4. Optionally turn on Microsoft Entra user discovery; finish. The tenant appears under Cloud "
        "Services > Microsoft Entra tenants.\n")
    text.append("What follows: ", style="bold")
    text.append(
        "the console warns before the secret of apps it created expires (imported apps get no such "
        "notice), and Renew Secret Key needs at least a Cloud Application Administrator (from 2409 a "
        "Global Administrator). Enter the tenant "
        "ID and name here afterwards so later parts can use them.")
    return text


def roles_text(profile: Profile, user: str) -> Text:
    """Who is signed in and the directory roles the last live check found."""
    data = evidence_data(profile, "graph.roles")
    text = Text()
    if not user:
        text.append("Not signed in. Press F3 to sign in with an account that can create app registrations "
                    "(Global Administrator).", style="italic")
        return text
    if data is None:
        text.append(f"Signed in as {visible(user)}. Roles not checked yet: choose Check roles.", style="italic")
        return text
    roles = [str(r) for r in data.get("roles", [])]
    who = str(data.get("user") or user)
    text.append(f"Signed in as {visible(who)}; directory roles: ")
    text.append(visible(", ".join(roles)) or "none of the admin roles", style="bold")
    org = evidence_data(profile, "graph.organization")
    if org is not None:
        text.append(f"\nTenant: {visible(org.get('display_name', ''))} ({visible(org.get('tenant_id', ''))})")
    return text


def carry_values(profile: Profile) -> list[tuple[str, str]]:
    """The values Configuration Manager asks for, label and value (empty when unknown)."""
    entra = profile.entra
    expiry = entra.server_app.secret_expiry
    return [
        ("Azure service", entra.azure_service_name.strip()),
        ("Tenant name", entra.tenant_name.strip()),
        ("Tenant ID", entra.tenant_id.strip()),
        ("Server app ID", entra.server_app.app_id.strip()),
        ("Client app ID", entra.client_app.app_id.strip()),
        ("App ID URI", entra.server_app.app_id_uri.strip()),
        ("Secret expiry", f"{expiry:%Y-%m-%d}" if expiry else ""),
    ]


def values_line(label: str, value: str) -> Group:
    """One row of the values list: the label, then the value whole on the next line (wrapped
    only between tokens, so an ID or URI is never cut), or 'not known yet'."""
    if not value:
        return Group(Text.assemble((f"{label}: ", "dim"), (NOT_KNOWN, "italic")))
    return Group(Text(label, style="dim"), TokenWrap(value, style="bold", indent=0))


def confirm_text(tenant_id: str, tenant_name: str, server: str, client: str, uri: str, months: int,
                 discovery: bool, kept_secret_key: str = "") -> str:
    """The exact list of what creation adds to the tenant, for the confirmation.

    ``kept_secret_key`` is the key ID of the secret an earlier creation saved to a file: a run
    again reuses that server app and keeps its secret, adding none (so none is promised).
    """
    graph = ("Microsoft Graph application permission Directory.Read.All with admin consent"
             if discovery else "Microsoft Graph delegated User.Read")
    secret = (f"• No new client secret: '{server}' keeps the one saved earlier (key ID {kept_secret_key}); "
              "Day two → Rotate secret makes a new one\n" if kept_secret_key else
              f"• A client secret on '{server}' valid for {months} months (shown once)\n")
    return (
        f"Create in tenant {tenant_name or tenant_id} ({tenant_id}):\n"
        f"• App registration '{server}' (web, single tenant): redirect http://localhost, ID tokens on, "
        f"App ID URI {uri}, scope user_impersonation, {graph}\n"
        f"{secret}"
        f"• App registration '{client}' (public client, ID tokens on) with the broker redirect URI\n"
        f"• Service principals for both apps\n"
        f"• Admin consent: '{client}' → '{server}' user_impersonation, and Microsoft Graph User.Read\n"
        "Apps that already exist (created by cmgtui) are reused, not duplicated."
    )
