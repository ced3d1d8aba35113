"""``cmgtui serve``: the terminal app in a browser, for a jump host that has one but no good terminal.

Textual's web serving (the ``textual-serve`` package) runs one cmgtui process per browser tab and
streams its screen over a websocket. The app can create app registrations and holds a signed-in
Azure session, so the page is locked down as a local tool should be:

* it listens on 127.0.0.1 unless ``--host`` names another address *and* ``--allow-remote`` is
  given (then a warning says that anyone who can reach the port and knows the URL gets the app);
* every page, websocket and download needs the random token printed in the URL (``?token=…``,
  compared in constant time); the static scripts and styles, which hold nothing of the user's,
  do not;
* a request whose ``Host`` header is not the address served is refused (a page on another site
  cannot reach the port through a DNS name that resolves to 127.0.0.1), and so is a websocket
  opened from another origin.
"""

from __future__ import annotations

import argparse
import ipaddress
import secrets
import shlex
import sys

from cmgtui.commands.common import failed

DEFAULT_PORT = 8000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve``."""
    parser = subparsers.add_parser(
        "serve", help="run the terminal app in a browser (127.0.0.1, with a token in the URL)",
        description="Serve the terminal app over HTTP for a browser on this machine. Each tab runs its own "
        "cmgtui; the URL printed carries a random token that every request needs.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks one)")
    parser.add_argument("--allow-remote", action="store_true",
                        help="allow an address other than loopback (anyone who reaches it and has the URL gets the app)")
    parser.add_argument("app_args", nargs=argparse.REMAINDER, metavar="-- ARGS",
                        help="after --, the arguments for each cmgtui the browser starts, e.g. '-- --sandbox'")
    parser.set_defaults(handler=_serve)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(app_args: list[str]) -> str:
    """The shell command each browser tab runs: this Python's cmgtui with ``app_args``."""
    if app_args[:1] == ["--"]:
        app_args = app_args[1:]
    return shlex.join([sys.executable, "-m", "cmgtui", *app_args])


def _serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; exit 2 for an address that is refused or cannot be bound."""
    if not is_loopback(args.host) and not args.allow_remote:
        return failed(f"{args.host} is not a loopback address; the app would be reachable from other machines. "
                      "Add --allow-remote if that is what you want.")
    if not 0 <= args.port <= 65535:
        return failed(f"--port {args.port} is not a port number (0 to 65535).")
    command = app_command(args.app_args)
    from cmgtui.commands.token_server import TokenServer, free_port

    port = args.port or free_port(args.host)
    server = TokenServer(command, host=args.host, port=port, token=secrets.token_urlsafe(24))
    if not is_loopback(args.host):
        print("cmgtui: warning: serving on a non-loopback address; anyone who can reach it and has the URL "
              "gets the app and its Azure session.", file=sys.stderr)
    try:
        server.serve()
    except OSError as exc:
        return failed(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}. Choose another --port.")
    return 0
