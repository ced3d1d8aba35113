"""Day two's client secret rotation of an imported server app: add, read back, remove the old one.

:func:`add_secret` adds a new secret through Graph and writes it to the new file the user named
before anything else (an interrupted earlier rotation is settled first, from the operations
journal: see :mod:`cmgtui.cloud.secret_rotation`); :func:`read_tenant` reads the secrets the
tenant holds for the expiry calendar; :func:`remove_old` removes the old secret once the admin
confirmed the site uses the new one. The ``record_*`` functions are the one place their results
enter a profile (key IDs, expiry dates and the file's path, never a secret's text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cmgtui.cloud.retry import LogFn, quiet
from cmgtui.cloud.secret_rotation import DeliveredSecret, TenantApp, add_rotation_secret, read_server_app, remove_old_secret
from cmgtui.domain.runbooks.rotate_secret import (
    adopt_tenant_secrets,
    app_origin,
    finish_rotation,
    pending_rotation,
    record_new_secret,
)
from cmgtui.services.entra_apps import operations_journal

if TYPE_CHECKING:
    from cmgtui.cloud.graph import GraphGateway
    from cmgtui.model import Profile


@dataclass(frozen=True, slots=True)
class SecretAdded:
    """The new secret of the server app ``app_object_id``, in the tenant and in its file."""

    app_object_id: str
    secret: DeliveredSecret


@dataclass(frozen=True, slots=True)
class OldSecretRemoved:
    """The old secret was removed (``old_key_id`` is '' when the profile knew none)."""

    old_key_id: str


async def add_secret(graph: GraphGateway, profile: Profile, secret_file: Path, *,
                     log: LogFn = quiet) -> SecretAdded:
    """Add a new secret to the profile's server app, written to ``secret_file`` first (RotationRefused
    or CloudError when it can't)."""
    server = profile.entra.server_app
    pending = pending_rotation(profile)
    known = (server.secret_key_id, pending.new_key_id if pending else "")
    secret = await add_rotation_secret(graph, server.object_id, int(profile.entra.secret_lifetime.value), pending,
                                       app_origin(profile), secret_file, operations_journal(profile), log=log,
                                       known_key_ids=known)
    return SecretAdded(server.object_id.strip(), secret)


def record_added(profile: Profile, added: SecretAdded) -> None:
    """Remember the new secret as pending: the site still uses the old one until confirmed."""
    secret = added.secret
    expiry = datetime.fromisoformat(secret.end_date_time.replace("Z", "+00:00"))
    record_new_secret(profile, added.app_object_id, secret.key_id, expiry, str(secret.path))


async def read_tenant(graph: GraphGateway, profile: Profile) -> TenantApp:
    """The server app's creation date and secrets as the tenant holds them (never secret text)."""
    server = profile.entra.server_app
    return await read_server_app(graph, server.object_id, server.app_id)


def record_tenant(profile: Profile, tenant: TenantApp) -> str:
    """Make the profile's current secret what the tenant holds; returns one sentence saying what."""
    return adopt_tenant_secrets(profile, tenant.secrets, tenant.created)


async def remove_old(graph: GraphGateway, profile: Profile, *, confirmed: bool,
                     log: LogFn = quiet) -> OldSecretRemoved:
    """Remove the pending rotation's old secret once ``confirmed``."""
    return OldSecretRemoved(await remove_old_secret(graph, pending_rotation(profile), confirmed=confirmed, log=log))


def record_removed(profile: Profile) -> None:
    """The old secret is gone: the new one becomes the profile's current secret."""
    finish_rotation(profile)
