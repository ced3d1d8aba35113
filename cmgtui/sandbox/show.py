"""What the rehearsal tenant holds, for ``cmgtui sandbox show`` (text or JSON) and for tests.

The summary lists apps with their app IDs and secrets (key ID, hint and expiry only: the
sandbox never keeps a secret's text), service principals, consent grants, app role
assignments, and per subscription its state, the user's roles, providers and resource groups.
"""

from __future__ import annotations

from typing import Any

from cmgtui.sandbox.state import GRAPH_SP_ID, TenantState


def tenant_summary(state: TenantState) -> dict[str, Any]:
    """A JSON-ready summary of ``state`` (apps, principals, secrets, grants, subscriptions)."""
    with state.lock:
        sp_names = {sp["id"]: sp["displayName"] for sp in state.service_principals.values()}
        return {
            "tenant": {"id": state.tenant_id, "name": state.tenant_name,
                       "verified_domains": [d["name"] for d in state.verified_domains()]},
            "user": {"directory_roles": list(state.user_roles), "eligible_roles": list(state.eligible_roles)},
            "applications": [{
                "display_name": app["displayName"], "app_id": app["appId"], "object_id": app["id"],
                "identifier_uris": list(app.get("identifierUris") or []),
                "secrets": [{"key_id": p["keyId"], "hint": p.get("hint"), "expires": p.get("endDateTime")}
                            for p in app.get("passwordCredentials") or []],
            } for app in sorted(state.applications.values(), key=lambda a: a["createdDateTime"])],
            "service_principals": [{"display_name": sp["displayName"], "app_id": sp["appId"], "object_id": sp["id"]}
                                   for sp in state.service_principals.values() if sp["id"] != GRAPH_SP_ID],
            "grants": [{"client": sp_names.get(g["clientId"], g["clientId"]),
                        "resource": sp_names.get(g["resourceId"], g["resourceId"]),
                        "consent_type": g["consentType"], "scope": g["scope"]} for g in state.grants.values()],
            "app_role_assignments": [{"principal": a["principalDisplayName"], "resource": a["resourceDisplayName"],
                                      "app_role_id": a["appRoleId"]} for a in state.app_role_assignments],
            "subscriptions": [{
                "id": sub, "name": data["displayName"], "state": data["state"],
                "roles": list(state.subscription_roles.get(sub, [])),
                "providers": {ns: p.state for ns, p in state.providers.get(sub, {}).items()},
                "resource_groups": [{"name": name, "location": rg["location"]}
                                    for name, rg in state.resource_groups.get(sub, {}).items()],
            } for sub, data in state.subscriptions.items()],
        }


def summary_text(summary: dict[str, Any]) -> str:
    """The summary as lines for a terminal."""
    tenant = summary["tenant"]
    lines = [f"Tenant {tenant['name']} ({tenant['id']})",
             f"  verified domains: {', '.join(tenant['verified_domains'])}",
             f"  your directory roles: {', '.join(summary['user']['directory_roles']) or 'none'}"
             + (f"; eligible (PIM): {', '.join(summary['user']['eligible_roles'])}"
                if summary["user"]["eligible_roles"] else ""),
             "", f"Applications ({len(summary['applications'])})"]
    for app in summary["applications"]:
        lines.append(f"  {app['display_name']}  app ID {app['app_id']}  object ID {app['object_id']}")
        for uri in app["identifier_uris"]:
            lines.append(f"    identifier URI {uri}")
        secrets = app["secrets"]
        lines.append(f"    secrets: {len(secrets)}" + "".join(
            f"\n      key ID {s['key_id']} (hint {s['hint']}…, expires {str(s['expires'])[:10]})" for s in secrets))
    lines += ["", f"Service principals ({len(summary['service_principals'])})"]
    lines += [f"  {sp['display_name']}  app ID {sp['app_id']}" for sp in summary["service_principals"]]
    lines += ["", f"Admin consent grants ({len(summary['grants'])})"]
    lines += [f"  {g['client']} → {g['resource']}: {g['scope']} ({g['consent_type']})" for g in summary["grants"]]
    lines += ["", f"App role assignments ({len(summary['app_role_assignments'])})"]
    lines += [f"  {a['principal']} → {a['resource']} ({a['app_role_id']})" for a in summary["app_role_assignments"]]
    for sub in summary["subscriptions"]:
        lines += ["", f"Subscription {sub['name']} ({sub['id']}), {sub['state']}",
                  f"  your roles: {', '.join(sub['roles']) or 'none'}",
                  "  providers: " + ", ".join(f"{ns} {st}" for ns, st in sub["providers"].items()),
                  "  resource groups: " + (", ".join(f"{g['name']} ({g['location']})"
                                                     for g in sub["resource_groups"]) or "none")]
    return "\n".join(lines) + "\n"
