"""Secret rotation against the sandbox: the old secret is kept until the admin confirms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cmgtui.cloud.app_registration import AppSpec, create_apps
from cmgtui.cloud.graph import GraphGateway
from cmgtui.cloud.journal import OperationsJournal
from cmgtui.sandbox.server import SandboxServer
from cmgtui.cloud.secret_rotation import RotationRefused, add_rotation_secret, remove_old_secret
from cmgtui.domain.expiry import expiry_calendar
from cmgtui.domain.runbooks.rotate_secret import finish_rotation, pending_rotation, record_new_secret
from cmgtui.model import Profile


async def _profile_with_app(graph: GraphGateway, tmp_path) -> Profile:
    made = await create_apps(graph, AppSpec(secret_months=12), OperationsJournal(tmp_path / "ops.jsonl"))
    apps, first = made.apps, made.secret
    profile = Profile(name="rotate")
    server = profile.entra.server_app
    server.object_id = apps.server.object_id
    server.app_id = apps.server.app_id
    server.secret_key_id = first.key_id if first else ""
    return profile


def _key_ids(sandbox: SandboxServer, object_id: str) -> list[str]:
    return [p["keyId"] for p in sandbox.state.applications[object_id]["passwordCredentials"]]


async def test_old_secret_is_kept_until_confirmed(graph: GraphGateway, sandbox: SandboxServer, tmp_path) -> None:
    profile = await _profile_with_app(graph, tmp_path)
    object_id = profile.entra.server_app.object_id
    old_key = profile.entra.server_app.secret_key_id
    assert old_key and _key_ids(sandbox, object_id) == [old_key]
    lines: list[str] = []
    secret = await add_rotation_secret(graph, object_id, 12, pending_rotation(profile), log=lines.append)
    expiry = datetime.fromisoformat(secret.end_date_time.replace("Z", "+00:00"))
    pending = record_new_secret(profile, object_id, secret.key_id, expiry)
    assert secret.secret_text and all(secret.secret_text not in line for line in lines)
    # Both secrets exist; the profile records only the new key ID and expiry, and remembers the old one.
    assert _key_ids(sandbox, object_id) == [old_key, secret.key_id]
    assert profile.entra.server_app.secret_key_id == secret.key_id
    assert profile.entra.server_app.secret_expiry is not None
    assert profile.entra.server_app.secret_expiry > datetime.now(UTC)
    assert pending_rotation(profile) == pending and pending.old_key_id == old_key
    assert secret.secret_text not in profile.model_dump_json()
    # Not confirmed: refused, nothing removed; a second new secret is refused too.
    with pytest.raises(RotationRefused, match="kept until you confirm"):
        await remove_old_secret(graph, pending_rotation(profile), confirmed=False)
    with pytest.raises(RotationRefused, match="already added"):
        await add_rotation_secret(graph, object_id, 12, pending_rotation(profile))
    assert _key_ids(sandbox, object_id) == [old_key, secret.key_id]
    # Confirmed: the old secret goes, the new one stays, the pending record is cleared.
    assert await remove_old_secret(graph, pending_rotation(profile), confirmed=True) == old_key
    assert _key_ids(sandbox, object_id) == [secret.key_id]
    finish_rotation(profile)
    assert pending_rotation(profile) is None
    assert any("Server app client secret" in e.what for e in expiry_calendar(profile))


async def test_rotation_needs_the_app_object_id(graph: GraphGateway) -> None:
    with pytest.raises(RotationRefused, match="object ID"):
        await add_rotation_secret(graph, "", 12, None)
    with pytest.raises(RotationRefused, match="No rotation"):
        await remove_old_secret(graph, None, confirmed=True)
