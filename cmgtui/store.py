"""Profile persistence: one JSON file per profile, written atomically, locked, migrated.

- The file is the profile's identity: its stem is the profile's name. A different ``name``
  inside the file is corrected on load (and reported); nothing inside a file ever chooses
  where anything is written, so activity logs, locks and journals follow the file.
- Reading one file (limits, parsing, migration, the name correction, the quarantine of a
  damaged file) is :mod:`cmgtui.profile_file`.
- Writes go to a temporary file in the same folder, are flushed and fsynced, then moved over
  the old file with ``os.replace``, so a crash at any point leaves either the old or the new
  file whole. Files are 0600 in a 0700 folder. Temporary files a killed process left behind
  are removed when no session holds that profile's lock.
- Two locks per profile (``filelock``, 0600, each with a note of who holds it: see
  :mod:`cmgtui.holder_lock`). The *session* lock marks the TUI session that may edit; a second
  session on the same profile gets it read-only and is told so. The *write* lock is held by
  whoever is changing the file right now: a TUI session from its first unsaved edit until that
  edit is saved, a headless command (``entra create``) for its read-change-write
  (:meth:`ProfileStore.update`). A writer waits for it briefly (:data:`WRITE_WAIT_SECONDS`),
  then is refused with the holder's process, host and command. Whoever takes the write lock
  re-reads the file first when another writer changed it, so no write is lost either way.
  Create, import, duplicate, rename and delete hold both locks of every name they write or
  remove while they do it.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cmgtui import paths
from cmgtui.holder_lock import HolderLock, LockBusy
from cmgtui.model import Profile, utc_now
from cmgtui.private_files import PRIVATE_FILE, ensure_private_dir
from cmgtui.private_files import write_atomic as _write_private
from cmgtui.profile_file import LoadedProfile, StoreError, parse_profile, read_profile_file

_TEMP_FILE = re.compile(r"^\.(?P<file>.+\.json)\.[A-Za-z0-9_]+\.tmp$")
_QUARANTINE_TEMP_AGE_S = 600
WRITE_WAIT_SECONDS = 5.0
"""How long a writer waits for another one to finish (a TUI session saves within a second of an edit)."""
EDIT_WAIT_SECONDS = 2.0
"""How long a TUI edit waits for a headless command's write (milliseconds, unless the disk is slow)."""

Signature = tuple[int, int, int] | None


def _signature(path: Path) -> Signature:
    """What tells one version of a file from the next (every atomic write makes a new inode)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


class ProfileBusy(StoreError):
    """Another writer held the profile for longer than this one could wait."""

    def __init__(self, name: str, busy: LockBusy, waited: float) -> None:
        super().__init__(
            f"Profile '{name}' is being changed by {busy}; it has unsaved changes there. "
            f"Waited {waited:g} s. Let that session save (or close it), then run this again."
        )
        self.holder = busy.holder


def _copy_into(target: Profile, source: Profile) -> None:
    """Make ``target`` hold ``source``'s values (the App and its panes keep the same object)."""
    for field in type(target).model_fields:
        object.__setattr__(target, field, getattr(source, field))


@dataclass(frozen=True)
class ProfileInfo:
    """A profile as the picker lists it."""

    name: str
    modified: datetime
    path: Path


@dataclass
class OpenedProfile:
    """A loaded profile, whether this session may write it, and the version of the file it holds."""

    profile: Profile
    read_only: bool
    lock: HolderLock | None
    notices: tuple[str, ...] = ()
    writer: HolderLock | None = None
    signature: Signature = None

    @property
    def path(self) -> Path:
        """The profile's file."""
        return paths.profile_file(self.profile.name)

    @property
    def changing(self) -> bool:
        """Whether this session holds the write lock (it has a change not yet saved)."""
        return self.writer is not None and self.writer.held

    def changed_on_disk(self) -> bool:
        """Whether another writer replaced the file since this session last read or wrote it."""
        return _signature(self.path) != self.signature

    def reload(self) -> None:
        """Read the file again into the same :class:`Profile` object (StoreError when it can't be used).

        The file's version is noted even when reading fails, so a damaged file is reported once.
        """
        version = _signature(self.path)
        self.signature = version
        loaded = read_profile_file(self.path)
        _copy_into(self.profile, loaded.profile)

    def begin_change(self, wait: float = EDIT_WAIT_SECONDS) -> bool:
        """Hold the write lock for a change (kept until :meth:`end_change`); True when the file
        was re-read first because another writer had changed it. ProfileBusy when refused."""
        if self.writer is None:
            raise StoreError(f"Profile '{self.profile.name}' is open read-only in this session.")
        if self.writer.held:
            return False
        try:
            self.writer.acquire(wait)
        except LockBusy as busy:
            raise ProfileBusy(self.profile.name, busy, wait) from None
        if not self.changed_on_disk():
            return False
        try:
            self.reload()
        except BaseException:
            self.writer.release()
            raise
        return True

    def note_written(self) -> None:
        """This session has just written the file (call while holding the write lock)."""
        self.signature = _signature(self.path)

    def end_change(self) -> None:
        """Let other writers in again (the change is saved)."""
        if self.writer is not None:
            self.writer.release()

    def close(self) -> None:
        """Release this session's locks."""
        self.end_change()
        self.writer = None
        if self.lock is not None:
            self.lock.release()
        self.lock = None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` (0600, folder 0700) so that a crash leaves the old or the new file whole."""
    ensure_private_dir(path.parent)
    _write_private(path, data, PRIVATE_FILE)


class ProfileStore:
    """All profile files under :func:`cmgtui.paths.profiles_dir`."""

    def __init__(self) -> None:
        self.folder = paths.profiles_dir()

    def list(self) -> list[ProfileInfo]:
        """Every profile file, most recently modified first (damaged ones too: the picker says why).

        Listing is what every start does first, so it also removes temporary files that
        killed processes left behind (see :meth:`remove_stale_temp_files`).
        """
        if not self.folder.is_dir():
            return []
        self.remove_stale_temp_files()
        infos = []
        for path in self.folder.glob("*.json"):
            try:
                name = paths.validate_profile_name(path.stem)
            except paths.InvalidProfileName:
                continue
            try:
                modified = path.stat().st_mtime
            except OSError:
                try:
                    modified = path.lstat().st_mtime  # a dangling link: listed, reported as damaged
                except OSError:
                    continue
            infos.append(ProfileInfo(name, datetime.fromtimestamp(modified, UTC), path))
        return sorted(infos, key=lambda info: info.modified, reverse=True)

    def exists(self, name: str) -> bool:
        """Whether a profile called ``name`` exists (a dangling link counts: it is reported, not replaced)."""
        path = paths.profile_file(name)
        return path.exists() or path.is_symlink()

    def load(self, name: str) -> Profile:
        """Read a profile without taking its lock."""
        return self.load_checked(name).profile

    def load_checked(self, name: str) -> LoadedProfile:
        """Read a profile without taking its lock, with the corrections made while reading."""
        return read_profile_file(paths.profile_file(name))

    def save(self, profile: Profile) -> None:
        """Write ``profile`` atomically to the file of its name, stamping ``updated_at``.

        A loaded profile's name is always its file's stem, so this writes the file it came from.
        """
        profile.updated_at = utc_now()
        write_atomic(paths.profile_file(profile.name), profile.model_dump_json(indent=2).encode())

    def _lock(self, name: str) -> HolderLock:
        """The session lock: held by the TUI session that has ``name`` open for editing."""
        return HolderLock(paths.profile_lock(name))

    def _write_lock(self, name: str) -> HolderLock:
        """The write lock: held by whoever is changing ``name``'s file right now."""
        return HolderLock(paths.profile_write_lock(name))

    @contextmanager
    def _writing(self, name: str, wait: float = WRITE_WAIT_SECONDS) -> Iterator[None]:
        """Hold ``name``'s write lock for the block, waiting up to ``wait`` s; ProfileBusy if refused."""
        lock = self._write_lock(name)
        try:
            lock.acquire(wait)
        except LockBusy as busy:
            raise ProfileBusy(name, busy, wait) from None
        except OSError as exc:
            raise StoreError(f"Profile '{name}' could not be locked ({exc.strerror or exc}).") from None
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def _holding(self, name: str) -> Iterator[None]:
        """Hold both of ``name``'s locks for the block; StoreError if another session has it open."""
        lock = self._lock(name)
        try:
            lock.acquire()
        except LockBusy as busy:
            raise StoreError(f"Profile '{name}' is open in another cmgtui session ({busy}); "
                             "close it there first.") from None
        except OSError as exc:
            raise StoreError(f"Profile '{name}' could not be locked ({exc.strerror or exc}).") from None
        try:
            with self._writing(name):
                yield
        finally:
            lock.release()

    def update(self, name: str, change: Callable[[Profile], None], wait: float = WRITE_WAIT_SECONDS) -> Profile:
        """Re-read ``name``, apply ``change`` and save it, all under its write lock.

        This is how a headless command writes: a TUI session that has the profile open keeps
        its session lock, re-reads the file before its next change, and shows what was written.
        Waits up to ``wait`` seconds for a session that is saving; ProfileBusy (naming it) after.
        """
        name = paths.validate_profile_name(name)
        if not self.exists(name):
            raise StoreError(f"Profile '{name}' does not exist.")
        with self._writing(name, wait):
            profile = self.load(name)
            change(profile)
            self.save(profile)
        return profile

    def ensure_writable(self, name: str, wait: float = WRITE_WAIT_SECONDS) -> None:
        """Refuse (ProfileBusy, naming the holder) now rather than after work that must be recorded."""
        with self._writing(paths.validate_profile_name(name), wait):
            pass

    def create(self, name: str) -> Profile:
        """Make and save a new empty profile; refuses an existing name."""
        name = paths.validate_profile_name(name)
        with self._holding(name):
            if self.exists(name):
                raise StoreError(f"A profile called '{name}' already exists; choose another name.")
            profile = Profile(name=name)
            self.save(profile)
        return profile

    def import_profile(self, data: bytes, name: str | None = None, replace: bool = False) -> Profile:
        """Validate ``data`` as a profile and save it (under ``name`` if given).

        Refuses damaged data with ProfileParseError and an existing name unless ``replace``;
        a profile open in another session is never replaced.
        """
        profile = parse_profile(data)
        wanted = name or profile.name
        try:
            profile.name = paths.validate_profile_name(wanted)
        except paths.InvalidProfileName as exc:
            raise StoreError(f"{wanted[:80]!r} is not a valid profile name ({exc}); pass --name NAME.") from exc
        with self._holding(profile.name):
            if self.exists(profile.name) and not replace:
                raise StoreError(
                    f"A profile called '{profile.name}' already exists; pass another name or replace it."
                )
            self.save(profile)
        return profile

    def open(self, name: str) -> OpenedProfile:
        """Load a profile for this session, taking its lock, or read-only if another has it."""
        lock = self._lock(name)
        try:
            lock.acquire()
        except LockBusy:
            version = _signature(paths.profile_file(name))
            loaded = self.load_checked(name)
            return OpenedProfile(loaded.profile, read_only=True, lock=None, notices=loaded.notices,
                                 signature=version)
        except OSError as exc:
            raise StoreError(f"Profile '{name}' could not be locked ({exc.strerror or exc}).") from None
        try:
            if not self.exists(name):  # leave no lock file behind for a profile that is not there
                lock.release()
                paths.profile_lock(name).unlink(missing_ok=True)
                raise StoreError(f"Profile '{name}' does not exist.")
            with self._writing(name):
                self._remove_temp_files_of(name)
                version = _signature(paths.profile_file(name))
                loaded = self.load_checked(name)
            return OpenedProfile(loaded.profile, read_only=False, lock=lock, notices=loaded.notices,
                                 writer=self._write_lock(name), signature=version)
        except BaseException:
            lock.release()
            raise

    def is_in_use(self, name: str) -> bool:
        """Whether another session holds the profile's lock right now."""
        lock = self._lock(name)
        try:
            lock.acquire()
        except LockBusy:
            return True
        except OSError:
            return False
        lock.release()
        return False

    def duplicate(self, source: str, target: str) -> Profile:
        """Copy profile ``source`` to a new profile ``target``."""
        target = paths.validate_profile_name(target)
        with self._holding(target):
            if self.exists(target):
                raise StoreError(f"A profile called '{target}' already exists; choose another name.")
            profile = self.load(source).model_copy(deep=True)
            profile.name = target
            profile.created_at = utc_now()
            self.save(profile)
        return profile

    def rename(self, old: str, new: str) -> Profile:
        """Rename a profile that no session has open; its logs move with it and its lock file goes."""
        new = paths.validate_profile_name(new)
        if new == old:
            return self.load(old)
        with self._holding(old), self._holding(new):
            if self.exists(new):
                raise StoreError(f"A profile called '{new}' already exists; choose another name.")
            profile = self.load(old)
            profile.name = new
            self.save(profile)
            for move in (paths.activity_log, paths.operations_journal):
                if move(old).exists():
                    os.replace(move(old), move(new))
            paths.profile_file(old).unlink()
            self._remove_lock_files(old)
        return profile

    def delete(self, name: str) -> None:
        """Delete a profile (and its logs and lock file) that no session has open.

        The lock is held while the files are removed, so a session cannot open the profile
        in between (and end up holding a lock on a file that is then deleted).
        """
        with self._holding(name):
            for path in (paths.profile_file(name), paths.activity_log(name), paths.operations_journal(name)):
                try:
                    path.unlink(missing_ok=True)
                except OSError as exc:
                    raise StoreError(
                        f"Profile '{name}': {path.name} could not be deleted ({exc.strerror or exc}); "
                        "remove it by hand (it is not a regular file)."
                    ) from None
            self._remove_lock_files(name)

    @staticmethod
    def _remove_lock_files(name: str) -> None:
        """Remove ``name``'s lock files (call while holding both locks; they are let go right after)."""
        for lock in (paths.profile_lock(name), paths.profile_write_lock(name)):
            lock.unlink(missing_ok=True)

    def _remove_temp_files_of(self, name: str) -> int:
        """Remove ``.NAME.json.*.tmp`` files; only call while holding ``name``'s lock."""
        removed = 0
        for tmp in self.folder.glob(f".{name}.json.*.tmp"):  # a valid name holds no glob characters
            match = _TEMP_FILE.match(tmp.name)
            if match and match["file"] == f"{name}.json":
                tmp.unlink(missing_ok=True)
                removed += 1
        return removed

    def remove_stale_temp_files(self) -> int:
        """Remove temporary files of profiles no session holds (a killed save left them); how many."""
        stems = set()
        for tmp in self.folder.glob(".*.json.*.tmp"):
            match = _TEMP_FILE.match(tmp.name)
            if match:
                stems.add(match["file"].removesuffix(".json"))
        removed = 0
        for stem in sorted(stems):
            try:
                paths.validate_profile_name(stem)
            except paths.InvalidProfileName:
                continue
            try:
                with self._holding(stem):
                    removed += self._remove_temp_files_of(stem)
            except StoreError:
                continue  # a session holds it: its temp file may be a save in progress
        self._remove_stale_quarantine_temp_files()
        return removed

    @staticmethod
    def _remove_stale_quarantine_temp_files() -> None:
        folder = paths.quarantine_dir()
        if not folder.is_dir():
            return
        cutoff = time.time() - _QUARANTINE_TEMP_AGE_S
        for tmp in folder.glob(".*.tmp"):
            try:
                if tmp.lstat().st_mtime < cutoff:
                    tmp.unlink()
            except OSError:
                continue


def _declared_only(model: BaseModel) -> dict[str, Any]:
    """``model`` as JSON-ready data holding only declared fields (no unknown extra keys)."""
    out: dict[str, Any] = {}
    for field in type(model).model_fields:
        value = getattr(model, field)
        if isinstance(value, BaseModel):
            out[field] = _declared_only(value)
        elif isinstance(value, list):
            out[field] = [_declared_only(v) if isinstance(v, BaseModel) else v for v in value]
        elif isinstance(value, dict):
            out[field] = {k: _declared_only(v) if isinstance(v, BaseModel) else v for k, v in value.items()}
        else:
            out[field] = value
    return out


def export_profile(profile: Profile) -> str:
    """A portable JSON copy of ``profile``: declared fields only, so nothing unknown travels.

    Profiles hold no secrets by design (passwords, keys and app secrets are never stored);
    dropping undeclared keys makes sure a hand-edited file cannot smuggle one out either.
    """
    data = _declared_only(profile)
    return json.dumps(Profile.model_validate(data).model_dump(mode="json"), indent=2) + "\n"


def load_profile_readonly(name: str) -> LoadedProfile:
    """Load a profile for a headless command (no lock, nothing written but a quarantine copy)."""
    return ProfileStore().load_checked(name)
