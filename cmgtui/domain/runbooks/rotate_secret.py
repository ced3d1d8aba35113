"""Runbook ``rotate-secret``: a new client secret for the server app, handed to the site, then the old one removed.

Steps: (1) cmgtui adds a new secret to the server app through Graph (``addPassword``), shows
it once (or writes it to a new 0600 file) and records only its key ID and expiry; (2) the
admin gives it to the site: no cmdlet updates an app's secret (the cmdlet reference has
only Import-/Get-CMAADApplication), so this is the console's Renew Secret Key wizard (memdocs
core/servers/deploy/configure/azure-services-wizard.md, Renew secret key; for an imported app
the wizard takes the new key and its expiry); (3) the script below shows the site's view of
the app; (4) only after the admin confirms the site uses the new secret does cmgtui remove
the old one (``removePassword``). Until then both secrets work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cmgtui.domain.powershell.prelude import IND
from cmgtui.domain.powershell.quoting import ps_string
from cmgtui.domain.runbooks.common import Runbook, script_head, script_tail
from cmgtui.model.profile import Evidence, Profile

NAME = "rotate-secret"
TITLE = "Rotate the server app's client secret"
#: Evidence key of a rotation waiting for the admin's confirmation.
PENDING_KEY = "entra.secret_rotation"


@dataclass(frozen=True, slots=True)
class PendingRotation:
    """A new secret that was added while the old one is still kept."""

    app_object_id: str
    old_key_id: str
    new_key_id: str
    new_expiry: str

    def to_evidence(self) -> Evidence:
        """Stored in the profile until the old secret is removed (no secret text, only IDs)."""
        return Evidence(source=PENDING_KEY, summary=f"New secret {self.new_key_id} added; old {self.old_key_id} kept",
                        data={"app_object_id": self.app_object_id, "old_key_id": self.old_key_id,
                              "new_key_id": self.new_key_id, "new_expiry": self.new_expiry})


def pending_rotation(profile: Profile) -> PendingRotation | None:
    """The rotation waiting for confirmation, if any."""
    evidence = profile.evidence.get(PENDING_KEY)
    if evidence is None:
        return None
    data: dict[str, Any] = evidence.data
    try:
        return PendingRotation(str(data["app_object_id"]), str(data.get("old_key_id", "")),
                               str(data["new_key_id"]), str(data["new_expiry"]))
    except KeyError:
        return None


def record_new_secret(profile: Profile, app_object_id: str, key_id: str, expiry: datetime) -> PendingRotation:
    """Record the new key ID and expiry on the server app, keeping the old key ID as pending."""
    server = profile.entra.server_app
    pending = PendingRotation(app_object_id, server.secret_key_id, key_id, expiry.isoformat())
    server.secret_key_id = key_id
    server.secret_expiry = expiry
    profile.evidence[PENDING_KEY] = pending.to_evidence()
    return pending


def finish_rotation(profile: Profile) -> None:
    """Forget the pending rotation once the old secret is gone."""
    profile.evidence.pop(PENDING_KEY, None)


def console_steps(profile: Profile) -> tuple[str, ...]:
    """Giving the new secret to the site, in the console."""
    server = profile.entra.server_app
    name = server.display_name.strip() or "the server app"
    tenant = profile.entra.tenant_name.strip() or profile.entra.tenant_id.strip() or "your tenant"
    return (
        f"Administration > Cloud Services > Microsoft Entra Tenants (Azure Active Directory Tenants): select {tenant}.",
        f"Select {name}{' (' + server.app_id + ')' if server.app_id.strip() else ''} and choose Renew Secret Key in the ribbon.",
        "For an app the site imported, enter the new secret and its expiry date shown by cmgtui; for an app the "
        "site created, the wizard asks for the credentials of the app owner or an Entra administrator.",
        "Run the script below (or look at the tenant node) and check that the secret expiry is the new one.",
        "Come back to cmgtui and confirm: only then is the old secret removed from the app.",
    )


def rotation_runbook(profile: Profile) -> Runbook:
    """Checks, console steps and the read-only script for the ConfigMgr side."""
    entra = profile.entra
    server = entra.server_app
    blockers = [text for text, missing in (
        ("The profile has no server app ID (Part 2).", not server.app_id.strip()),
        ("The profile has no tenant ID (Part 2).", not entra.tenant_id.strip()),
        ("The profile has no site code (Checklist / Site).", not profile.site.site_code.strip()),
        ("The profile has no site server (Checklist / Site).", not profile.site.site_server.strip()),
    ) if missing]
    checks: list[str] = []
    if server.secret_expiry is not None:
        checks.append(f"Current secret (key ID {server.secret_key_id or 'unknown'}) expires {server.secret_expiry:%Y-%m-%d}.")
    if not server.object_id.strip():
        blockers.append("The profile has no object ID for the server app: look it up in Part 2 (sign in) so cmgtui "
                        "can add the new secret through Microsoft Graph.")
    notes = ["cmgtui adds the new secret through Microsoft Graph (Day two pane); it is shown once and can be "
             "written to a new file only you can read. The profile keeps only its key ID and expiry.",
             "The old secret keeps working until you confirm the site uses the new one; then cmgtui removes it."]
    pending = pending_rotation(profile)
    if pending is not None:
        notes.insert(0, f"A new secret ({pending.new_key_id}, expires {pending.new_expiry[:10]}) was added; the old "
                        f"one ({pending.old_key_id or 'unknown key ID'}) is kept until you confirm.")
    if blockers:
        return Runbook(NAME, TITLE, tuple(checks), tuple(blockers), console_steps=console_steps(profile),
                       notes=tuple(notes))
    return Runbook(NAME, TITLE, tuple(checks), (), _check_script(profile), console_steps(profile), tuple(notes))


def _check_script(profile: Profile) -> str:
    server = profile.entra.server_app
    lines = script_head(
        "Shows the server app as the site knows it, to check a secret renewal.",
        ["Generated by cmgtui (runbook rotate-secret). No cmdlet renews an app's secret: use the",
         "console's Renew Secret Key wizard first, then run this script; it changes nothing."],
        [("string", "TenantId", ps_string(profile.entra.tenant_id.strip())),
         ("string", "ServerAppClientId", ps_string(server.app_id.strip()))],
        profile.site.site_code.strip(), profile.site.site_server.strip())
    lines += [
        f"{IND}$serverApp = Get-CMAADApplication -TenantId $TenantId -AppType ServerApplication -ClientId $ServerAppClientId",
        f"{IND}if (-not $serverApp) {{",
        f"{IND}{IND}throw ('The site has no server app {{0}} in tenant {{1}}.' -f $ServerAppClientId, $TenantId)",
        f"{IND}}}",
        f"{IND}$serverApp",
        *script_tail(),
    ]
    return "\n".join(lines)
