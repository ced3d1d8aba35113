"""What the headless commands share: the profile lookup, output, and how a command that can't run ends.

Every handler runs through :func:`run_handler`: an error that means "this command can't run as
asked" (:func:`failure_reason`) ends it as one ``cmgtui: …`` line on stderr and exit 2, so a
handler raises instead of printing; :func:`failed` says a reason of the handler's own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from cmgtui.model import Profile


_Result = TypeVar("_Result")


class CommandError(Exception):
    """Input that makes a headless command impossible (exit 2); the message says what to do."""


#: The exit code of a command that could not run (usage, profile, file or connection errors).
CANNOT_RUN = 2

Handler = Callable[[argparse.Namespace], int]


def failed(reason: object) -> int:
    """Say on stderr why the command could not run (``cmgtui: reason``); returns :data:`CANNOT_RUN`."""
    print(f"cmgtui: {reason}", file=sys.stderr)
    return CANNOT_RUN


def failure_reason(exc: BaseException) -> str | None:
    """What to tell the user when ``exc`` stopped a command, or None when it is not an error of
    the input, the profile store or the cloud (anything else is a bug and keeps its traceback).

    A :class:`CommandError`, a store error and an invalid profile name say it in their message;
    a cloud error says what happened and what to do.
    """
    from cmgtui import paths, profile_file
    from cmgtui.cloud.errors import CloudError

    if isinstance(exc, CloudError):
        return f"{exc.message} {exc.what_to_do}"
    if isinstance(exc, (CommandError, profile_file.StoreError, paths.InvalidProfileName)):
        return str(exc)
    return None


def run_handler(handler: Handler, args: argparse.Namespace) -> int:
    """Run a command's ``handler``; an error :func:`failure_reason` knows ends it with :func:`failed`."""
    try:
        return handler(args)
    except Exception as exc:
        reason = failure_reason(exc)
        if reason is None:
            raise
        return failed(reason)


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
    from cmgtui import paths, profile_file, store

    name = profile_name_from(args)
    try:
        name = name or only_profile_name()
        loaded = store.load_profile_readonly(name)
    except paths.InvalidProfileName as exc:
        raise CommandError(f"{printable(name)} is not a valid profile name: {exc}") from exc
    except profile_file.StoreError as exc:
        raise CommandError(str(exc)) from exc
    for notice in loaded.notices:
        print(f"cmgtui: note: {notice}", file=sys.stderr)
    return loaded.profile


def ensure_profile_writable(name: str) -> None:
    """Refuse before any work whose result must be recorded when a cmgtui session is changing
    ``name`` and does not finish within a few seconds (the message names it)."""
    from cmgtui import profile_file, store

    try:
        store.ProfileStore().ensure_writable(name)
    except profile_file.StoreError as exc:
        raise CommandError(str(exc)) from exc


def save_profile_change(name: str, change: Callable[[Profile], None]) -> Profile:
    """Apply ``change`` to the saved profile ``name`` under its write lock and save it.

    The file is read again inside the lock, so a change a cmgtui session saved meanwhile is
    kept; a session with unsaved changes is waited for briefly, then named in the CommandError.
    """
    from cmgtui import profile_file, store

    try:
        return store.ProfileStore().update(name, change)
    except profile_file.StoreError as exc:
        raise CommandError(str(exc)) from exc


def only_profile_name() -> str:
    """The name of the only saved profile (what ``--profile`` defaults to); with none or several,
    :class:`CommandError` says how to choose."""
    from cmgtui import store

    infos = store.ProfileStore().list()
    if not infos:
        raise CommandError("No profile exists yet; create one with 'cmgtui profiles new NAME' (or in "
                           "cmgtui), then pass --profile NAME.")
    if len(infos) > 1:
        listed = ", ".join(info.name for info in infos[:8])
        raise CommandError(f"Several profiles exist ({listed}); choose one with --profile NAME.")
    return infos[0].name


def printable(text: object, limit: int = 80) -> str:
    """``text`` quoted for a message, control characters escaped and cut to ``limit``:
    a name from the command line or a file must not drive the terminal."""
    shown = repr(str(text))
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


def add_output_options(parser: argparse.ArgumentParser, what: str) -> None:
    """``-o FILE`` and ``--mode MODE`` (files are written 0600 unless a mode is named)."""
    parser.add_argument("-o", "--output", metavar="FILE", help=f"write {what} to FILE instead of stdout")
    parser.add_argument("--mode", metavar="MODE", type=_mode, default=None,
                        help="octal permissions for FILE (default 600: only you can read it), e.g. 644")


def _mode(text: str) -> int:
    from cmgtui.private_files import parse_mode

    try:
        return parse_mode(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def write_output(text: str, target: str | None, encoding: str = "utf-8", mode: int | None = None) -> None:
    """``text`` to stdout, or to the file ``target``: replaced atomically, 0600 unless ``mode`` is given."""
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from cmgtui.private_files import write_user_file

    try:
        write_user_file(target, text.encode(encoding), mode)
    except OSError as exc:
        raise CommandError(f"Can't write {target}: {exc.strerror or exc}.") from exc


#: The shape version of every JSON document a command prints (README, "JSON outputs").
JSON_VERSION = 1


def json_document(body: dict[str, Any]) -> str:
    """``body`` as the JSON a command prints: ``{"version": 1, ...}``, indented."""
    import json

    return json.dumps({"version": JSON_VERSION, **body}, indent=2)


async def run_signed_in(profile: Profile, sandbox: bool, method: str | None, tenant: str | None,
                        job: Callable[[Any, Callable[[str], None]], Awaitable[_Result]]) -> _Result:
    """Sign in as a headless command does (the embedded or attached sandbox, the Azure CLI's login
    or an ``AZURE_*`` service principal) and run ``job(session, log)``; progress goes to stderr."""
    from cmgtui.cloud.credentials import SignInMethod, open_session
    from cmgtui.model import AzureEnvironment
    from cmgtui.sandbox.server import SandboxServer

    environment = profile.environment or AzureEnvironment.PUBLIC

    def log(line: str) -> None:
        print(f"cmgtui: {line}", file=sys.stderr)

    if sandbox:
        with SandboxServer.from_environment() as server:
            session = open_session(SignInMethod.SANDBOX, environment, sandbox_url=server.url,
                                   ca_path=server.ca_path, tenant_id=tenant)
            await session.sign_in()
            return await job(session, log)
    chosen = SignInMethod.AZURE_CLI if method == "cli" else SignInMethod.SERVICE_PRINCIPAL
    session = open_session(chosen, environment, tenant_id=tenant)
    await session.sign_in()
    return await job(session, log)
