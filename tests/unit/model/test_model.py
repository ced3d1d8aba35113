"""The profile model: defaults, round trip, dotted-path edits and their validation."""

from __future__ import annotations

import enum
import types
import typing
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from cmgtui.model import AzureEnvironment, Profile, VmSize
from cmgtui.model.edit import get_path, set_path


def test_new_profile_has_schema_version_and_sensible_defaults() -> None:
    profile = Profile(name="p")
    assert profile.schema_version == 3
    assert profile.gateway.vm_size is VmSize.STANDARD
    assert profile.gateway.vm_instances == 1
    assert profile.gateway.storage_alert.gigabytes == 2
    assert profile.entra.server_app.display_name == "CMG-ServerApp"
    assert not profile.checklist.region.confirmed


_STAMP = datetime(2027, 3, 4, 5, 6, 7, 891_000, tzinfo=UTC)


def _value(annotation: Any, default: Any, path: str) -> Any:
    """A value of type ``annotation`` unlike ``default``, distinct per ``path``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in args if arg is not type(None)]
        return _value(inner, None if default is None else default, path)
    if origin is list:
        return [_value(args[0], None, f"{path}[0]"), _value(args[0], None, f"{path}[1]")]
    if origin is dict:
        return {f"{path}.key": _value(args[1], None, f"{path}.value")}
    if annotation is Any:
        return {"text": path, "number": 2.5, "flag": True, "list": [1, "two", None]}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _filled(annotation, path)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(member for member in reversed(annotation) if member != default)
    if annotation is bool:
        return not default
    if annotation is int:
        return (default or 0) + 3
    if annotation is str:
        return f"{path}-set"
    if annotation is datetime:
        return _STAMP + timedelta(seconds=len(path))
    raise TypeError(f"{path}: teach this test to fill a {annotation!r}")


def _filled(model: type[BaseModel], path: str = "") -> Any:
    """An instance of ``model`` with every field, at every depth, set away from its default."""
    values = {}
    for name, field in model.model_fields.items():
        default = field.get_default(call_default_factory=True)
        values[name] = _value(field.annotation, default, f"{path}.{name}".lstrip("."))
    return model(**values)


def _leaves(data: Any, path: str = "") -> dict[str, Any]:
    if isinstance(data, dict) and data:
        return {k: v for key, value in data.items() for k, v in _leaves(value, f"{path}.{key}").items()}
    return {path: data}


def test_json_round_trip_keeps_every_value() -> None:
    Profile(name="p")  # builds the (deferred) model so that its annotations are resolved
    profile = _filled(Profile)
    profile.name = "every field set"
    profile.schema_version = Profile(name="p").schema_version
    default = _leaves(Profile(name="p").model_dump(mode="json"))
    filled = _leaves(profile.model_dump(mode="json"))
    unchanged = [path for path, value in default.items()
                 if path in filled and filled[path] == value and path != ".schema_version"]
    assert unchanged == []  # the walk really set every field
    again = Profile.model_validate_json(profile.model_dump_json())
    assert again == profile
    assert _leaves(again.model_dump(mode="json")) == filled


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
