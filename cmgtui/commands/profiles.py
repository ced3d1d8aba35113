"""``cmgtui profiles list|new|show|export|import|delete``: manage profiles without the TUI.

Exit codes: 0 done; 2 unusable input (unknown, invalid or damaged profile, a damaged import
file, a name that exists, a profile open in another session, or a delete that was not
confirmed). An export never includes secrets: profiles hold none, and only declared fields
are written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cmgtui.commands.common import CommandError, add_output_options, printable, write_output

if TYPE_CHECKING:
    from cmgtui.model import Profile

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``profiles`` and its actions."""
    parser = subparsers.add_parser("profiles", help="list, create, show, export, import or delete profiles",
                                   description="Manage saved profiles (one CMG plan each).")
    actions = parser.add_subparsers(dest="profiles_action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="list profiles, most recently changed first")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=_list)

    new = actions.add_parser("new", help="create an empty profile")
    new.add_argument("name")
    new.add_argument("--environment", metavar="CLOUD",
                     help="the Azure cloud of the plan: AzurePublicCloud or AzureUSGovernmentCloud "
                     "(default: chosen later)")
    new.set_defaults(handler=_new)

    show = actions.add_parser("show", help="print a profile as JSON")
    show.add_argument("name")
    show.set_defaults(handler=_show)

    export = actions.add_parser("export", help="write a portable copy of a profile (no secrets)")
    export.add_argument("name")
    add_output_options(export, "the copy")
    export.set_defaults(handler=_export)

    imp = actions.add_parser("import", help="validate a profile file and add it")
    imp.add_argument("file")
    imp.add_argument("--name", help="save it under this name instead of the one in the file")
    imp.add_argument("--replace", action="store_true", help="replace an existing profile of that name")
    imp.set_defaults(handler=_import)

    delete = actions.add_parser("delete", help="delete a profile and its activity log")
    delete.add_argument("name")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=_delete)



def _list(args: argparse.Namespace) -> int:
    """Handler of ``profiles list``."""
    from cmgtui.store import ProfileStore

    store = ProfileStore()
    infos = store.list()
    rows = [{"name": i.name, "modified": i.modified.isoformat(), "in_use": store.is_in_use(i.name),
             "damaged": _problem(i.path)} for i in infos]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No profiles yet. Start cmgtui to create one.")
    for row in rows:
        in_use = "  (open in a session)" if row["in_use"] else ""
        damaged = f"  (damaged: {row['damaged']})" if row["damaged"] else ""
        print(f"{row['name']:<32} {row['modified'][:19].replace('T', ' ')}{in_use}{damaged}")
    return 0


def _problem(path: Path) -> str | None:
    """Why the profile file at ``path`` can't be opened (None when it can); nothing is copied aside."""
    from cmgtui.profile_file import ProfileParseError, read_profile_summary

    try:
        read_profile_summary(path)
    except ProfileParseError as exc:
        return str(exc)
    return None


def _load(name: str) -> Profile:
    """The profile ``name`` (read-only); a corrected name is reported on stderr."""
    from cmgtui.store import ProfileStore

    loaded = ProfileStore().load_checked(name)
    for notice in loaded.notices:
        print(f"cmgtui: note: {notice}", file=sys.stderr)
    return loaded.profile


def _new(args: argparse.Namespace) -> int:
    """Handler of ``profiles new``: the same empty profile the picker's New makes."""
    from cmgtui.model.enums import AzureEnvironment
    from cmgtui.store import ProfileStore

    clouds = {e.value.lower(): e for e in AzureEnvironment}
    environment = clouds.get((args.environment or "").lower())
    if args.environment and environment is None:
        raise CommandError(f"--environment {printable(args.environment)} is not a cloud cmgtui knows; "
                           f"use {' or '.join(e.value for e in AzureEnvironment)}.")
    store = ProfileStore()
    profile = store.create(args.name)
    if environment is not None:
        profile.environment = environment
        store.save(profile)
    print(f"cmgtui: created '{profile.name}'", file=sys.stderr)
    return 0


def _show(args: argparse.Namespace) -> int:
    """Handler of ``profiles show``."""
    from cmgtui.store import export_profile

    print(export_profile(_load(args.name)), end="")
    return 0


def _export(args: argparse.Namespace) -> int:
    """Handler of ``profiles export``."""
    from cmgtui.store import export_profile

    write_output(export_profile(_load(args.name)), args.output, mode=args.mode)
    if args.output:
        print(f"cmgtui: exported '{args.name}' to {args.output}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    """Handler of ``profiles import``."""
    from cmgtui.profile_file import ProfileParseError
    from cmgtui.safe_read import ReadRefused, read_checked
    from cmgtui.store import ProfileStore

    path = Path(args.file).expanduser()
    try:
        data = read_checked(path, limit=MAX_IMPORT_BYTES)
    except ReadRefused as exc:
        raise CommandError(f"{path} was not imported: {exc.reason}; name a profile file (.json).") from exc
    try:
        profile = ProfileStore().import_profile(data, args.name, args.replace)
    except ProfileParseError as exc:
        raise CommandError(f"{path} was not imported: {exc}.") from exc
    print(f"cmgtui: imported '{profile.name}'", file=sys.stderr)
    return 0


def _delete(args: argparse.Namespace) -> int:
    """Handler of ``profiles delete``."""
    from cmgtui.store import ProfileStore

    store = ProfileStore()
    if not store.exists(args.name):
        raise CommandError(f"Profile {printable(args.name)} does not exist.")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CommandError("Deleting needs confirmation: pass --yes when not at a terminal.")
        answer = input(f"Delete profile '{args.name}' and its activity log? [y/N] ")
        if answer.strip().lower() not in {"y", "yes"}:
            print("cmgtui: not deleted", file=sys.stderr)
            return 2
    store.delete(args.name)
    print(f"cmgtui: deleted '{args.name}'", file=sys.stderr)
    return 0
