"""Runbook ``rotate-secret``: the server app's client secret renewed the way the app came to exist.

Who renews depends on who made the app, which the profile records in Part 2 (``entra.path``):

* **Created by Configuration Manager** (the console's Create Server Application): the
  console's Renew Secret Key makes the new secret itself after an administrator signs in
  (memdocs ``core/servers/deploy/configure/azure-services-wizard.md``, "Renew key for created
  app"). cmgtui adds no secret: one added through Graph would stay unused in the tenant. From
  2409 the renewal dialog offers four validity periods, refuses apps older than 800 days and
  needs a Global Administrator (``core/plan-design/changes/whats-new-in-version-2409.md``).
  Afterwards cmgtui reads the app's secrets back from the tenant.
* **Imported** (registered outside the console, by hand or by cmgtui, then imported): a new
  secret is added through Graph (``addPassword``) and written to a file first; the admin
  enters it and its expiry in the Renew Secret Key wizard ("Renew key for imported app");
  only after the admin confirms is the old secret removed (``removePassword``).

The expiry calendar shows the secret the site uses and that exists in the tenant: a new
secret becomes the current one when the old is removed, and reading the tenant replaces the
profile's key ID and expiry by what the tenant holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cmgtui.domain.powershell.prelude import IND
from cmgtui.domain.powershell.quoting import ps_string
from cmgtui.domain.rules.versions import SECRET_RENEWAL_DIALOG_VERSION
from cmgtui.domain.runbooks.common import Runbook, script_head, script_tail
from cmgtui.model.enums import EntraPath
from cmgtui.model.profile import Evidence, Profile

NAME = "rotate-secret"
TITLE = "Rotate the server app's client secret"
#: Evidence key of a rotation waiting for the admin's confirmation.
PENDING_KEY = "entra.secret_rotation"
#: Evidence key of the server app's secrets as last read from the tenant.
TENANT_KEY = "graph.server_app_secrets"
#: From 2409 the console refuses to renew the secret of an app older than this (whats-new-in-version-2409.md).
MAX_RENEWABLE_APP_AGE_DAYS = 800


class AppOrigin(StrEnum):
    """Who made the server app, as far as Configuration Manager is concerned."""

    CREATED = "created"  # the console's Create Server Application made it
    IMPORTED = "imported"  # registered elsewhere (by hand or by cmgtui), then imported


def app_origin(profile: Profile) -> AppOrigin | None:
    """The origin Part 2 records; None when the path is not chosen yet."""
    path = profile.entra.path
    if path is EntraPath.CONFIGMGR_CREATES:
        return AppOrigin.CREATED
    if path in (EntraPath.IMPORT, EntraPath.CREATE_HERE):
        return AppOrigin.IMPORTED
    return None


@dataclass(frozen=True, slots=True)
class PendingRotation:
    """A new secret added (and written to a file) while the old one is still in use."""

    app_object_id: str
    old_key_id: str
    new_key_id: str
    new_expiry: str
    secret_file: str = ""

    def to_evidence(self) -> Evidence:
        """Stored in the profile until the old secret is removed (no secret text, only IDs)."""
        return Evidence(source=PENDING_KEY, summary=f"New secret {self.new_key_id} added; old {self.old_key_id} kept",
                        data={"app_object_id": self.app_object_id, "old_key_id": self.old_key_id,
                              "new_key_id": self.new_key_id, "new_expiry": self.new_expiry,
                              "secret_file": self.secret_file})


def pending_rotation(profile: Profile) -> PendingRotation | None:
    """The rotation waiting for confirmation, if any."""
    evidence = profile.evidence.get(PENDING_KEY)
    if evidence is None:
        return None
    data: dict[str, Any] = evidence.data
    try:
        return PendingRotation(str(data["app_object_id"]), str(data.get("old_key_id", "")),
                               str(data["new_key_id"]), str(data["new_expiry"]), str(data.get("secret_file", "")))
    except KeyError:
        return None


def record_new_secret(profile: Profile, app_object_id: str, key_id: str, expiry: datetime,
                      secret_file: str = "") -> PendingRotation:
    """Remember a new secret as pending; the site still uses the old one, which stays current."""
    pending = PendingRotation(app_object_id, profile.entra.server_app.secret_key_id, key_id, expiry.isoformat(),
                              secret_file)
    profile.evidence[PENDING_KEY] = pending.to_evidence()
    return pending


def finish_rotation(profile: Profile) -> None:
    """The old secret is gone: the new one becomes the current secret and the pending record goes."""
    pending = pending_rotation(profile)
    if pending is not None:
        server = profile.entra.server_app
        server.secret_key_id = pending.new_key_id
        server.secret_expiry = datetime.fromisoformat(pending.new_expiry)
    profile.evidence.pop(PENDING_KEY, None)


@dataclass(frozen=True, slots=True)
class TenantSecret:
    """One password credential of the server app as Graph lists it (never its text)."""

    key_id: str
    start: datetime | None
    end: datetime
    display_name: str = ""


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def adopt_tenant_secrets(profile: Profile, secrets: list[TenantSecret], app_created: datetime | None,
                         now: datetime | None = None) -> str:
    """Make the profile's current secret what the tenant holds; returns one sentence saying what.

    A console-created app uses the secret the console made last (the newest); an imported app
    uses the one the admin entered, which is the profile's own key while it exists (the
    newest otherwise). The tenant's creation date of the app is kept for the 800-day rule.
    """
    moment = _utc(now or datetime.now(UTC))
    server = profile.entra.server_app
    profile.evidence[TENANT_KEY] = Evidence(
        source=TENANT_KEY, summary=f"{len(secrets)} client secret(s) on the server app", observed_at=moment,
        data={"app_created": app_created.isoformat() if app_created else "",
              "secrets": [{"key_id": s.key_id, "end": s.end.isoformat()} for s in secrets]})
    if not secrets:
        server.secret_key_id, server.secret_expiry = "", None
        return "The server app has no client secret in the tenant."
    by_key = {s.key_id.lower(): s for s in secrets}
    own = by_key.get(server.secret_key_id.strip().lower())
    newest = max(secrets, key=lambda s: (_utc(s.start) if s.start else _utc(s.end), _utc(s.end)))
    chosen = own if own is not None and app_origin(profile) is not AppOrigin.CREATED else newest
    server.secret_key_id, server.secret_expiry = chosen.key_id, _utc(chosen.end)
    others = len(secrets) - 1
    tail = f"; {others} other secret(s) exist" if others else ""
    return f"Current secret: key ID {chosen.key_id}, expires {_utc(chosen.end):%Y-%m-%d}{tail}."


def app_age_days(profile: Profile, now: datetime | None = None) -> int | None:
    """Days since the tenant created the server app, when a read of the tenant recorded it."""
    evidence = profile.evidence.get(TENANT_KEY)
    created = str(evidence.data.get("app_created", "")) if evidence is not None else ""
    if not created:
        return None
    try:
        moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (_utc(now or datetime.now(UTC)) - _utc(moment)).days


def _names(profile: Profile) -> tuple[str, str]:
    server = profile.entra.server_app
    name = server.display_name.strip() or "the server app"
    app = f"{name}{' (' + server.app_id.strip() + ')' if server.app_id.strip() else ''}"
    tenant = profile.entra.tenant_name.strip() or profile.entra.tenant_id.strip() or "your tenant"
    return app, tenant


def _open_tenant(tenant: str) -> str:
    return (f"Administration > Cloud Services > Microsoft Entra tenants (formerly Azure Active Directory Tenants): "
            f"select the tenant {tenant}.")


def created_app_steps(profile: Profile) -> tuple[str, ...]:
    """The console's Renew Secret Key for an app the console created, as the site version has it."""
    app, tenant = _names(profile)
    version = profile.site.site_version
    sign_in = {
        True: "Sign in with a Global Administrator of the tenant, choose one of the four validity periods the "
              "dialog offers, then select Renew.",
        False: "Enter the credentials of the app owner or a Microsoft Entra administrator (at least Cloud "
               "Application Administrator).",
    }
    if version is None:
        how = (f"Site version not in the profile (Checklist / Site). From {SECRET_RENEWAL_DIALOG_VERSION}: "
               + sign_in[True] + f" Before {SECRET_RENEWAL_DIALOG_VERSION}: " + sign_in[False])
    else:
        how = sign_in[version >= SECRET_RENEWAL_DIALOG_VERSION]
    return (
        _open_tenant(tenant),
        f"Select {app} and choose Renew Secret Key in the ribbon.",
        how,
        "Configuration Manager makes the new secret itself and uses it: there is nothing to copy.",
        "Back in cmgtui, choose Read tenant (Day two pane): the expiry calendar then shows the secret the "
        "console made.",
    )


def imported_app_steps(profile: Profile) -> tuple[str, ...]:
    """Handing a secret cmgtui added to the site, for an imported app."""
    app, tenant = _names(profile)
    return (
        "In cmgtui (Day two pane), choose New secret: name a new file first; the secret is written there "
        "(readable by you only) before anything else, and shown once.",
        _open_tenant(tenant),
        f"Select {app} and choose Renew Secret Key in the ribbon; enter the new secret key and its expiry date.",
        "Run the script below (or look at the tenant node) and check that the secret expiry is the new one.",
        "Come back to cmgtui and choose Remove old to confirm: only then is the old secret removed from the app.",
    )


def rotation_runbook(profile: Profile, now: datetime | None = None) -> Runbook:
    """Checks, console steps and the read-only script for the ConfigMgr side, by the app's origin."""
    entra = profile.entra
    server = entra.server_app
    origin = app_origin(profile)
    version = profile.site.site_version
    blockers = [text for text, missing in (
        ("The profile has no server app ID (Part 2).", not server.app_id.strip()),
        ("The profile has no tenant ID (Part 2).", not entra.tenant_id.strip()),
        ("The profile has no site code (Checklist / Site).", not profile.site.site_code.strip()),
        ("The profile has no site server (Checklist / Site).", not profile.site.site_server.strip()),
        ("Part 2 doesn't say whether Configuration Manager created the apps or they were imported: choose how "
         "the apps come to exist in Part 2; the renewal differs.", origin is None),
    ) if missing]
    checks: list[str] = []
    if server.secret_expiry is not None:
        checks.append(f"Current secret (key ID {server.secret_key_id or 'unknown'}) expires {server.secret_expiry:%Y-%m-%d}.")
    notes: list[str] = []
    age = app_age_days(profile, now)
    renewal_rules = version is None or version >= SECRET_RENEWAL_DIALOG_VERSION
    if origin is AppOrigin.CREATED:
        notes.append("Configuration Manager created this app: its Renew Secret Key makes the new secret itself "
                     "after you sign in. cmgtui adds no secret (one added here would stay unused in the tenant).")
        if age is not None and age > MAX_RENEWABLE_APP_AGE_DAYS and renewal_rules:
            text = (f"The tenant created this app {age} days ago: from {SECRET_RENEWAL_DIALOG_VERSION} Renew Secret "
                    f"Key refuses apps older than {MAX_RENEWABLE_APP_AGE_DAYS} days. Plan a new server app (Part 2) "
                    "for the Cloud Management Azure service.")
            (notes if version is None else blockers).append(text)
        steps = created_app_steps(profile)
    elif origin is AppOrigin.IMPORTED:
        if not server.object_id.strip():
            blockers.append("The profile has no object ID for the server app: look it up in Part 2 (sign in) so "
                            "cmgtui can add the new secret through Microsoft Graph.")
        notes += ["cmgtui adds the new secret through Microsoft Graph (Day two pane) and writes it to the new file "
                  "you name before anything else; if the file can't be written, the secret is removed again. The "
                  "profile keeps only its key ID and expiry.",
                  "The old secret stays the current one, and keeps working, until you confirm the site uses the "
                  "new one; then cmgtui removes it."]
        if age is not None and age > MAX_RENEWABLE_APP_AGE_DAYS and renewal_rules:
            notes.append(f"The tenant created this app {age} days ago; the {SECRET_RENEWAL_DIALOG_VERSION} release "
                         f"notes say Renew Secret Key refuses apps older than {MAX_RENEWABLE_APP_AGE_DAYS} days.")
        steps = imported_app_steps(profile)
    else:
        steps = ()
    pending = pending_rotation(profile)
    if pending is not None:
        where = f" (in {pending.secret_file})" if pending.secret_file else ""
        notes.insert(0, f"A new secret ({pending.new_key_id}, expires {pending.new_expiry[:10]}){where} was added; "
                        f"the old one ({pending.old_key_id or 'unknown key ID'}) is kept until you confirm.")
    if blockers:
        return Runbook(NAME, TITLE, tuple(checks), tuple(blockers), console_steps=steps, notes=tuple(notes))
    return Runbook(NAME, TITLE, tuple(checks), (), _check_script(profile), steps, tuple(notes))


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
