"""Ordered schema migrations for profile files.

Each migration takes the raw dictionary of schema version N and returns version N+1.
They run in order on load, so a file written by any older cmgtui opens in this one.
Version 1 was the first released layout: a flat object with the checklist as booleans.
Version 2 described one site; version 3 adds the hierarchy around it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cmgtui.model import SCHEMA_VERSION

Raw = dict[str, Any]

_V1_ENVIRONMENTS = {"public": "AzurePublicCloud", "usgov": "AzureUSGovernmentCloud"}
_V1_CHECKLIST_KEYS = (
    "environment",
    "region",
    "vm_instances",
    "entra_role",
    "subscription_owner",
    "cmgcp_server",
    "internet_access",
    "optional_feature",
)


def _object(raw: Raw, key: str) -> dict[str, Any]:
    """The version 1 object at ``key`` (empty when absent); MigrationError when it is another type."""
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise MigrationError(f"its version 1 '{key}' is a {type(value).__name__}, not an object of items")
    return value


def _v1_to_v2(raw: Raw) -> Raw:
    """Version 1 kept everything flat; version 2 groups values by setup part."""
    checklist_v1 = _object(raw, "checklist")
    notes_v1 = _object(raw, "notes")
    checklist = {
        key: {"confirmed": bool(checklist_v1.get(key, False)), "note": str(notes_v1.get(key, ""))}
        for key in _V1_CHECKLIST_KEYS
    }
    site_server = raw.get("cmgcp_server") or ""
    migrated: Raw = {
        "schema_version": 2,
        "name": raw["name"],
        "created_at": raw.get("created"),
        "updated_at": raw.get("modified"),
        "environment": _V1_ENVIRONMENTS.get(str(raw.get("azure_environment", "")).lower()),
        "region": raw.get("region") or "",
        "optional_feature_enabled": bool(checklist_v1.get("optional_feature", False)),
        "checklist": checklist,
        "site": {
            "site_code": raw.get("site_code") or "",
            "cmgcp_servers": [site_server] if site_server else [],
        },
        "certificate": {"service_name": raw.get("service_name") or ""},
        "gateway": {"vm_instances": raw.get("vm_instances", 1)},
    }
    return {key: value for key, value in migrated.items() if value is not None}


def _v2_to_v3(raw: Raw) -> Raw:
    """Version 2 described one site; version 3 says where it sits in the hierarchy.

    A version 2 profile's site is a standalone primary: its site code, clients (Part 4's peak)
    and connection points stay where they are, so rules, sizing, the script and the report
    read it exactly as before. An unknown ``hierarchy`` key a version 2 file may carry is
    replaced, as no version 2 cmgtui wrote one.
    """
    hierarchy = {"top_level": "standalone_primary", "child_primaries": [], "secondaries": []}
    return {**raw, "schema_version": 3, "hierarchy": hierarchy}


MIGRATIONS: dict[int, Callable[[Raw], Raw]] = {1: _v1_to_v2, 2: _v2_to_v3}


class MigrationError(ValueError):
    """The file's schema version cannot be brought to the current one."""


def migrate(raw: Raw) -> Raw:
    """Bring a raw profile dictionary up to :data:`SCHEMA_VERSION`.

    Raises MigrationError for a missing, malformed or newer version: a newer file must be
    opened by a newer cmgtui, never rewritten by this one.
    """
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise MigrationError("the file has no valid schema_version")
    if version > SCHEMA_VERSION:
        raise MigrationError(
            f"the file was written by a newer cmgtui (schema {version}, this one reads up to "
            f"{SCHEMA_VERSION}); upgrade cmgtui to open it"
        )
    while version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version = raw["schema_version"]
    return raw
