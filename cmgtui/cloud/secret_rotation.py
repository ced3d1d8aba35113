"""Rotating the server app's client secret through Microsoft Graph, old secret kept until confirmed.

:func:`add_rotation_secret` adds the new secret (``addPassword``, via the Graph gateway);
the caller records its key ID and expiry with
:func:`cmgtui.domain.runbooks.rotate_secret.record_new_secret`, which keeps the old key ID as
a pending rotation. :func:`remove_old_secret` removes the old one (``removePassword``, Graph
reference ``application-removepassword.md``: 204 No Content) and refuses unless the
administrator confirmed that the site uses the new secret. These functions take plain values
and never touch a profile (workers don't); the secret text is returned once to the caller and
never logged or stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmgtui.domain.runbooks.rotate_secret import PendingRotation

if TYPE_CHECKING:
    from cmgtui.cloud.graph import GraphGateway
    from cmgtui.cloud.models import ClientSecret
    from cmgtui.cloud.retry import LogFn


class RotationRefused(Exception):
    """The step may not run (yet); the message says why and what to do."""


def _quiet(_line: str) -> None:
    """Default log function."""


async def add_rotation_secret(graph: GraphGateway, app_object_id: str, months: int,
                              pending: PendingRotation | None, log: LogFn = _quiet) -> ClientSecret:
    """Add a new secret to the server app; the old one stays valid."""
    if not app_object_id.strip():
        raise RotationRefused("The profile has no object ID for the server app; look the app up in Part 2 first.")
    if pending is not None:
        raise RotationRefused("A new secret was already added and the old one is still kept: confirm the site "
                              "uses the new secret before adding another.")
    return await graph.add_client_secret(app_object_id.strip(), months, display_name="cmgtui rotation", log=log)


async def remove_old_secret(graph: GraphGateway, pending: PendingRotation | None, *, confirmed: bool,
                            log: LogFn = _quiet) -> str:
    """Remove the old secret of ``pending`` once ``confirmed``; returns its key ID ('' if none was known)."""
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
        log("Old client secret removed")
    return pending.old_key_id
