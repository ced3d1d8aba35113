"""``cmgtui/domain/`` is logic over values: it takes bytes and text and returns values (ARCHITECTURE §2).

Files are read through :mod:`cmgtui.safe_read` (regular files only, bounded, never blocking) and
written through :mod:`cmgtui.private_files` (atomic or new-only, 0600, fsynced) by the layers
above. This test walks every module's syntax tree and names each place in ``domain/`` that opens,
reads, writes, creates, lists or removes a file itself, or imports a file-handling module.
It cannot see through a variable holding ``open`` or ``str.replace``-like names shared with
strings (``replace``), so those are left to review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cmgtui

PACKAGE = Path(cmgtui.__file__).parent
DOMAIN = PACKAGE / "domain"

#: Modules whose files may still do their own I/O, relative to the repository root: none.
ALLOWED: set[str] = set()

#: Modules that exist to handle files; domain/ has no use for them.
FILE_MODULES = {"shutil", "tempfile", "glob", "fileinput", "mmap", "fcntl", "cmgtui.private_files"}

#: ``os`` functions that open, read, write, list, create or remove files and folders.
OS_FILE_CALLS = {"open", "fdopen", "read", "write", "remove", "unlink", "rename", "renames", "replace", "mkdir",
                 "makedirs", "rmdir", "removedirs", "listdir", "scandir", "walk", "fsync", "chmod", "truncate",
                 "symlink", "link", "mkfifo"}

#: Methods that only files have (``pathlib.Path``, ``io``, ``zipfile`` …): any ``x.NAME(...)`` is I/O.
FILE_METHODS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "mkdir", "unlink", "rmdir", "touch",
                "symlink_to", "hardlink_to", "iterdir", "rglob", "chmod", "lchmod", "rename"}


def file_io_in(source: str) -> list[str]:
    """Each place in ``source`` that does file I/O, as ``line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if a.name in FILE_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module in FILE_MODULES:
            found.append(f"{node.lineno}: from {node.module} import …")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [f"{node.lineno}: from os import {a.name}" for a in node.names if a.name in OS_FILE_CALLS]
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                found.append(f"{node.lineno}: open(…)")
            elif isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                if owner == "os" and func.attr in OS_FILE_CALLS:
                    found.append(f"{node.lineno}: os.{func.attr}(…)")
                elif func.attr in FILE_METHODS:
                    found.append(f"{node.lineno}: .{func.attr}(…)")
    return found


def test_domain_opens_reads_and_writes_no_file() -> None:
    offenders = []
    for path in sorted(DOMAIN.rglob("*.py")):
        name = path.relative_to(PACKAGE.parent).as_posix()
        if name in ALLOWED:
            continue
        offenders += [f"{name}:{where}" for where in file_io_in(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_allowed_module_still_exists() -> None:
    """An entry whose module moved away must go, or it would allow a new module of that name."""
    assert all((PACKAGE.parent / name).is_file() for name in ALLOWED)


@pytest.mark.parametrize("line", [
    "data = open(path, 'rb').read()",
    "Path(p).write_bytes(data)",
    "text = path.read_text(encoding='utf-8')",
    "fd = os.open(path, os.O_RDONLY)",
    "os.replace(tmp, path)",
    "import shutil",
    "from tempfile import mkstemp",
    "from cmgtui.private_files import write_atomic",
    "from os import fdopen",
    "with zipfile.ZipFile(path) as z: z.open('a.log')",
    "folder.mkdir(parents=True)",
])
def test_the_check_sees_each_kind_of_file_io(line: str) -> None:
    assert file_io_in(line), line


@pytest.mark.parametrize("line", [
    "name = text.replace('*', 'wildcard')",
    "data = load_certificate_bytes(raw, password)",
    "from cmgtui.safe_read import read_checked",
    "import os\nname = os.fspath(path)",
])
def test_logic_over_values_passes(line: str) -> None:
    assert file_io_in(line) == []
