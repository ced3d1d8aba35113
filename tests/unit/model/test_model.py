"""The profile model: defaults, round trip, dotted-path edits and their validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cmgtui.model import AzureEnvironment, Profile, VmSize
from cmgtui.model.edit import get_path, set_path


def test_new_profile_has_schema_version_and_sensible_defaults() -> None:
    profile = Profile(name="p")
    assert profile.schema_version == 2
    assert profile.gateway.vm_size is VmSize.STANDARD
    assert profile.gateway.vm_instances == 1
    assert profile.gateway.storage_alert.gigabytes == 2
    assert profile.entra.server_app.display_name == "CMG-ServerApp"
    assert not profile.checklist.region.confirmed


def test_json_round_trip_keeps_every_value() -> None:
    profile = Profile(name="p", environment=AzureEnvironment.US_GOVERNMENT, region="usgovtexas")
    profile.site.cmgcp_servers = ["a.contoso.com", "b.contoso.com"]
    again = Profile.model_validate_json(profile.model_dump_json())
    assert again == profile


def test_set_path_assigns_nested_values_with_coercion() -> None:
    profile = Profile(name="p")
    set_path(profile, "gateway.vm_instances", "3")
    assert get_path(profile, "gateway.vm_instances") == 3
    set_path(profile, "environment", "AzureUSGovernmentCloud")
    assert profile.environment is AzureEnvironment.US_GOVERNMENT


def test_set_path_rejects_wrong_types_and_unknown_paths() -> None:
    profile = Profile(name="p")
    with pytest.raises(ValidationError):
        set_path(profile, "gateway.vm_instances", "three")
    assert profile.gateway.vm_instances == 1
    with pytest.raises(AttributeError):
        set_path(profile, "gateway.nope", 1)
    with pytest.raises(AttributeError):
        get_path(profile, "region.deeper")
