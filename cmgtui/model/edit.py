"""Read and write profile fields by dotted path (``"gateway.vm_instances"``).

The UI's field widgets know only their path; these two functions are how an edit reaches
the model. Assignment is validated by pydantic, so a value of the wrong type raises
``pydantic.ValidationError`` and the caller keeps the raw text as a draft instead.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def _parent(model: BaseModel, path: str) -> tuple[BaseModel, str]:
    *parents, leaf = path.split(".")
    node: Any = model
    for part in parents:
        node = getattr(node, part)
        if not isinstance(node, BaseModel):
            raise AttributeError(f"{path!r}: {part!r} is not a section")
    if leaf not in type(node).model_fields:
        raise AttributeError(f"{path!r}: no field {leaf!r}")
    return node, leaf


def get_path(model: BaseModel, path: str) -> Any:
    """The value at ``path``; raises AttributeError for an unknown path."""
    node, leaf = _parent(model, path)
    return getattr(node, leaf)


def set_path(model: BaseModel, path: str, value: Any) -> None:
    """Assign ``value`` at ``path`` with validation (ValidationError on a wrong type)."""
    node, leaf = _parent(model, path)
    setattr(node, leaf, value)
