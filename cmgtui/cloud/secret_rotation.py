"""Rotating the server app's client secret through Microsoft Graph, old secret kept until confirmed.

:func:`add_rotation_secret` adds the new secret (``addPassword``, via the Graph gateway) and
records its key ID and expiry in the profile, with the old key ID kept as a pending rotation;
:func:`remove_old_secret` removes the old one (``removePassword``, Graph reference
``application-removepassword.md``: 204 No Content) and refuses unless the administrator
confirmed that the site uses the new secret. The secret text is returned once to the caller
and never logged or stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cmgtui.domain.runbooks.rotate_secret import (
    PendingRotation,
    finish_rotation,
    pending_rotation,
    record_new_secret,
)

if TYPE_CHECKING:
    from cmgtui.cloud.graph import GraphGateway
    from cmgtui.cloud.retry import LogFn
    from cmgtui.cloud.models import ClientSecret
    from cmgtui.model import Profile


class RotationRefused(Exception):
    """The old secret may not be removed (yet); the message says why."""


def _quiet(_line: str) -> None:
    """Default log function."""


async def add_rotation_secret(graph: GraphGateway, profile: Profile,
                              log: LogFn = _quiet) -> tuple[ClientSecret, PendingRotation]:
    """Add a new secret to the server app and record it (the old one stays valid)."""
    server = profile.entra.server_app
    object_id = server.object_id.strip()
    if not object_id:
        raise RotationRefused("The profile has no object ID for the server app; look the app up in Part 2 first.")
    if pending_rotation(profile) is not None:
        raise RotationRefused("A new secret was already added and the old one is still kept: confirm the site "
                              "uses the new secret (or remove it) before adding another.")
    months = int(profile.entra.secret_lifetime.value)
    secret = await graph.add_client_secret(object_id, months, display_name="cmgtui rotation", log=log)
    expiry = datetime.fromisoformat(secret.end_date_time.replace("Z", "+00:00")).astimezone(UTC)
    return secret, record_new_secret(profile, object_id, secret.key_id, expiry)


async def remove_old_secret(graph: GraphGateway, profile: Profile, *, confirmed: bool,
                            log: LogFn = _quiet) -> str:
    """Remove the old secret of the pending rotation once ``confirmed``; returns its key ID."""
    pending = pending_rotation(profile)
    if pending is None:
        raise RotationRefused("No rotation is waiting: add a new secret first.")
    if not confirmed:
        raise RotationRefused("The old secret is kept until you confirm that the site uses the new one "
                              "(Renew Secret Key in the console).")
    if pending.old_key_id:
        from uuid import UUID

        from msgraph.generated.applications.item.remove_password.remove_password_post_request_body import (
            RemovePasswordPostRequestBody,
        )

        body = RemovePasswordPostRequestBody(key_id=UUID(pending.old_key_id))
        log(f"Removing the old client secret (key ID {pending.old_key_id})")
        await graph.call(
            lambda: graph.client.applications.by_application_id(pending.app_object_id).remove_password.post(body),
            "remove the old client secret", idempotent=True, log=log)
    finish_rotation(profile)
    return pending.old_key_id
