"""``cmgtui sandbox serve``: run the embedded sandbox tenant on its own.

It prints the base URL and the CA file to trust, and stops cleanly on Ctrl+C (or SIGTERM).
Faults come from ``CMGTUI_SANDBOX_FAULTS`` (syntax in ``cmgtui.cloud.sandbox.faults``) and
may be overridden by the flags.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sandbox`` command group."""
    group = subparsers.add_parser("sandbox", help="the embedded sandbox tenant (no Azure account needed)")
    actions = group.add_subparsers(dest="sandbox_command", metavar="ACTION")
    serve = actions.add_parser("serve", help="run the sandbox tenant until Ctrl+C")
    serve.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default: any free port)")
    serve.add_argument("--latency", type=int, metavar="MS", help="add MS milliseconds to every request")
    serve.add_argument("--throttle", type=int, metavar="N", help="answer the next N requests with 429")
    serve.add_argument("--retry-after", type=int, metavar="S", help="Retry-After seconds for 429 (default 1)")
    serve.add_argument("--errors", type=int, metavar="N", help="answer the next N requests with a 5xx")
    serve.add_argument("--error-status", type=int, metavar="CODE", help="status for --errors (default 500)")
    serve.add_argument("--match", metavar="TEXT", help="throttle/errors only for paths containing TEXT")
    serve.add_argument("--drop", metavar="'METHOD PATH'", help="drop the connection of the next such request")
    serve.add_argument("--role", action="append", metavar="NAME",
                       help="directory role of the signed-in user (repeatable; default Global Administrator)")
    serve.set_defaults(handler=_serve)
    group.set_defaults(handler=lambda args: _usage(group))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    print("cmgtui sandbox: choose an action, e.g. 'cmgtui sandbox serve'.", file=sys.stderr)
    return 2


def _serve(args: argparse.Namespace) -> int:
    import signal
    import threading

    from cmgtui import paths
    from cmgtui.cloud.sandbox.faults import ENV_VAR, FaultSyntaxError, faults_from_environment
    from cmgtui.cloud.sandbox.server import SandboxServer

    if not 0 <= args.port <= 65535:
        print("cmgtui sandbox: --port must be between 0 and 65535.", file=sys.stderr)
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
    server = SandboxServer(paths.sandbox_dir(), port=args.port, faults=faults)
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
