"""``cmgtui script``: write the PowerShell script for the Configuration Manager side of the setup.

Exit codes: 0 the script was written (stdout or ``-o FILE``); 1 the profile still lacks
values, listed one per line on stderr; 2 unusable input (unknown or damaged profile, file
that can't be written). This module also holds the profile lookup that ``cmgtui report``
shares. Domain and store modules are imported inside the handlers to keep start-up cheap.
"""

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


def load_named_profile(args: argparse.Namespace) -> Profile:
    """The profile named by ``--profile`` (before or after the subcommand), read-only.

    Without a name, the only saved profile is used; with none or several, the user is asked
    to name one. Raises :class:`CommandError` with a one-line reason.
    """
    from cmgtui import paths, store

    name = getattr(args, "command_profile", None) or getattr(args, "profile", None)
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
    """``text`` to stdout, or to the file ``target`` (replaced if present; mode 0644)."""
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(target).expanduser()
    try:
        path.write_text(text, encoding=encoding, newline="\n")
    except OSError as exc:
        raise CommandError(f"Can't write {path}: {exc.strerror or exc}.") from exc


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``script``."""
    parser = subparsers.add_parser(
        "script",
        help="write the PowerShell script for the Configuration Manager side",
        description="Write the PowerShell script that imports (or creates) the Microsoft Entra apps, "
        "creates the Azure service, the CMG and its connection points, and allows CMG traffic. "
        "Exit 1 lists the values the profile still lacks.",
    )
    add_profile_option(parser)
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write to FILE (UTF-8 with BOM, which Windows PowerShell 5.1 needs) instead of stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``cmgtui script``."""
    from cmgtui.domain.powershell import ScriptIncomplete, generate_script

    try:
        profile = load_named_profile(args)
        try:
            script = generate_script(profile)
        except ScriptIncomplete as exc:
            print(f"cmgtui: profile '{profile.name}' is not complete enough for the script; still missing:",
                  file=sys.stderr)
            for item in exc.missing:
                print(f"  - {item}", file=sys.stderr)
            return 1
        write_output(script, args.output, encoding="utf-8-sig")
    except CommandError as exc:
        print(f"cmgtui: {exc}", file=sys.stderr)
        return 2
    if args.output:
        print(f"cmgtui: wrote {args.output}", file=sys.stderr)
    return 0
