"""``cmgtui sandbox``: run, reset and inspect the rehearsal tenant (no Azure account needed).

``serve`` runs the sandbox on its own and prints the two values (``CMGTUI_SANDBOX_URL`` and
``CMGTUI_SANDBOX_CA``) that let ``--sandbox`` everywhere attach to it; it stops cleanly on
Ctrl+C (or SIGTERM). ``--scenario FILE`` (or ``CMGTUI_SANDBOX_SCENARIO``) describes the tenant;
faults come from ``CMGTUI_SANDBOX_FAULTS`` (syntax in ``cmgtui.sandbox.faults``) and may
be overridden by the flags. The tenant is kept in the sandbox folder, so the TUI, ``check`` and
``entra`` see the same one across runs: ``reset`` restores the scenario, ``show`` prints what
the tenant holds, ``schema`` prints the JSON Schema of a scenario file. A damaged or foreign saved
tenant is reported by ``show`` (and by every command that starts the sandbox), copied aside, and
replaced only by ``reset``.

Exit codes: 0 done; 2 usage errors (a bad scenario file names the key or value at fault) or a
saved tenant that can't be used (the message says why and where its copy is).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from cmgtui.commands.common import json_document

if TYPE_CHECKING:
    from cmgtui.sandbox.scenario import Scenario


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sandbox`` command group."""
    group = subparsers.add_parser("sandbox", help="the embedded sandbox tenant (no Azure account needed)")
    actions = group.add_subparsers(dest="sandbox_command", metavar="ACTION")
    serve = actions.add_parser("serve", help="run the sandbox tenant until Ctrl+C")
    serve.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default: any free port)")
    _scenario_option(serve)
    serve.add_argument("--latency", type=int, metavar="MS", help="add MS milliseconds to every request")
    serve.add_argument("--throttle", type=int, metavar="N", help="answer the next N requests with 429")
    serve.add_argument("--retry-after", type=int, metavar="S", help="Retry-After seconds for 429 (default 1)")
    serve.add_argument("--errors", type=int, metavar="N", help="answer the next N requests with a 5xx")
    serve.add_argument("--error-status", type=int, metavar="CODE", help="status for --errors (default 500)")
    serve.add_argument("--match", metavar="TEXT", help="throttle/errors only for paths containing TEXT")
    serve.add_argument("--drop", metavar="'METHOD PATH'", help="drop the connection of the next such request")
    serve.add_argument("--role", action="append", metavar="NAME",
                       help="active directory role of the signed-in user (repeatable; replaces the scenario's)")
    serve.set_defaults(handler=_serve)
    reset = actions.add_parser("reset", help="restore the rehearsal tenant to its scenario")
    _scenario_option(reset)
    reset.set_defaults(handler=_reset)
    show = actions.add_parser("show", help="print what the rehearsal tenant holds")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=_show)
    schema = actions.add_parser("schema", help="print the JSON Schema of a scenario file")
    schema.set_defaults(handler=_schema)
    deploy = actions.add_parser("deploy", help="simulate ConfigMgr deploying the profile's CMG, in a health state "
                                "to rehearse")
    deploy.add_argument("--profile", dest="command_profile", metavar="NAME",
                        help="the profile whose CMG to deploy (default: the only profile)")
    deploy.add_argument("--health", choices=("running", "one-stopped", "deallocated", "failed", "missing"),
                        help="the state to rehearse (default: the scenario's [cmg] health, else running)")
    deploy.set_defaults(handler=_deploy)
    group.set_defaults(handler=lambda args: _usage(group))


def _scenario_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="FILE",
                        help="TOML file describing the tenant (default: CMGTUI_SANDBOX_SCENARIO, else the "
                        "built-in one; keys in the README)")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    print("cmgtui sandbox: choose an action: serve, reset, show, deploy or schema.", file=sys.stderr)
    return 2


def _scenario(args: argparse.Namespace) -> Scenario | None:
    """The scenario of ``--scenario`` or the environment; ScenarioError when unusable."""
    from pathlib import Path

    from cmgtui.sandbox.scenario import load_scenario, scenario_from_environment

    if args.scenario:
        return load_scenario(Path(args.scenario).expanduser())
    return scenario_from_environment()


def _serve(args: argparse.Namespace) -> int:
    import signal
    import threading

    from cmgtui import paths
    from cmgtui.sandbox.faults import ENV_VAR, FaultSyntaxError, faults_from_environment
    from cmgtui.sandbox.scenario import ScenarioError
    from cmgtui.sandbox.server import CA_ENV, URL_ENV, SandboxServer

    if not 0 <= args.port <= 65535:
        print("cmgtui sandbox: --port must be between 0 and 65535.", file=sys.stderr)
        return 2
    try:
        scenario = _scenario(args)
    except ScenarioError as exc:
        print(f"cmgtui sandbox: {exc}", file=sys.stderr)
        return 2
    try:
        faults = faults_from_environment()
    except FaultSyntaxError as exc:
        print(f"cmgtui sandbox: {ENV_VAR}: {exc}", file=sys.stderr)
        return 2
    overrides = {"latency_ms": args.latency, "throttle": args.throttle, "retry_after": args.retry_after,
                 "errors": args.errors, "error_status": args.error_status, "match": args.match,
                 "drop": args.drop}
    for key, value in overrides.items():
        if value is not None:
            if isinstance(value, int) and value < 0:
                print(f"cmgtui sandbox: --{key.replace('_', '-')} cannot be negative.", file=sys.stderr)
                return 2
            setattr(faults, key, value)
    try:
        faults.validate()
    except FaultSyntaxError as exc:
        print(f"cmgtui sandbox: {str(exc).rstrip('.')} (from the flags or {ENV_VAR}).", file=sys.stderr)
        return 2
    server = SandboxServer(paths.sandbox_dir(), port=args.port, faults=faults, scenario=scenario, persist=True)
    if args.role:
        try:
            server.state.set_user_roles(args.role)
        except ValueError as exc:
            print(f"cmgtui sandbox: {exc}.", file=sys.stderr)
            return 2
    try:
        server.start()
    except OSError as exc:
        print(f"cmgtui sandbox: cannot listen on port {args.port}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"Sandbox tenant running at {server.url}", flush=True)
    print(f"CA certificate: {server.ca_path}", flush=True)
    print("To use it from other commands (--sandbox), set:", flush=True)
    print(f"  export {URL_ENV}={server.url}", flush=True)
    print(f"  export {CA_ENV}={server.ca_path}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("Sandbox stopped.", flush=True)
    return 0


def _reset(args: argparse.Namespace) -> int:
    from cmgtui import paths
    from cmgtui.sandbox.scenario import ScenarioError, default_scenario
    from cmgtui.sandbox.state import STATE_FILE, TenantState

    try:
        scenario = _scenario(args) or default_scenario()
    except ScenarioError as exc:
        print(f"cmgtui sandbox: {exc}", file=sys.stderr)
        return 2
    state = TenantState(scenario=scenario, path=paths.sandbox_dir() / STATE_FILE)
    try:
        damage = state.replace_saved()  # a damaged file is copied aside first
    except OSError as exc:
        print(f"cmgtui sandbox: can't write {state.path}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    from cmgtui.domain.display_text import visible

    if damage is not None:
        kept = f" a copy is at {visible(str(damage.copy))}" if damage.copy else " it could not be copied aside"
        print(f"The saved tenant could not be used ({visible(damage.reason)});{kept}.")
    print(f"Sandbox tenant {visible(scenario.tenant_name)} restored to its scenario "
          f"({'from ' + args.scenario if args.scenario else 'built-in or CMGTUI_SANDBOX_SCENARIO'}).")
    return 0


def _schema(args: argparse.Namespace) -> int:
    """``sandbox schema``: the scenario file's JSON Schema (for editors that validate TOML)."""
    from cmgtui.sandbox.scenario import scenario_schema

    print(json.dumps(scenario_schema(), indent=2))
    return 0


def _show(args: argparse.Namespace) -> int:
    from cmgtui import paths
    from cmgtui.sandbox.scenario import ScenarioError, scenario_from_environment
    from cmgtui.domain.display_text import visible
    from cmgtui.sandbox.show import summary_text, tenant_summary
    from cmgtui.sandbox.state import StateDamaged, TenantState

    try:
        state = TenantState.saved(paths.sandbox_dir())
    except StateDamaged as exc:
        print(f"cmgtui sandbox: {exc}", file=sys.stderr)
        return 2
    if state is None:
        try:
            scenario = scenario_from_environment()
        except ScenarioError as exc:
            print(f"cmgtui sandbox: {exc}", file=sys.stderr)
            return 2
        state = TenantState(**({"scenario": scenario} if scenario else {}))
    summary = tenant_summary(state)
    if args.format == "json":
        print(json_document(summary))
    else:
        sys.stdout.write(visible(summary_text(summary), keep_lines=True))
    return 0


def _deploy(args: argparse.Namespace) -> int:
    """``sandbox deploy``: the CMG of the profile appears in the rehearsal tenant's resource group."""
    from cmgtui import paths
    from cmgtui.commands.common import CommandError, load_named_profile
    from cmgtui.domain.azure.names import derive_names, derivation_problem
    from cmgtui.sandbox.cmg_routes import deploy
    from cmgtui.sandbox.scenario import ScenarioError, scenario_from_environment
    from cmgtui.sandbox.state import TenantState

    try:
        profile = load_named_profile(args)
        state = TenantState.persistent(paths.sandbox_dir(), scenario_from_environment())
    except (CommandError, ScenarioError) as exc:
        print(f"cmgtui sandbox: {exc}", file=sys.stderr)
        return 2
    gateway = profile.gateway
    names = derive_names(profile)
    subscription, group = gateway.subscription_id.strip(), gateway.resource_group.strip()
    if names is None or not subscription or not group:
        missing = derivation_problem(profile) or "Choose the subscription and resource group in Part 4."
        print(f"cmgtui sandbox: nothing to deploy yet. {missing}", file=sys.stderr)
        return 2
    try:
        record = deploy(state, subscription, group, names.prefix, profile.region, gateway.vm_instances or 1,
                        args.health)
    except ValueError as exc:
        print(f"cmgtui sandbox: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cmgtui sandbox: can't write the rehearsal tenant: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    print(f"The CMG {names.prefix} now runs in the rehearsal tenant's resource group {record['resource_group']} "
          f"({record['instances']} instance(s), health: {record['health']}).")
    return 0
