"""What the headless commands share: the profile lookup, output, and the usage-error type."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmgtui.model import Profile


class CommandError(Exception):
    """Input that makes a headless command impossible (exit 2); the message says what to do."""


def add_profile_option(parser: argparse.ArgumentParser) -> None:
    """``--profile NAME`` on a subcommand (kept apart from the top-level option's value)."""
    parser.add_argument("--profile", dest="command_profile", metavar="NAME",
                        help="the profile to use (default: the only profile, if there is one)")


def profile_name_from(args: argparse.Namespace) -> str | None:
    """The name given with ``--profile`` before or after the subcommand."""
    return getattr(args, "command_profile", None) or getattr(args, "profile", None)


def load_named_profile(args: argparse.Namespace) -> Profile:
    """The profile named by ``--profile`` (before or after the subcommand), read-only.

    Without a name, the only saved profile is used; with none or several, the user is asked
    to name one. Raises :class:`CommandError` with a one-line reason.
    """
    from cmgtui import paths, store

    name = profile_name_from(args)
    try:
        if not name:
            infos = store.ProfileStore().list()
            if not infos:
                raise CommandError("No profile exists yet; create one in cmgtui, then pass --profile NAME.")
            if len(infos) > 1:
                listed = ", ".join(info.name for info in infos[:8])
                raise CommandError(f"Several profiles exist ({listed}); choose one with --profile NAME.")
            name = infos[0].name
        return store.load_profile_readonly(name)
    except paths.InvalidProfileName as exc:
        raise CommandError(f"'{name}' is not a valid profile name: {exc}") from exc
    except store.StoreError as exc:
        raise CommandError(str(exc)) from exc


def write_output(text: str, target: str | None, encoding: str = "utf-8") -> None:
    """``text`` to stdout, or to the file ``target`` (replaced if present)."""
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(target).expanduser()
    try:
        path.write_text(text, encoding=encoding, newline="\n")
    except OSError as exc:
        raise CommandError(f"Can't write {path}: {exc.strerror or exc}.") from exc
