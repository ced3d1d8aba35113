"""``cmgtui entra create`` and ``cmgtui entra verify``: Part 2 for the Entra administrator, headless.

``create`` makes (or finds and completes) the CMG's two app registrations exactly as Part 2
does, from the profile's names, Application ID URI, user discovery and secret lifetime; writes
the one-time client secret to ``--secret-file`` (0600, never an existing file; the secret never
reaches stdout, a log or the profile); and records the tenant, app and object IDs and the
secret's key ID and expiry in the profile. An unfinished creation in the profile's operations
journal is resumed instead of started again. ``verify`` runs Part 2's verification property by
property on the apps the profile names.

Exit codes: 0 both apps exist and verify; 1 verification finds a difference; 2 usage, sign-in,
permission or connection errors.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmgtui.commands.common import (
    CommandError,
    add_profile_option,
    ensure_profile_writable,
    json_document,
    only_profile_name,
    profile_name_from,
    save_profile_change,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from cmgtui.cloud.credentials import CloudSession
    from cmgtui.domain.rules.results import RuleResult
    from cmgtui.model import Profile


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``entra`` command group."""
    group = subparsers.add_parser("entra", help="create or verify the CMG's Entra app registrations")
    actions = group.add_subparsers(dest="entra_command", metavar="ACTION")
    create = actions.add_parser(
        "create", help="create (or find and complete) both app registrations, as Part 2 does",
        description="Create both app registrations from the profile. Exit 0 when both exist and "
        "verify, 1 when verification finds a difference, 2 on usage, sign-in, permission or "
        "connection errors.")
    _common(create)
    create.add_argument("--tenant", metavar="ID", help="the Entra tenant (ID or domain) to sign in to "
                        "(default: the profile's tenant, else the account's home tenant)")
    create.add_argument("--secret-file", metavar="FILE", required=True,
                        help="new file for the one-time client secret (created 0600; never overwritten)")
    create.set_defaults(handler=run_create)
    verify = actions.add_parser(
        "verify", help="verify both app registrations property by property",
        description="Verify the profile's app registrations. Exit 0 when all match, 1 on a "
        "difference, 2 when they cannot be checked.")
    _common(verify)
    verify.set_defaults(handler=run_verify)
    group.set_defaults(handler=lambda args: _usage(group))


def _common(parser: argparse.ArgumentParser) -> None:
    add_profile_option(parser)
    where = parser.add_mutually_exclusive_group()  # one of them is required (cli.py: --sandbox may come first)
    where.add_argument("--sandbox", dest="entra_sandbox", action="store_true",
                       help="use the sandbox tenant (CMGTUI_SANDBOX_URL/CA attach to a running one)")
    where.add_argument("--sign-in", choices=("cli", "env"), dest="sign_in",
                       help="sign in with an Azure CLI login (cli) or AZURE_* service principal variables (env)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    print("cmgtui entra: choose an action: create or verify.", file=sys.stderr)
    return 2


def _load(args: argparse.Namespace) -> Profile:
    from cmgtui import paths, profile_file, store

    if not (args.entra_sandbox or args.sign_in):
        raise CommandError("Choose the tenant: --sandbox (the sandbox tenant) or --sign-in cli|env.")
    name = profile_name_from(args) or only_profile_name()
    try:
        return store.ProfileStore().load(paths.validate_profile_name(name))
    except paths.InvalidProfileName as exc:
        raise CommandError(f"'{name}' is not a valid profile name: {exc}") from exc
    except profile_file.StoreError as exc:
        raise CommandError(str(exc)) from exc
    except FileNotFoundError:
        raise CommandError(f"No profile called '{name}'; create it in cmgtui or with 'cmgtui profiles'.") from None


@asynccontextmanager
async def _session(args: argparse.Namespace, profile: Profile, tenant: str | None) -> AsyncIterator[CloudSession]:
    """A signed-in session for the chosen target (the sandbox is started or attached)."""
    from cmgtui.cloud.credentials import SignInMethod, open_session
    from cmgtui.model import AzureEnvironment

    environment = profile.environment or AzureEnvironment.PUBLIC
    if args.entra_sandbox:
        from cmgtui.sandbox.server import SandboxServer

        with SandboxServer.from_environment() as server:
            session = open_session(SignInMethod.SANDBOX, environment, sandbox_url=server.url,
                                   ca_path=server.ca_path, tenant_id=tenant)
            await session.sign_in()
            yield session
        return
    method = SignInMethod.AZURE_CLI if args.sign_in == "cli" else SignInMethod.SERVICE_PRINCIPAL
    session = open_session(method, environment, tenant_id=tenant)
    await session.sign_in()
    yield session


def _check_tenant(tenant_id: str, domains: tuple[str, ...], *, asked: str = "", profile: str = "") -> None:
    """Refuse to work in a directory other than the one asked for or the profile's (naming both)."""
    from cmgtui.cloud.errors import CloudError

    for wanted, where in ((asked, "--tenant"), (profile, "the profile")):
        value = wanted.strip().lower()
        if not value or value == tenant_id.lower() or value in (d.lower() for d in domains):
            continue
        raise CloudError("wrong_tenant", f"You are signed in to tenant {tenant_id}, but {where} names tenant "
                         f"{wanted}.", f"Sign in to {wanted} (--tenant {wanted}), or correct the profile's "
                         "tenant ID in Part 2.")


def _verified(results: list[RuleResult]) -> bool:
    return all(r.status.value in ("pass", "skip") for r in results)


def _print_results(results: list[RuleResult]) -> None:
    from cmgtui.domain.display_text import visible

    symbols = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "skip": "skip"}
    for result in results:
        print(f"  {symbols[result.status.value]:<4}  {result.rule:<20} {visible(result.message)}")
        if result.fix and result.status.value in ("fail", "warn"):
            print(f"        {'':<20} → {visible(result.fix)}")


def _fail(exc: Exception) -> int:
    from cmgtui.cloud.errors import CloudError

    if isinstance(exc, CloudError):
        print(f"cmgtui: {exc.message} {exc.what_to_do}", file=sys.stderr)
    else:
        print(f"cmgtui: {exc}", file=sys.stderr)
    return 2


# -- create ---------------------------------------------------------------------------------

def run_create(args: argparse.Namespace) -> int:
    """Handler of ``cmgtui entra create``."""
    from cmgtui.cloud.errors import CloudError
    from cmgtui.domain.validate import PathUse, path_problem

    try:
        profile = _load(args)
        ensure_profile_writable(profile.name)  # refused now, before anything changes in the tenant
    except CommandError as exc:
        return _fail(exc)
    problem = path_problem(args.secret_file, PathUse.CREATE, "a new file for the secret")
    if problem is not None:
        return _fail(CommandError(f"--secret-file: {problem}"))
    secret_path = Path(args.secret_file).expanduser()
    try:
        outcome = asyncio.run(_create(args, profile, secret_path))
    except (CloudError, CommandError, OSError, ValueError) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, CloudError):
            return _fail(CommandError(f"The sandbox tenant could not start or a file could not be "
                                      f"written: {exc.strerror or exc}."))
        return _fail(exc)
    verified = outcome["verified"]
    if args.format == "json":
        print(json_document({k: v for k, v in outcome.items() if k != "results_obj"}))
    else:
        _print_create(outcome)
    return 0 if verified else 1


async def _create(args: argparse.Namespace, profile: Profile, secret_path: Path) -> dict[str, Any]:
    from cmgtui.cloud.app_registration import CreationFailed
    from cmgtui.cloud.app_verify import judge_apps
    from cmgtui.cloud.graph import GraphGateway
    from cmgtui.services import entra_apps

    entra = profile.entra
    try:
        spec = entra_apps.spec_from(profile)
    except ValueError as exc:
        raise CommandError(f"The profile's Part 2 settings can't be used: {exc}") from None

    def log(line: str) -> None:
        print(f"cmgtui: {line}", file=sys.stderr)

    async with _session(args, profile, args.tenant or entra.tenant_id.strip() or None) as session, \
            GraphGateway(session) as graph:
        org = await graph.organization()
        _check_tenant(org.tenant_id, org.verified_domains, asked=args.tenant or "", profile=entra.tenant_id)
        try:
            created = await entra_apps.create_or_resume(graph, profile, secret_path, spec=spec, log=log)
        except CreationFailed as exc:
            delivery = exc.delivery
            if delivery is not None:
                _save(profile, lambda p: entra_apps.record_creation(p, None, delivery))
                log(f"The client secret added before the failure is saved in {delivery.file}; run the "
                    "command again with another --secret-file to finish (no second secret is added).")
            raise
    if created.secret is None and created.delivery is not None:
        log(f"No new client secret was added: the one saved to {created.delivery.file} "
            f"(key ID {created.delivery.key_id}) is kept.")
    elif created.secret is None:
        log("Existing apps were reused; no new client secret was added and no file was written.")
    _save(profile, lambda p: entra_apps.record_creation(p, created.apps, created.delivery,
                                                        tenant_name=created.tenant_name,
                                                        evidence=created.evidence))
    results = judge_apps(profile, created.evidence)
    apps = created.apps
    new = created.secret is not None and created.delivery is not None
    return {
        "profile": profile.name, "tenant_id": apps.tenant_id,
        "server_app": {"app_id": apps.server.app_id, "object_id": apps.server.object_id,
                       "created": apps.server_created},
        "client_app": {"app_id": apps.client.app_id, "object_id": apps.client.object_id,
                       "created": apps.client_created},
        "secret": {"key_id": created.delivery.key_id, "expires": created.delivery.expires,
                   "file": created.delivery.file} if new and created.delivery else None,
        "verified": _verified(results), "results_obj": results,
    }


def _save(profile: Profile, change: Any) -> None:
    """Apply ``change`` to the saved profile under its write lock (what a cmgtui session saved
    meanwhile is kept) and to ``profile``, for the verification that follows."""
    save_profile_change(profile.name, change)
    change(profile)


def _print_create(outcome: dict[str, Any]) -> None:
    from cmgtui.domain.display_text import visible

    print(f"Profile {visible(outcome['profile'])}, tenant {visible(outcome['tenant_id'])}")
    for key, label in (("server_app", "Server app"), ("client_app", "Client app")):
        app = outcome[key]
        state = "created" if app["created"] else "already existed"
        print(f"  {label}: app ID {visible(app['app_id'])}, object ID {visible(app['object_id'])} ({state})")
    secret = outcome["secret"]
    if secret:
        print(f"  Client secret: key ID {secret['key_id']}, expires {secret['expires'][:10]}, "
              f"saved to {visible(secret['file'])} (readable by you only)")
    else:
        print("  Client secret: none added")
    print("\nVerification:")
    _print_results(outcome["results_obj"])
    print("\nBoth apps exist and verify." if outcome["verified"] else "\nVerification found a difference.")


# -- verify ---------------------------------------------------------------------------------

def run_verify(args: argparse.Namespace) -> int:
    """Handler of ``cmgtui entra verify``."""
    from cmgtui.cloud.errors import CloudError

    try:
        profile = _load(args)
        results, tenant_id = asyncio.run(_verify(args, profile))
    except (CloudError, CommandError, OSError, ValueError) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, CloudError):
            return _fail(CommandError(f"The sandbox tenant could not start: {exc.strerror or exc}."))
        return _fail(exc)
    verified = _verified(results)
    entra = profile.entra
    if args.format == "json":
        print(json_document({"profile": profile.name, "tenant_id": tenant_id,
                          "server_app_id": entra.server_app.app_id, "client_app_id": entra.client_app.app_id,
                          "results": [r.to_json() for r in results], "verified": verified}))
    else:
        from cmgtui.domain.display_text import visible

        print(f"Profile {visible(profile.name)}, tenant {visible(tenant_id)}: server app "
              f"{visible(entra.server_app.app_id)}, client app {visible(entra.client_app.app_id)}")
        _print_results(results)
        print("\nAll properties match." if verified else "\nVerification found a difference.")
    return 0 if verified else 1


async def _verify(args: argparse.Namespace, profile: Profile) -> tuple[list[RuleResult], str]:
    from cmgtui.cloud.errors import CloudError
    from cmgtui.cloud.graph import GraphGateway
    from cmgtui.services import entra_apps

    entra = profile.entra
    if not entra.server_app.app_id.strip() or not entra.client_app.app_id.strip():
        raise CommandError(f"Profile '{profile.name}' has no server and client app IDs yet; run "
                           "'cmgtui entra create' or enter them in Part 2.")
    async with _session(args, profile, entra.tenant_id.strip() or None) as session, \
            GraphGateway(session) as graph:
        org = await graph.organization()
        _check_tenant(org.tenant_id, org.verified_domains, profile=entra.tenant_id)
        verified = await entra_apps.verify(graph, profile)
    if verified.missing:
        raise CloudError("not_found", verified.missing, "Check the app IDs in Part 2 and that you signed in "
                         "to the right tenant.")
    return verified.results, org.tenant_id
