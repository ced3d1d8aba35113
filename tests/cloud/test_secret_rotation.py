"""Secret rotation on the sandbox, by how the profile says the app came to exist (Part 2's path).

* Imported app ("Renew key for imported app": "use the Azure portal to renew. Note the new
  secret key and expiry date. Add this information on the **Renew Secret Key** wizard." —
  MicrosoftDocs/memdocs memdocs/configmgr/core/servers/deploy/configure/azure-services-wizard.md):
  cmgtui adds the secret, writes it to a new 0600 file first, keeps the old one until confirmed.
* Console-created app ("Renew key for created app": "In the ribbon, select **Renew Secret Key**.
  Enter the credentials of either the app owner or a Microsoft Entra administrator." — same
  article): cmgtui adds no secret; the calendar shows what the tenant holds after the console
  renewed it.
"""

from __future__ import annotations

import errno
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cmgtui.cloud import secret_rotation
from cmgtui.cloud.app_registration import AppSpec, create_apps
from cmgtui.cloud.graph import GraphGateway
from cmgtui.cloud.journal import OperationsJournal
from cmgtui.cloud.secret_rotation import RotationRefused, add_rotation_secret, read_server_app, remove_old_secret
from cmgtui.domain.expiry import expiry_calendar
from cmgtui.domain.runbooks.rotate_secret import (
    AppOrigin,
    adopt_tenant_secrets,
    app_origin,
    finish_rotation,
    pending_rotation,
    record_new_secret,
)
from cmgtui.model import Profile
from cmgtui.model.enums import EntraPath
from cmgtui.sandbox.server import SandboxServer


async def _profile_with_app(graph: GraphGateway, tmp_path: Path, path: EntraPath) -> Profile:
    made = await create_apps(graph, AppSpec(secret_months=12), OperationsJournal(tmp_path / "ops.jsonl"))
    apps, first = made.apps, made.secret
    profile = Profile(name="rotate")
    profile.entra.path = path
    server = profile.entra.server_app
    server.object_id = apps.server.object_id
    server.app_id = apps.server.app_id
    server.secret_key_id = first.key_id if first else ""
    server.secret_expiry = datetime.fromisoformat(first.end_date_time) if first else None
    return profile


def _key_ids(sandbox: SandboxServer, object_id: str) -> list[str]:
    with sandbox.state.lock:
        return [p["keyId"] for p in sandbox.state.applications[object_id]["passwordCredentials"]]


def _tenant_end(sandbox: SandboxServer, object_id: str, key_id: str) -> datetime:
    with sandbox.state.lock:
        entry = next(p for p in sandbox.state.applications[object_id]["passwordCredentials"] if p["keyId"] == key_id)
    return datetime.fromisoformat(entry["endDateTime"].replace("Z", "+00:00")).astimezone(UTC)


def _calendar_secret(profile: Profile) -> datetime:
    return next(e.when for e in expiry_calendar(profile) if e.what.startswith("Server app client secret"))


async def test_imported_app_secret_is_in_the_file_before_anything_else_and_old_kept_until_confirmed(
        graph: GraphGateway, sandbox: SandboxServer, tmp_path: Path) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.IMPORT)
    assert app_origin(profile) is AppOrigin.IMPORTED
    object_id = profile.entra.server_app.object_id
    old_key = profile.entra.server_app.secret_key_id
    old_end = profile.entra.server_app.secret_expiry
    target = tmp_path / "new-secret.txt"
    lines: list[str] = []
    secret = await add_rotation_secret(graph, object_id, 12, pending_rotation(profile), app_origin(profile), target,
                                       log=lines.append)
    assert target.read_text() == secret.secret_text + "\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert all(secret.secret_text not in line for line in lines)
    record_new_secret(profile, object_id, secret.key_id, datetime.fromisoformat(secret.end_date_time), str(target))
    assert _key_ids(sandbox, object_id) == [old_key, secret.key_id]
    # The site still uses the old secret: it stays the profile's (and the calendar's) current one.
    assert profile.entra.server_app.secret_key_id == old_key and _calendar_secret(profile) == old_end
    assert secret.secret_text not in profile.model_dump_json()
    with pytest.raises(RotationRefused, match="kept until you confirm"):
        await remove_old_secret(graph, pending_rotation(profile), confirmed=False)
    with pytest.raises(RotationRefused, match="already added"):
        await add_rotation_secret(graph, object_id, 12, pending_rotation(profile), AppOrigin.IMPORTED,
                                  tmp_path / "another.txt")
    assert _key_ids(sandbox, object_id) == [old_key, secret.key_id] and not (tmp_path / "another.txt").exists()
    assert await remove_old_secret(graph, pending_rotation(profile), confirmed=True) == old_key
    assert _key_ids(sandbox, object_id) == [secret.key_id]
    finish_rotation(profile)
    assert pending_rotation(profile) is None and profile.entra.server_app.secret_key_id == secret.key_id
    # Read back: the calendar shows the expiry the tenant holds for the secret that exists.
    tenant = await read_server_app(graph, object_id, "")
    adopt_tenant_secrets(profile, tenant.secrets, tenant.created)
    assert profile.entra.server_app.secret_key_id == secret.key_id
    assert _calendar_secret(profile) == _tenant_end(sandbox, object_id, secret.key_id)


async def test_console_created_app_gets_no_graph_secret_and_the_calendar_follows_the_tenant(
        graph: GraphGateway, sandbox: SandboxServer, tmp_path: Path) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.CONFIGMGR_CREATES)
    assert app_origin(profile) is AppOrigin.CREATED
    object_id = profile.entra.server_app.object_id
    before = _key_ids(sandbox, object_id)
    with pytest.raises(RotationRefused, match="Renew Secret Key makes the new secret itself"):
        await add_rotation_secret(graph, object_id, 12, None, app_origin(profile), tmp_path / "s.txt")
    assert _key_ids(sandbox, object_id) == before and not (tmp_path / "s.txt").exists()
    # The console's Renew Secret Key makes a secret of its own (another client of the same tenant).
    made_by_console = await graph.add_client_secret(object_id, 24, display_name="ConfigMgr")
    tenant = await read_server_app(graph, "", profile.entra.server_app.app_id)
    assert tenant.object_id == object_id and tenant.created is not None
    said = adopt_tenant_secrets(profile, tenant.secrets, tenant.created)
    assert profile.entra.server_app.secret_key_id == made_by_console.key_id
    assert _calendar_secret(profile) == _tenant_end(sandbox, object_id, made_by_console.key_id)
    assert made_by_console.key_id in said and "1 other secret(s) exist" in said


async def test_a_secret_that_cannot_be_written_is_removed_from_the_app(
        graph: GraphGateway, sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.CREATE_HERE)
    object_id = profile.entra.server_app.object_id
    before = _key_ids(sandbox, object_id)

    def disk_full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(secret_rotation.os, "write", disk_full)
    target = tmp_path / "secret.txt"
    with pytest.raises(RotationRefused) as caught:
        await add_rotation_secret(graph, object_id, 12, None, AppOrigin.IMPORTED, target)
    assert "the new secret was removed from the app and the old one still works" in caught.value.message
    assert _key_ids(sandbox, object_id) == before and not target.exists()


async def test_short_writes_still_deliver_the_whole_secret(
        graph: GraphGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.IMPORT)
    real_write = os.write
    monkeypatch.setattr(secret_rotation.os, "write", lambda fd, data: real_write(fd, bytes(data[:1])))
    target = tmp_path / "secret.txt"
    secret = await add_rotation_secret(graph, profile.entra.server_app.object_id, 12, None, AppOrigin.IMPORTED,
                                       target)
    assert target.read_text() == secret.secret_text + "\n"


async def test_an_existing_file_or_missing_ids_add_nothing(graph: GraphGateway, sandbox: SandboxServer,
                                                           tmp_path: Path) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.IMPORT)
    object_id = profile.entra.server_app.object_id
    before = _key_ids(sandbox, object_id)
    taken = tmp_path / "taken.txt"
    taken.write_text("keep me")
    with pytest.raises(RotationRefused, match="already exists"):
        await add_rotation_secret(graph, object_id, 12, None, AppOrigin.IMPORTED, taken)
    assert taken.read_text() == "keep me" and _key_ids(sandbox, object_id) == before
    with pytest.raises(RotationRefused, match="object ID"):
        await add_rotation_secret(graph, "", 12, None, AppOrigin.IMPORTED, tmp_path / "x.txt")
    with pytest.raises(RotationRefused, match="Part 2"):
        await add_rotation_secret(graph, object_id, 12, None, None, tmp_path / "x.txt")
    with pytest.raises(RotationRefused, match="No rotation"):
        await remove_old_secret(graph, None, confirmed=True)


async def test_a_rerun_removes_the_secret_an_interrupted_rotation_never_recorded(
        graph: GraphGateway, sandbox: SandboxServer, tmp_path: Path) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.IMPORT)
    object_id = profile.entra.server_app.object_id
    old_key = profile.entra.server_app.secret_key_id
    # A run killed right after addPassword: the tenant holds its secret, no file and no profile know it.
    lost = await graph.add_client_secret(object_id, 12, display_name=secret_rotation.ROTATION_SECRET_NAME)
    assert _key_ids(sandbox, object_id) == [old_key, lost.key_id]
    lines: list[str] = []
    secret = await add_rotation_secret(graph, object_id, 12, None, AppOrigin.IMPORTED, tmp_path / "s.txt",
                                       log=lines.append, known_key_ids=(old_key,))
    assert secret.removed_undelivered == (lost.key_id,)
    assert _key_ids(sandbox, object_id) == [old_key, secret.key_id]
    assert any(lost.key_id in line and "interrupted" in line for line in lines)
