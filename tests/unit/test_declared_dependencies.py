"""Every module cmgtui imports from outside the standard library comes from a declared dependency.

A package that arrives only through another's dependencies (msal through azure-identity,
aiohttp through msgraph-sdk) can vanish when that other package changes its own list. This test
reads every ``import`` in ``cmgtui/`` and finds which installed distribution ships the imported
module's file. It works on the whole dotted name, not on the first part: ``azure`` is a namespace
shared by six distributions, so a tool that maps only top-level names (deptry does) cannot tell
``azure.core`` from ``azure.identity``.
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import importlib.util
import os
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    """The project's runtime dependencies, names only."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normalise(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}


def _statements(body: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every statement in ``body`` at any depth (an import is a statement: expressions need no walk)."""
    for node in body:
        yield node
        for part in ("body", "orelse", "finalbody", "handlers", "cases"):
            yield from _statements(getattr(node, part, ()))


def _imported_modules() -> set[str]:
    """The absolute module names that ``cmgtui/`` imports, the project's own left out."""
    names: set[str] = set()
    for path in (ROOT / "cmgtui").rglob("*.py"):
        for node in _statements(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    return {name for name in names
            if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] != "cmgtui"}


@cache
def _owners() -> dict[str, str]:
    """Each installed file's distribution (from the distributions' RECORD lists), by real path.

    A distribution's name is read once (its metadata is parsed again on each ask) and its folder
    resolved once, each RECORD line joined to it as text (a file that were a link of its own would
    show as undeclared: the test would fail, not pass wrongly)."""
    owners: dict[str, str] = {}
    for dist in metadata.distributions():
        name = _normalise(dist.metadata["Name"])
        root = os.path.realpath(dist.locate_file(""))
        for file in dist.files or ():
            owners[os.path.normpath(os.path.join(root, str(file)))] = name
    return owners


def _distribution_of(module: str) -> str | None:
    """The distribution that ships ``module``'s file (its package's ``__init__`` for a package)."""
    loaded = sys.modules.get(module)
    if loaded is not None and getattr(loaded, "__file__", None):
        origin: str | None = loaded.__file__
    else:
        spec = importlib.util.find_spec(module)
        origin = spec.origin if spec is not None else None
    return _owners().get(os.path.realpath(origin)) if origin else None


def test_every_imported_package_is_a_declared_dependency() -> None:
    declared = _declared()
    undeclared = {module: _distribution_of(module) for module in sorted(_imported_modules())}
    undeclared = {module: dist for module, dist in undeclared.items() if dist not in declared}
    assert undeclared == {}, f"imported but not declared in [project].dependencies: {undeclared}"


def test_the_check_tells_namespace_packages_apart() -> None:
    """Files are owned by the distribution that ships them, within the shared ``azure`` namespace too."""
    assert _distribution_of("msal") == "msal"
    assert _distribution_of("azure.core.rest") == "azure-core"
    assert _distribution_of("azure.identity") == "azure-identity"
