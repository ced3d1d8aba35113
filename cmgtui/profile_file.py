"""Reading one profile file: size and format limits, parsing, migration, the name correction,
and the quarantine of a file that cannot be used.

- Files are read through :mod:`cmgtui.safe_read` (regular files only, symlinks only inside
  the profiles folder, size and nesting limits); every way parsing or migrating can fail
  becomes a :class:`ProfileParseError` with a plain reason.
- The file is the profile's identity: its stem is the profile's name. A different ``name``
  inside the file is corrected on load and reported (:class:`LoadedProfile` ``notices``).
- A file that cannot be used is copied aside to the quarantine folder once per distinct
  content (named with the reason and a hash of the content) and reported; the original is
  never overwritten or reset.

:mod:`cmgtui.store` builds the store of named, locked profiles on these reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from cmgtui.migrations import MigrationError, migrate
from cmgtui.model import Profile
from cmgtui.quarantine import MAX_QUARANTINE_COPY_BYTES, copy_aside
from cmgtui.safe_read import ReadRefused, loads_limited, read_checked

MAX_PROFILE_BYTES = 5 * 1024 * 1024


class StoreError(Exception):
    """A profile operation failed; the message says what happened and what to do."""


class ProfileDamaged(StoreError):
    """The profile file could not be used; a copy was put aside at ``quarantined``."""

    def __init__(self, message: str, quarantined: Path | None, reason: str = "") -> None:
        super().__init__(message)
        self.quarantined = quarantined
        self.reason = reason


class ProfileParseError(StoreError):
    """Bytes that are not a usable profile; the message is the reason, in plain words."""

    def __init__(self, reason: str, code: str = "invalid") -> None:
        super().__init__(reason)
        self.code = code


@dataclass(frozen=True)
class LoadedProfile:
    """A profile read from its file, with what was corrected on the way (to tell the user)."""

    profile: Profile
    notices: tuple[str, ...] = ()


def _first_error(exc: Exception) -> str:
    """A one-line description of a validation failure."""
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "top level"
        return f"{where}: {err['msg']}"
    return f"{type(exc).__name__}: {exc}"[:200]


def _parse(data: bytes, file_name: str | None) -> tuple[Profile, object]:
    """(profile, the name the file declared); the profile is named ``file_name`` when given."""
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileParseError(f"the file is {len(data):,} bytes, far larger than any profile", "too-large")
    try:
        raw = loads_limited(data)
    except ReadRefused as exc:
        raise ProfileParseError(exc.reason, exc.code) from None
    if not isinstance(raw, dict):
        raise ProfileParseError("it does not hold a profile object", "not-a-profile")
    declared = raw.get("name")
    if file_name is not None:
        raw["name"] = file_name
    try:
        migrated = migrate(raw)
    except MigrationError as exc:
        raise ProfileParseError(str(exc), "schema") from None
    except Exception as exc:  # a migration meeting a shape it does not expect: never a traceback
        raise ProfileParseError(
            f"its content could not be brought to the current schema ({_first_error(exc)})", "migration"
        ) from None
    try:
        return Profile.model_validate(migrated), declared
    except ValidationError as exc:
        raise ProfileParseError(f"its content does not match a profile ({_first_error(exc)})", "invalid") from None
    except Exception as exc:  # e.g. RecursionError inside validation
        raise ProfileParseError(f"its content does not match a profile ({_first_error(exc)})", "invalid") from None


def parse_profile(data: bytes) -> Profile:
    """Parse, migrate and validate the bytes of a profile file (an import); raises ProfileParseError."""
    return _parse(data, None)[0]


def _correction(stem: str, declared: object) -> tuple[str, ...]:
    """The notice for a file whose inner name differs from its file name (none when equal)."""
    if declared == stem:
        return ()
    said = repr(declared)[:80] if declared is not None else "nothing"
    return (
        f"Profile file {stem}.json gave its name as {said}; the file name decides, so it is "
        f"'{stem}' (saved so on the next change).",
    )


def _read_bytes(path: Path) -> bytes:
    return read_checked(path, limit=MAX_PROFILE_BYTES, within=path.parent)


def read_profile_summary(path: Path) -> Profile:
    """Parse a profile file for display only: damage raises ProfileParseError, nothing is
    quarantined (opening the profile does that and reports it)."""
    try:
        return _parse(_read_bytes(path), path.stem)[0]
    except ReadRefused as exc:
        raise ProfileParseError(exc.reason, exc.code) from None


def _quarantine(path: Path, reason: str, code: str) -> ProfileDamaged:
    """Copy ``path`` aside (once per content) and build the error that reports it."""
    try:
        target = copy_aside(path, code)
        why_not = f"it is larger than {MAX_QUARANTINE_COPY_BYTES:,} bytes"
    except ReadRefused as exc:
        target, why_not = None, exc.reason
    except OSError as exc:
        target, why_not = None, f"copying failed: {exc.strerror or exc}"
    if target:
        where = f" A copy is at {target}."
    else:
        where = " Nothing was copied aside." if why_not == reason else f" Nothing was copied aside ({why_not})."
    return ProfileDamaged(
        f"Profile '{path.stem}' could not be opened (quarantined: {reason}). The file was left as it is.{where} "
        "Fix or remove the file, or restore it from a backup.",
        target,
        reason,
    )


def read_profile_file(path: Path) -> LoadedProfile:
    """Read one profile file, named after the file; damage is quarantined (copied aside) and reported."""
    try:
        data = _read_bytes(path)
    except ReadRefused as exc:
        if exc.code == "missing" and not path.is_symlink():
            raise StoreError(f"Profile '{path.stem}' does not exist.") from None
        raise _quarantine(path, exc.reason, exc.code) from None
    try:
        profile, declared = _parse(data, path.stem)
    except ProfileParseError as exc:
        raise _quarantine(path, str(exc), exc.code) from None
    return LoadedProfile(profile, _correction(path.stem, declared))
