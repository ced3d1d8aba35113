"""Keeping a damaged file aside: one private copy per distinct content, named with the reason.

A file cmgtui cannot use (a damaged profile, a damaged or foreign sandbox state) is never
overwritten or reset without a word: a copy goes to the quarantine folder (``paths.quarantine_dir``)
as ``STEM.REASON.HASH.SUFFIX``, so the same damage met again makes no second copy, and the
message that reports the damage names the copy. The copy is written through
:mod:`cmgtui.private_files` (0600, fsync, atomic).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cmgtui import paths
from cmgtui.private_files import ensure_private_dir, write_atomic_from
from cmgtui.safe_read import open_checked

MAX_QUARANTINE_COPY_BYTES = 512 * 1024 * 1024
"""A damaged file larger than this is reported but not copied aside (it is not a file cmgtui wrote)."""

_CHUNK = 1024 * 1024


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(_CHUNK):
        yield chunk


def copy_aside(path: Path, code: str, within: Path | None = None) -> Path | None:
    """Copy ``path`` into quarantine once per distinct content; the copy's path (None: too large to copy).

    ``within`` limits where a symbolic link at ``path`` may lead (see :mod:`cmgtui.safe_read`);
    ReadRefused or OSError when the file cannot be read.
    """
    folder = ensure_private_dir(paths.quarantine_dir())
    with open_checked(path, within=path.parent if within is None else within) as (handle, info):
        if info.st_size > MAX_QUARANTINE_COPY_BYTES:
            return None
        digest = hashlib.sha256()
        for chunk in _chunks(handle):
            digest.update(chunk)
        target = folder / f"{path.stem}.{code}.{digest.hexdigest()[:16]}{path.suffix}"
        if target.exists():
            return target
        handle.seek(0)
        write_atomic_from(target, _chunks(handle))
    return target
