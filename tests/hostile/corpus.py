"""The hostile-input corpus: profile files and inputs a careful tester (or a bad day) produces.

Each entry plants one file at a given path; :func:`fingerprint` records what is there so a
test can assert the original was left exactly as it was (content, or kind of special file).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
CASE_TIMEOUT_S = 10.0


def _profile(**fields: object) -> bytes:
    return json.dumps({"schema_version": 2, "name": "victim", **fields}).encode()


REGULAR: dict[str, bytes] = {
    "v1-checklist-list": b'{"schema_version":1,"name":"victim","checklist":[1]}',
    "v1-notes-string": b'{"schema_version":1,"name":"victim","notes":"oops"}',
    "nested-5000": b'{"schema_version":2,"name":"victim","x":' + b"[" * 5000 + b"]" * 5000 + b"}",
    "nested-objects-200": b'{"schema_version":2,"name":"victim","x":' + b'{"a":' * 200 + b"1" + b"}" * 200 + b"}",
    "huge-integer": b'{"schema_version":2,"name":"victim","region":' + b"9" * 5000 + b"}",
    "too-large": b"{" + b" " * (6 * 1024 * 1024) + b"}",
    "not-utf8": b'{"schema_version":2,"name":"\xff\xfe"}',
    "not-json": b"{ this is not json",
    "empty": b"",
    "array": b"[1, 2, 3]",
    "newer-schema": _profile(schema_version=99),
    "schema-as-text": b'{"schema_version":"2","name":"victim"}',
    "bool-schema": b'{"schema_version":true,"name":"victim"}',
    "wrong-type": _profile(region=["westus"]),
}
"""Regular files whose content is damaged: each must be quarantined with a reason."""

SPECIAL = ("symlink-dev-zero", "fifo", "directory", "symlink-outside", "dangling-symlink")
"""Files that are not regular files inside the profiles folder: refused before reading."""

NAMES_INSIDE: dict[str, bytes] = {
    "name-escape": _profile(name="../../escape", region="westus"),
    "name-absolute": _profile(name="/etc/passwd", region="westus"),
    "name-other-profile": _profile(name="good", region="westus"),
    "name-number": _profile(name=5, region="westus"),
    "name-control": _profile(name="\x1b[2Jx", region="westus"),
    "name-nul": _profile(name="victim\x00", region="westus"),
    "name-missing-v1": b'{"schema_version":1,"region":"westus","checklist":{"region":true}}',
}
"""Usable files whose inner ``name`` differs from the file name: loaded under the file's name."""


def plant(path: Path, kind: str, outside: Path) -> None:
    """Create the corpus entry ``kind`` at ``path`` (``outside`` is a folder outside the profiles)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind in REGULAR:
        path.write_bytes(REGULAR[kind])
    elif kind in NAMES_INSIDE:
        path.write_bytes(NAMES_INSIDE[kind])
    elif kind == "symlink-dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "symlink-outside":
        target = outside / "elsewhere.json"
        target.write_bytes(_profile())
        path.symlink_to(target)
    elif kind == "dangling-symlink":
        path.symlink_to(outside / "missing.json")
    else:
        raise ValueError(kind)


def fingerprint(path: Path) -> tuple[str, str]:
    """(kind, content hash or link target) of what is at ``path``, without following or reading specials."""
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return "link", os.readlink(path)
    if stat.S_ISREG(info.st_mode):
        return "file", hashlib.sha256(path.read_bytes()).hexdigest()
    return stat.filemode(info.st_mode)[0], ""


def bounded(call: Callable[[], T], seconds: float = CASE_TIMEOUT_S) -> T:
    """Run ``call`` and return its result; fail the test if it takes longer than ``seconds`` (a hang)."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed back to the test thread
            outcome["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise AssertionError(f"hung: no answer within {seconds} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
