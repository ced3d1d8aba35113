"""Rotating the server app's client secret through Microsoft Graph, durable from the moment it exists.

Only an imported app gets a secret from cmgtui: an app the console created is renewed by the
console's Renew Secret Key, which makes its own secret (see
:mod:`cmgtui.domain.runbooks.rotate_secret`), so :func:`add_rotation_secret` refuses it.

:func:`add_rotation_secret` adds the new secret (``addPassword``) and at once writes it to the
new file the user named (0600, every byte written, fsynced, length checked) before anything
else happens; if that fails, it removes the key it just added (``removePassword``) and says
so, so the tenant never keeps a secret no file holds. A run that was killed after adding its
secret but before the profile recorded it left a "cmgtui rotation" secret the profile does not
know: the next :func:`add_rotation_secret` removes such undelivered secrets first and returns
their key IDs, so the user is told. :func:`remove_old_secret` removes the
old secret once the administrator confirmed the site uses the new one.
:func:`read_server_app` reads back what the tenant holds (key IDs and dates, never secret
text) for the expiry calendar. These functions take plain values and never touch a profile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmgtui.cloud.errors import CloudError
from cmgtui.domain.runbooks.rotate_secret import AppOrigin, PendingRotation, TenantSecret
from cmgtui.private_files import PRIVATE_FILE, fsync_dir

if TYPE_CHECKING:
    from cmgtui.cloud.graph import GraphGateway
    from cmgtui.cloud.retry import LogFn

#: The display name of secrets cmgtui adds on rotation.
ROTATION_SECRET_NAME = "cmgtui rotation"


class RotationRefused(CloudError):
    """The step may not run (yet); ``message`` says why and ``what_to_do`` what to do."""

    def __init__(self, message: str, what_to_do: str = "") -> None:
        super().__init__("invalid", message, what_to_do)


@dataclass(frozen=True, slots=True)
class DeliveredSecret:
    """A new secret that exists in the tenant and in ``path``; ``secret_text`` is for the one-time display."""

    key_id: str
    end_date_time: str
    path: Path
    secret_text: str = field(repr=False)
    removed_undelivered: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TenantApp:
    """The server app as the tenant holds it: object ID, creation date and its secrets."""

    object_id: str
    created: datetime | None
    secrets: list[TenantSecret]


def _quiet(_line: str) -> None:
    """Default log function."""


def write_secret_durably(path: Path, secret: str) -> None:
    """Create ``path`` (never an existing file) 0600 with ``secret``: all bytes, fsynced, length checked.

    A partial file is removed before the error is raised.
    """
    data = (secret + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                if written <= 0:
                    raise OSError("nothing was written")
                view = view[written:]
            os.fsync(fd)
            if os.fstat(fd).st_size != len(data):
                raise OSError("the file's length is not the secret's")
        finally:
            os.close(fd)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


async def _remove_undelivered(graph: GraphGateway, app_object_id: str, known: set[str], log: LogFn) -> tuple[str, ...]:
    """Remove the "cmgtui rotation" secrets an interrupted run added that the profile never recorded."""
    app = await graph.get_app_raw(app_object_id)
    stale = [str(c.key_id) for c in (app.password_credentials or [])
             if c.display_name == ROTATION_SECRET_NAME and str(c.key_id or "").lower() not in known]
    for key_id in stale:
        log(f"Removing the secret {key_id} that an interrupted rotation added but never recorded")
        await graph.remove_client_secret(app_object_id, key_id, log=log)
    return tuple(stale)


async def add_rotation_secret(graph: GraphGateway, app_object_id: str, months: int,
                              pending: PendingRotation | None, origin: AppOrigin | None, secret_file: Path,
                              log: LogFn = _quiet, known_key_ids: tuple[str, ...] = ()) -> DeliveredSecret:
    """Add a new secret to an imported server app and write it to ``secret_file`` before anything else.

    The old secret stays valid. If the file can't be written, the new key is removed again
    and :class:`RotationRefused` says what happened. ``known_key_ids`` are the secrets the
    profile records; "cmgtui rotation" secrets outside them are removed first.
    """
    if origin is AppOrigin.CREATED:
        raise RotationRefused("Configuration Manager created this app: its Renew Secret Key makes the new secret "
                              "itself, so cmgtui adds none.", "Renew it in the console, then choose Read tenant in the Day two pane.")
    if origin is None:
        raise RotationRefused("Part 2 doesn't say whether Configuration Manager created the apps or they were "
                              "imported.", "Choose how the apps come to exist in Part 2.")
    if not app_object_id.strip():
        raise RotationRefused("The profile has no object ID for the server app.", "Look the app up in Part 2 first.")
    if pending is not None:
        raise RotationRefused("A new secret was already added and the old one is still kept.",
                              "Confirm the site uses the new secret before adding another.")
    if secret_file.exists() or not secret_file.parent.is_dir():
        raise RotationRefused("The file named for the secret already exists, or its folder doesn't: nothing was "
                              "added.", "Name a new file in an existing folder.")
    known = {k.strip().lower() for k in known_key_ids if k.strip()}
    removed = await _remove_undelivered(graph, app_object_id.strip(), known, log)
    secret = await graph.add_client_secret(app_object_id.strip(), months, display_name=ROTATION_SECRET_NAME,
                                           log=log)
    try:
        write_secret_durably(secret_file, secret.secret_text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        log(f"Could not write the secret file ({reason}); removing the new secret {secret.key_id}")
        try:
            await graph.remove_client_secret(app_object_id.strip(), secret.key_id, log=log)
        except CloudError as removal:
            raise RotationRefused(
                f"Could not write the secret file ({reason}), and removing the new secret failed too: "
                f"{removal.message}", f"Remove the client secret with key ID {secret.key_id} from the app in the "
                "Microsoft Entra admin center; the old secret still works.") from exc
        raise RotationRefused(f"Could not write the secret file ({reason}); the new secret was removed from the app "
                              "and the old one still works.", "Free some space or name another file, then add "
                              "a new secret again.") from exc
    log(f"Secret written to {secret_file} (readable by you only)")
    return DeliveredSecret(secret.key_id, secret.end_date_time, secret_file, secret.secret_text, removed)


async def remove_old_secret(graph: GraphGateway, pending: PendingRotation | None, *, confirmed: bool,
                            log: LogFn = _quiet) -> str:
    """Remove the old secret of ``pending`` once ``confirmed``; returns its key ID ('' if none was known)."""
    if pending is None:
        raise RotationRefused("No rotation is waiting.", "Choose New secret first.")
    if not confirmed:
        raise RotationRefused("The old secret is kept until you confirm that the site uses the new one.",
                              "Enter the new secret with Renew Secret Key in the console, then confirm.")
    if pending.old_key_id:
        log(f"Removing the old client secret (key ID {pending.old_key_id})")
        await graph.remove_client_secret(pending.app_object_id, pending.old_key_id, log=log)
        log("Old client secret removed")
    return pending.old_key_id


def _moment(value: Any) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


async def read_server_app(graph: GraphGateway, object_id: str, app_id: str) -> TenantApp:
    """The server app's creation date and secrets (key IDs and dates only), by object ID or app ID."""
    if object_id.strip():
        app = await graph.get_app_raw(object_id.strip())
    elif app_id.strip():
        found = await graph.find_apps_raw(app_id=app_id.strip())
        if not found:
            raise RotationRefused(f"No app with the app ID {app_id.strip()} in this tenant.",
                                  "Check the server app ID in Part 2.")
        app = found[0]
    else:
        raise RotationRefused("The profile has no server app ID.", "Enter it in Part 2.")
    secrets = [TenantSecret(str(c.key_id or ""), _moment(c.start_date_time), end, c.display_name or "")
               for c in (app.password_credentials or []) if (end := _moment(c.end_date_time)) is not None]
    return TenantApp(str(app.id or object_id), _moment(app.created_date_time), secrets)
