"""Where cmgtui keeps its files, from one place.

The root is ``$CMGTUI_HOME`` when set (tests and isolated runs use it), otherwise the
platform's user data folder from ``platformdirs``. Everything below the root is laid out
here so that no other module builds a path by hand.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

HOME_ENV = "CMGTUI_HOME"
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}[A-Za-z0-9_-]$|^[A-Za-z0-9]$")
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {
    f"lpt{i}" for i in range(1, 10)
}


class InvalidProfileName(ValueError):
    """A profile name that could not be used safely as a file name."""


def home() -> Path:
    """The root folder of cmgtui's data."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("cmgtui", appauthor=False)


def config_file() -> Path:
    """The user's configuration file (key map overrides and preferences)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser() / "config.toml"
    from platformdirs import user_config_path

    return user_config_path("cmgtui", appauthor=False) / "config.toml"


def profiles_dir() -> Path:
    """The folder that holds one JSON file per profile."""
    return home() / "profiles"


def quarantine_dir() -> Path:
    """Where damaged or too-new profile files are copied aside."""
    return home() / "quarantine"


def screenshots_dir() -> Path:
    """Where "Save screenshot" writes its SVG files (created when the first one is saved)."""
    return home() / "screenshots"


def sandbox_dir() -> Path:
    """Where the embedded sandbox tenant keeps its throw-away CA and state."""
    return home() / "sandbox"


def validate_profile_name(name: str) -> str:
    """Return ``name`` stripped if it is a safe profile name, else raise InvalidProfileName.

    A safe name is 1-64 characters of letters, digits, space, dot, underscore and hyphen,
    starting with a letter or digit and not ending with a dot or space, so that it can
    never name a path outside the profiles folder or a reserved device on Windows.
    """
    candidate = name.strip()
    if not candidate:
        raise InvalidProfileName("Enter a profile name.")
    if not _PROFILE_NAME.match(candidate) or ".." in candidate:
        raise InvalidProfileName(
            "Use 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit."
        )
    if candidate.split(".")[0].lower() in _RESERVED:
        raise InvalidProfileName(f"'{candidate}' is a reserved device name on Windows; choose another.")
    return candidate


def profile_file(name: str) -> Path:
    """The JSON file of the profile ``name`` (validated)."""
    return profiles_dir() / f"{validate_profile_name(name)}.json"


def profile_lock(name: str) -> Path:
    """The lock file that marks a profile as open for writing by one session."""
    return profiles_dir() / f".{validate_profile_name(name)}.lock"


def profile_write_lock(name: str) -> Path:
    """The lock held by whoever is writing profile ``name`` right now (a TUI edit, a command)."""
    return profiles_dir() / f".{validate_profile_name(name)}.write.lock"


def activity_log(name: str) -> Path:
    """The append-only JSONL log of what the app did for the profile ``name``."""
    return profiles_dir() / f"{validate_profile_name(name)}.activity.jsonl"


def operations_journal(name: str) -> Path:
    """The JSONL journal of tenant-changing operations (intent and outcome) for ``name``."""
    return profiles_dir() / f"{validate_profile_name(name)}.journal.jsonl"
