"""Rotating the server app's client secret through Microsoft Graph, durable from the moment it exists.

Only an imported app gets a secret from cmgtui: an app the console created is renewed by the
console's Renew Secret Key, which makes its own secret (see
:mod:`cmgtui.domain.runbooks.rotate_secret`), so :func:`add_rotation_secret` refuses it.

:func:`add_rotation_secret` adds the new secret (``addPassword``) and at once writes it to the
new file the user named (0600, every byte written, fsynced) before anything else happens; if
that fails, it removes the key it just added (``removePassword``) and says so, so the tenant
never keeps a secret no file holds. The file it is about to write is recorded in the operations
journal before ``addPassword`` is sent. A run killed after adding its secret leaves a "cmgtui
rotation" secret the profile does not know; the next :func:`add_rotation_secret` reconciles
first: a secret whose journalled file holds it whole (its first characters are the ``hint``
Graph keeps of every password) is adopted as the new secret, and the others, which no file
holds, are removed and their key IDs returned, so the user is told. :func:`remove_old_secret` removes the
old secret once the administrator confirmed the site uses the new one.
:func:`read_server_app` reads back what the tenant holds (key IDs and dates, never secret
text) for the expiry calendar. These functions take plain values and never touch a profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.journal import OperationsJournal
from cmgtui.domain.runbooks.rotate_secret import AppOrigin, PendingRotation, TenantSecret
from cmgtui.private_files import write_secret_file
from cmgtui.safe_read import ReadRefused, read_checked

if TYPE_CHECKING:
    from cmgtui.cloud.graph import GraphGateway
    from cmgtui.cloud.retry import LogFn

#: The display name of secrets cmgtui adds on rotation.
ROTATION_SECRET_NAME = "cmgtui rotation"
#: The operations journal's kind and step of a rotation's new secret.
ROTATION_KIND = "rotate_secret"
ADD_STEP = "add_secret"


class RotationRefused(CloudError):
    """The step may not run (yet); ``message`` says why and ``what_to_do`` what to do."""

    def __init__(self, message: str, what_to_do: str = "") -> None:
        super().__init__("invalid", message, what_to_do)


@dataclass(frozen=True, slots=True)
class DeliveredSecret:
    """A new secret that exists in the tenant and in ``path``; ``secret_text`` is for the one-time display
    ('' when ``adopted``: an interrupted rotation had already written it to ``path``)."""

    key_id: str
    end_date_time: str
    path: Path
    secret_text: str = field(repr=False)
    adopted: bool = False
    removed_undelivered: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TenantApp:
    """The server app as the tenant holds it: object ID, creation date and its secrets."""

    object_id: str
    created: datetime | None
    secrets: list[TenantSecret]


def _quiet(_line: str) -> None:
    """Default log function."""


def _whole_secret(path: Path) -> str:
    """The secret a rotation wrote to ``path``, or '' when the file is missing, unreadable or cut
    short (the text and its newline are written in that order, so a killed write lacks the newline)."""
    try:
        text = read_checked(path, limit=4096).decode("utf-8")
    except (OSError, ReadRefused, UnicodeDecodeError):
        return ""
    secret = text.removesuffix("\n")
    return secret if text.endswith("\n") and secret and "\n" not in secret else ""


def _iso(value: Any) -> str:
    moment = _moment(value)
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else ""


async def _reconcile(graph: GraphGateway, journal: OperationsJournal, app_object_id: str, known: set[str],
                     log: LogFn) -> tuple[DeliveredSecret | None, tuple[str, ...]]:
    """Settle what interrupted rotations left: adopt the secret a journalled file holds whole (by
    Graph's ``hint``), remove the "cmgtui rotation" secrets no file holds; returns (adopted, removed)."""
    app = await graph.get_app_raw(app_object_id)
    unknown = [c for c in (app.password_credentials or [])
               if c.display_name == ROTATION_SECRET_NAME and str(c.key_id or "").lower() not in known]
    adopted: DeliveredSecret | None = None
    ops = [p for p in journal.pending() if p.kind == ROTATION_KIND and p.inputs.get("app_object_id") == app_object_id]
    for op in ops:
        key_id = str(op.done_steps.get(ADD_STEP, {}).get("key_id", "")).lower()
        if key_id and key_id in known:
            journal.end(op.op, "completed", {"key_id": key_id})  # the profile holds it: nothing left to do
            continue
        path = Path(str(op.inputs.get("file", "")))
        secret = _whole_secret(path) if str(path) != "." else ""
        holders = [c for c in unknown if secret and c.hint and secret.startswith(c.hint)
                   and (not key_id or str(c.key_id).lower() == key_id)]
        if len(holders) > 1:
            raise RotationRefused(f"Several client secrets of the server app could be the one an interrupted "
                                  f"rotation wrote to {path}; none was removed.",
                                  "Remove the ones the site does not use in the Microsoft Entra admin center, "
                                  "then choose Read tenant.")
        if holders and adopted is None:
            found = holders[0]
            adopted = DeliveredSecret(str(found.key_id), _iso(found.end_date_time), path, "", adopted=True)
            journal.done(op.op, ADD_STEP, {"key_id": adopted.key_id, "expires": adopted.end_date_time,
                                           "file": str(path)})
            log(f"An interrupted rotation had added the secret {found.key_id} and written it to {path}; it is "
                "kept as the new secret")
            continue  # the journal entry ends once the profile holds the key
        journal.end(op.op, "failed", {"reason": "no file holds a secret of this rotation"})
    removed: list[str] = []
    for credential in unknown:
        key_id = str(credential.key_id)
        if adopted is not None and key_id == adopted.key_id:
            continue
        log(f"Removing the secret {key_id} that an interrupted rotation added but never recorded")
        await graph.remove_client_secret(app_object_id, key_id, log=log)
        removed.append(key_id)
    return adopted, tuple(removed)


async def add_rotation_secret(graph: GraphGateway, app_object_id: str, months: int,
                              pending: PendingRotation | None, origin: AppOrigin | None, secret_file: Path,
                              journal: OperationsJournal, log: LogFn = _quiet,
                              known_key_ids: tuple[str, ...] = ()) -> DeliveredSecret:
    """Add a new secret to an imported server app and write it to ``secret_file`` before anything else.

    The old secret stays valid. If the file can't be written, the new key is removed again
    and :class:`RotationRefused` says what happened. ``known_key_ids`` are the secrets the
    profile records; an interrupted rotation is reconciled first (see the module), and a secret
    it adopts is returned instead of a new one (``secret_file`` is then left alone).
    """
    if origin is AppOrigin.CREATED:
        raise RotationRefused("Configuration Manager created this app: its Renew Secret Key makes the new secret "
                              "itself, so cmgtui adds none.", "Renew it in the console, then choose Read tenant in the Day two pane.")
    if origin is None:
        raise RotationRefused("Part 2 doesn't say whether Configuration Manager created the apps or they were "
                              "imported.", "Choose how the apps come to exist in Part 2.")
    object_id = app_object_id.strip()
    if not object_id:
        raise RotationRefused("The profile has no object ID for the server app.", "Look the app up in Part 2 first.")
    if pending is not None:
        raise RotationRefused("A new secret was already added and the old one is still kept.",
                              "Confirm the site uses the new secret before adding another.")
    if secret_file.exists() or not secret_file.parent.is_dir():
        raise RotationRefused("The file named for the secret already exists, or its folder doesn't: nothing was "
                              "added.", "Name a new file in an existing folder.")
    known = {k.strip().lower() for k in known_key_ids if k.strip()}
    adopted, removed = await _reconcile(graph, journal, object_id, known, log)
    if adopted is not None:
        return DeliveredSecret(adopted.key_id, adopted.end_date_time, adopted.path, "", True, removed)
    op = journal.begin(ROTATION_KIND, {"app_object_id": object_id, "file": str(secret_file)})
    journal.intent(op, ADD_STEP, {"file": str(secret_file)})
    try:
        secret = await graph.add_client_secret(object_id, months, display_name=ROTATION_SECRET_NAME, log=log)
    except CloudError as exc:
        journal.failed(op, ADD_STEP, exc.message)
        raise
    try:
        write_secret_file(secret_file, secret.secret_text)
    except OSError as exc:
        journal.failed(op, ADD_STEP, f"could not write the secret file: {exc.strerror or exc}")
        refusal = await _withdraw(graph, object_id, secret.key_id, exc, log)
        journal.end(op, "failed", {"key_id": secret.key_id})
        raise refusal from exc
    journal.done(op, ADD_STEP, {"key_id": secret.key_id, "expires": secret.end_date_time, "file": str(secret_file)})
    log(f"Secret written to {secret_file} (readable by you only)")
    return DeliveredSecret(secret.key_id, secret.end_date_time, secret_file, secret.secret_text,
                           removed_undelivered=removed)


async def _withdraw(graph: GraphGateway, object_id: str, key_id: str, exc: OSError, log: LogFn) -> RotationRefused:
    """Remove the new secret ``key_id`` that no file could take; returns the refusal that says so."""
    reason = exc.strerror or str(exc)
    log(f"Could not write the secret file ({reason}); removing the new secret {key_id}")
    try:
        await graph.remove_client_secret(object_id, key_id, log=log)
    except CloudError as removal:
        return RotationRefused(
            f"Could not write the secret file ({reason}), and removing the new secret failed too: "
            f"{removal.message}", f"Remove the client secret with key ID {key_id} from the app in the "
            "Microsoft Entra admin center; the old secret still works.")
    return RotationRefused(f"Could not write the secret file ({reason}); the new secret was removed from the app "
                          "and the old one still works.", "Free some space or name another file, then add "
                          "a new secret again.")


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
