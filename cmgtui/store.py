"""Profile persistence: one JSON file per profile, written atomically, locked, migrated.

- Writes go to a temporary file in the same folder, are flushed and fsynced, then moved over
  the old file with ``os.replace``, so a crash at any point leaves either the old or the new
  file whole. Files are 0600 in a 0700 folder.
- A lock per profile (``filelock``) marks the session that may write; a second session on
  the same profile gets it read-only and is told so.
- A file that cannot be read, or one from a newer schema, is copied aside to the quarantine
  folder and reported; the original is never overwritten or reset.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from pydantic import BaseModel, ValidationError

from cmgtui import paths
from cmgtui.migrations import MigrationError, migrate
from cmgtui.model import Profile, utc_now

MAX_PROFILE_BYTES = 5 * 1024 * 1024


class StoreError(Exception):
    """A profile operation failed; the message says what happened and what to do."""


class ProfileDamaged(StoreError):
    """The profile file could not be used; a copy was put aside at ``quarantined``."""

    def __init__(self, message: str, quarantined: Path | None) -> None:
        super().__init__(message)
        self.quarantined = quarantined


@dataclass(frozen=True)
class ProfileInfo:
    """A profile as the picker lists it."""

    name: str
    modified: datetime
    path: Path


@dataclass
class OpenedProfile:
    """A loaded profile and whether this session may write it."""

    profile: Profile
    read_only: bool
    lock: FileLock | None

    def close(self) -> None:
        """Release the write lock, if this session holds it."""
        if self.lock is not None and self.lock.is_locked:
            self.lock.release()
        self.lock = None


def _ensure_private_dir(folder: Path) -> Path:
    """Create ``folder`` (and parents) and make it 0700."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file whole."""
    _ensure_private_dir(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _quarantine(path: Path, reason: str) -> ProfileDamaged:
    """Copy ``path`` into the quarantine folder and build the error that reports it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = _ensure_private_dir(paths.quarantine_dir()) / f"{path.stem}.{stamp}{path.suffix}"
    try:
        shutil.copy2(path, target)
    except OSError:
        target = None
    where = f" A copy is at {target}." if target else ""
    return ProfileDamaged(
        f"Profile '{path.stem}' could not be opened: {reason}. The file was left as it is.{where} "
        "Fix or remove the file, or restore it from a backup.",
        target,
    )


class ProfileParseError(StoreError):
    """Bytes that are not a usable profile; the message is the reason, in plain words."""


def parse_profile(data: bytes) -> Profile:
    """Parse, migrate and validate the bytes of a profile file; raises ProfileParseError."""
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileParseError(f"the file is {len(data):,} bytes, far larger than any profile")
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProfileParseError(f"it is not valid JSON ({type(exc).__name__})") from exc
    if not isinstance(raw, dict):
        raise ProfileParseError("it does not hold a profile object")
    try:
        return Profile.model_validate(migrate(raw))
    except MigrationError as exc:
        raise ProfileParseError(str(exc)) from exc
    except (ValidationError, KeyError, TypeError) as exc:
        raise ProfileParseError(f"its content does not match a profile ({_first_error(exc)})") from exc


def read_profile_summary(path: Path) -> Profile:
    """Parse a profile file for display only: damage raises ProfileParseError, nothing is
    quarantined (opening the profile does that and reports it)."""
    try:
        return parse_profile(path.read_bytes())
    except OSError as exc:
        raise ProfileParseError(f"it could not be read ({exc.strerror or exc})") from exc


def read_profile_file(path: Path) -> Profile:
    """Read one profile file; damage is quarantined (copied aside) and reported."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise StoreError(f"Profile '{path.stem}' does not exist.") from exc
    if size > MAX_PROFILE_BYTES:
        raise _quarantine(path, f"the file is {size:,} bytes, far larger than any profile")
    try:
        return parse_profile(path.read_bytes())
    except OSError as exc:
        raise _quarantine(path, f"it could not be read ({exc.strerror or exc})") from exc
    except ProfileParseError as exc:
        raise _quarantine(path, str(exc)) from exc


def _first_error(exc: Exception) -> str:
    """A one-line description of a validation failure."""
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "top level"
        return f"{where}: {err['msg']}"
    return f"missing or wrong field {exc}"


class ProfileStore:
    """All profile files under :func:`cmgtui.paths.profiles_dir`."""

    def __init__(self) -> None:
        self.folder = paths.profiles_dir()

    def list(self) -> list[ProfileInfo]:
        """Every profile file, most recently modified first."""
        if not self.folder.is_dir():
            return []
        infos = []
        for path in self.folder.glob("*.json"):
            try:
                name = paths.validate_profile_name(path.stem)
                infos.append(ProfileInfo(name, datetime.fromtimestamp(path.stat().st_mtime, UTC), path))
            except (paths.InvalidProfileName, OSError):
                continue
        return sorted(infos, key=lambda info: info.modified, reverse=True)

    def exists(self, name: str) -> bool:
        """Whether a profile called ``name`` exists."""
        return paths.profile_file(name).exists()

    def load(self, name: str) -> Profile:
        """Read a profile without taking its lock."""
        return read_profile_file(paths.profile_file(name))

    def save(self, profile: Profile) -> None:
        """Write ``profile`` atomically, stamping ``updated_at``."""
        profile.updated_at = utc_now()
        write_atomic(paths.profile_file(profile.name), profile.model_dump_json(indent=2).encode())

    def create(self, name: str) -> Profile:
        """Make and save a new empty profile; refuses an existing name."""
        name = paths.validate_profile_name(name)
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
            raise StoreError(f"'{wanted}' is not a valid profile name ({exc}); choose another name.") from exc
        if self.exists(profile.name):
            if not replace:
                raise StoreError(
                    f"A profile called '{profile.name}' already exists; pass another name or replace it."
                )
            self._refuse_if_open(profile.name)
        self.save(profile)
        return profile

    def open(self, name: str) -> OpenedProfile:
        """Load a profile for this session, taking its lock, or read-only if another has it."""
        lock_path = paths.profile_lock(name)
        _ensure_private_dir(lock_path.parent)
        lock = FileLock(lock_path, timeout=0)
        try:
            lock.acquire()
        except Timeout:
            return OpenedProfile(self.load(name), read_only=True, lock=None)
        try:
            return OpenedProfile(self.load(name), read_only=False, lock=lock)
        except BaseException:
            lock.release()
            raise

    def is_in_use(self, name: str) -> bool:
        """Whether another session holds the profile's lock right now."""
        lock = FileLock(paths.profile_lock(name), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            return True
        except OSError:
            return False
        lock.release()
        return False

    def duplicate(self, source: str, target: str) -> Profile:
        """Copy profile ``source`` to a new profile ``target``."""
        target = paths.validate_profile_name(target)
        if self.exists(target):
            raise StoreError(f"A profile called '{target}' already exists; choose another name.")
        profile = self.load(source).model_copy(deep=True)
        profile.name = target
        profile.created_at = utc_now()
        self.save(profile)
        return profile

    def rename(self, old: str, new: str) -> Profile:
        """Rename a profile that no session has open."""
        new = paths.validate_profile_name(new)
        if self.exists(new):
            raise StoreError(f"A profile called '{new}' already exists; choose another name.")
        self._refuse_if_open(old)
        profile = self.load(old)
        profile.name = new
        self.save(profile)
        for move in (paths.activity_log, paths.operations_journal):
            if move(old).exists():
                os.replace(move(old), move(new))
        paths.profile_file(old).unlink()
        return profile

    def delete(self, name: str) -> None:
        """Delete a profile (and its logs) that no session has open."""
        self._refuse_if_open(name)
        for path in (paths.profile_file(name), paths.activity_log(name), paths.operations_journal(name)):
            path.unlink(missing_ok=True)
        paths.profile_lock(name).unlink(missing_ok=True)

    def _refuse_if_open(self, name: str) -> None:
        if self.is_in_use(name):
            raise StoreError(
                f"Profile '{name}' is open in another cmgtui session; close it there first."
            )


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


def load_profile_readonly(name: str) -> Profile:
    """Load a profile for a headless command (no lock, nothing written)."""
    return ProfileStore().load(name)
