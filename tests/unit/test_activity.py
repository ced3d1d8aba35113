"""The activity log's second line of defence: tokens and secret assignments never reach it."""

from __future__ import annotations

import json

import pytest

from cmgtui import activity, paths

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNlY3JldA"


@pytest.mark.parametrize(("line", "kept"), [
    (f"GET /me Authorization: Bearer {JWT}", "GET /me Authorization: "),
    ("Authorization: bearer abcdefgh12345678", "Authorization: "),
    (f"token {JWT} refused", "token "),
    ("client_secret=Abc~123.xyz and more", "client_"),
    ("secretText: s3cr3t-v@lue", ""),
    ("Secret = hunter2", ""),
])
def test_redact_removes_tokens_and_secret_assignments(line: str, kept: str) -> None:
    redacted = activity.redact(line)
    assert "[redacted]" in redacted and redacted.startswith(kept)
    for secret in (JWT, "abcdefgh12345678", "Abc~123.xyz", "s3cr3t-v@lue", "hunter2"):
        assert secret not in redacted


@pytest.mark.parametrize("line", [
    "Signed in as admin@contoso.com (sandbox tenant)",
    "Created app CMG-ServerApp (5a3c2b1d-4e5f-4a6b-8c7d-9e0f1a2b3c4d)",
    "The client secret expires on 2027-06-30",  # the word alone is no secret
    "bearer short",  # too short to be a token
])
def test_redact_leaves_ordinary_lines_alone(line: str) -> None:
    assert activity.redact(line) == line


def test_appended_entries_are_redacted_on_disk_and_private() -> None:
    activity.append("plan", "cloud", f"retrying with Bearer {JWT}")
    path = paths.activity_log("plan")
    raw = path.read_text(encoding="utf-8")
    assert JWT not in raw
    assert json.loads(raw.splitlines()[0])["message"] == "retrying with [redacted]"
    assert path.stat().st_mode & 0o777 == 0o600
    assert [e.message for e in activity.read_tail("plan")] == ["retrying with [redacted]"]
