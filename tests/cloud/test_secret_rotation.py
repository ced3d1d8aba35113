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


def _journal(tmp_path: Path) -> OperationsJournal:
    return OperationsJournal(tmp_path / "rotation.jsonl")


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
                                       _journal(tmp_path), log=lines.append)
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
                                  tmp_path / "another.txt", _journal(tmp_path))
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
        await add_rotation_secret(graph, object_id, 12, None, app_origin(profile), tmp_path / "s.txt",
                                  _journal(tmp_path))
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

    target = tmp_path / "secret.txt"
    real_write = os.write

    def disk_full(fd: int, data: bytes) -> int:  # only the secret's file is on the full disk (not the journal)
        if os.readlink(f"/proc/self/fd/{fd}") == str(target):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(RotationRefused) as caught:
        await add_rotation_secret(graph, object_id, 12, None, AppOrigin.IMPORTED, target, _journal(tmp_path))
    assert "the new secret was removed from the app and the old one still works" in caught.value.message
    assert _key_ids(sandbox, object_id) == before and not target.exists()


async def test_short_writes_still_deliver_the_whole_secret(
        graph: GraphGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.IMPORT)
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:1])))
    target = tmp_path / "secret.txt"
    secret = await add_rotation_secret(graph, profile.entra.server_app.object_id, 12, None, AppOrigin.IMPORTED,
                                       target, _journal(tmp_path))
    assert target.read_text() == secret.secret_text + "\n"


async def test_an_existing_file_or_missing_ids_add_nothing(graph: GraphGateway, sandbox: SandboxServer,
                                                           tmp_path: Path) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.IMPORT)
    object_id = profile.entra.server_app.object_id
    before = _key_ids(sandbox, object_id)
    taken = tmp_path / "taken.txt"
    taken.write_text("keep me")
    with pytest.raises(RotationRefused, match="already exists"):
        await add_rotation_secret(graph, object_id, 12, None, AppOrigin.IMPORTED, taken, _journal(tmp_path))
    assert taken.read_text() == "keep me" and _key_ids(sandbox, object_id) == before
    with pytest.raises(RotationRefused, match="object ID"):
        await add_rotation_secret(graph, "", 12, None, AppOrigin.IMPORTED, tmp_path / "x.txt",
                                  _journal(tmp_path))
    with pytest.raises(RotationRefused, match="Part 2"):
        await add_rotation_secret(graph, object_id, 12, None, None, tmp_path / "x.txt", _journal(tmp_path))
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
                                       _journal(tmp_path),
                                       log=lines.append, known_key_ids=(old_key,))
    assert secret.removed_undelivered == (lost.key_id,)
    assert _key_ids(sandbox, object_id) == [old_key, secret.key_id]
    assert any(lost.key_id in line and "interrupted" in line for line in lines)


# An interrupted rotation is settled by the next one. Graph keeps of every password only its
# ``hint``: "Contains the first three characters of the password" (microsoftgraph/
# microsoft-graph-docs-contrib api-reference/v1.0/resources/passwordcredential.md), which is how
# the rerun recognises the secret a journalled file holds.


async def _killed_after_the_file(graph: GraphGateway, profile: Profile, tmp_path: Path) -> tuple[Path, str]:
    """A run that wrote its secret's file and was killed before the profile recorded the key."""
    first = tmp_path / "first.txt"
    secret = await add_rotation_secret(graph, profile.entra.server_app.object_id, 12, None, AppOrigin.IMPORTED,
                                       first, _journal(tmp_path), known_key_ids=(profile.entra.server_app.secret_key_id,))
    return first, secret.key_id


async def test_a_secret_written_to_its_file_but_never_recorded_is_adopted_not_removed(
        graph: GraphGateway, sandbox: SandboxServer, tmp_path: Path) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.IMPORT)
    object_id, old_key = profile.entra.server_app.object_id, profile.entra.server_app.secret_key_id
    first, lost_key = await _killed_after_the_file(graph, profile, tmp_path)
    second = tmp_path / "second.txt"
    lines: list[str] = []
    again = await add_rotation_secret(graph, object_id, 12, None, AppOrigin.IMPORTED, second, _journal(tmp_path),
                                      log=lines.append, known_key_ids=(old_key,))
    assert again.adopted and again.key_id == lost_key and again.path == first and again.secret_text == ""
    assert again.removed_undelivered == () and not second.exists()
    assert _key_ids(sandbox, object_id) == [old_key, lost_key]
    with sandbox.state.lock:
        hint = next(p["hint"] for p in sandbox.state.applications[object_id]["passwordCredentials"]
                    if p["keyId"] == lost_key)
    assert first.read_text().startswith(hint) and any("kept as the new secret" in line for line in lines)
    # once the profile holds the key, the journal's entry ends and a later rotation starts afresh
    record_new_secret(profile, object_id, again.key_id, datetime.fromisoformat(again.end_date_time), str(first))
    finish_rotation(profile)
    journal = _journal(tmp_path)
    third = await add_rotation_secret(graph, object_id, 12, None, AppOrigin.IMPORTED, tmp_path / "third.txt",
                                      journal, known_key_ids=(profile.entra.server_app.secret_key_id,))
    assert not third.adopted and (tmp_path / "third.txt").read_text() == third.secret_text + "\n"
    assert [p.kind for p in journal.pending()] == ["rotate_secret"]  # only the third, until recorded


async def test_a_secret_added_before_its_file_existed_is_removed_and_a_new_one_delivered(
        graph: GraphGateway, sandbox: SandboxServer, tmp_path: Path) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.IMPORT)
    object_id, old_key = profile.entra.server_app.object_id, profile.entra.server_app.secret_key_id
    journal = _journal(tmp_path)
    # killed right after addPassword: the journal names the file, which was never written
    op = journal.begin(secret_rotation.ROTATION_KIND, {"app_object_id": object_id, "file": str(tmp_path / "a.txt")})
    journal.intent(op, secret_rotation.ADD_STEP, {"file": str(tmp_path / "a.txt")})
    lost = await graph.add_client_secret(object_id, 12, display_name=secret_rotation.ROTATION_SECRET_NAME)
    target = tmp_path / "b.txt"
    secret = await add_rotation_secret(graph, object_id, 12, None, AppOrigin.IMPORTED, target, journal,
                                       known_key_ids=(old_key,))
    assert not secret.adopted and secret.removed_undelivered == (lost.key_id,)
    assert _key_ids(sandbox, object_id) == [old_key, secret.key_id]
    assert target.read_text() == secret.secret_text + "\n" and not (tmp_path / "a.txt").exists()


async def test_a_file_cut_short_by_a_kill_is_not_taken_for_the_secret(
        graph: GraphGateway, sandbox: SandboxServer, tmp_path: Path) -> None:
    profile = await _profile_with_app(graph, tmp_path, EntraPath.IMPORT)
    object_id, old_key = profile.entra.server_app.object_id, profile.entra.server_app.secret_key_id
    first, lost_key = await _killed_after_the_file(graph, profile, tmp_path)
    whole = first.read_text()
    first.chmod(0o600)
    first.write_text(whole[:10])  # the kill came mid-write: the newline, written last, is missing
    secret = await add_rotation_secret(graph, object_id, 12, None, AppOrigin.IMPORTED, tmp_path / "second.txt",
                                       _journal(tmp_path), known_key_ids=(old_key,))
    assert not secret.adopted and secret.removed_undelivered == (lost_key,)
    assert _key_ids(sandbox, object_id) == [old_key, secret.key_id]
