"""``cmgtui cert``: lint a CMG server certificate, make a CSR, assemble a PFX, make a lab set.

Exit codes: 0 done (lint: no rule failed), 1 a lint rule failed, 2 the input was unusable
(unreadable or unrecognised file, missing or wrong password, bad option value); the reason
is one line on stderr. Passwords and keys are never printed. The heavy certificate toolkit
is imported inside the handlers so that this module stays cheap to import.
"""

from __future__ import annotations

from cmgtui.commands.common import CommandError, json_document

import argparse
import os
import shutil
import sys
import textwrap
import warnings
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmgtui.domain.certs import LintReport

_MAX_SECRET_FILE = 4096

_SECRET_HELP = (
    "Secrets are never taken on the command line: give a file (its first line is used) or the "
    "name of an environment variable; without either, you are asked in the terminal (twice, "
    "to confirm, for a secret that is being set)."
)


class _Unusable(CommandError):
    """An option value that makes the command impossible (exit 2)."""


def _quiet(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a handler with library warnings silenced: odd certificates make ``cryptography``
    warn about its future strictness, which is noise next to the lint report."""

    @wraps(handler)
    def run(args: argparse.Namespace) -> int:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return handler(args)

    return run


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``cert`` and its subcommands."""
    cert = subparsers.add_parser(
        "cert",
        help="check or make the CMG server authentication certificate",
        description="Check a CMG server authentication certificate, or make a key and CSR, a PFX or a lab set.",
    )
    commands = cert.add_subparsers(dest="cert_command", metavar="ACTION", required=True)

    lint = commands.add_parser(
        "lint",
        help="check a certificate file against the CMG certificate rules",
        description="Check a .pfx/.p12, PEM, DER or .cer file against the CMG server certificate rules. "
        "Exit 0: no rule failed; 1: a rule failed; 2: the file could not be used.",
    )
    lint.add_argument("path", metavar="PATH", help="certificate file (format recognised from its content)")
    _secret_options(lint, "password", "the PFX (or encrypted key) password")
    lint.add_argument(
        "--service-name", metavar="NAME", help="the service name or prefix (needed for a wildcard CN)"
    )
    lint.add_argument(
        "--previous", metavar="PATH", help="the certificate being renewed (checks the CN is identical)"
    )
    lint.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    lint.set_defaults(handler=_lint)

    csr = commands.add_parser(
        "csr",
        help="make an encrypted private key and a certificate signing request",
        description="Make an RSA key (written encrypted, mode 0600) and a SHA-256 CSR with CN and SAN = the "
        "service name and the Server Authentication EKU. " + _SECRET_HELP,
    )
    csr.add_argument("--service-name", metavar="NAME", required=True, help="e.g. GraniteFalls.contoso.com")
    csr.add_argument("--out", metavar="DIR", required=True, help="folder for NAME.key.pem and NAME.csr.pem")
    csr.add_argument(
        "--key-size", type=int, choices=(2048, 4096), default=2048, help="RSA key size (default 2048)"
    )
    _secret_options(csr, "passphrase", "the passphrase that encrypts the private key")
    csr.set_defaults(handler=_csr)

    lab = commands.add_parser(
        "lab",
        help="make a LAB ONLY root CA, server certificate and PFX",
        description="LAB ONLY: make a throw-away root CA (exported as NAME-lab-root.cer for clients) and a "
        "server certificate in NAME-lab.pfx. Never use these in production. " + _SECRET_HELP,
    )
    lab.add_argument("--service-name", metavar="NAME", required=True, help="e.g. GraniteFalls.contoso.com")
    lab.add_argument("--out", metavar="DIR", required=True, help="folder for the lab files")
    _secret_options(lab, "password", "the password that protects the PFX")
    _legacy_option(lab)
    lab.set_defaults(handler=_lab)

    pfx = commands.add_parser(
        "pfx",
        help="assemble a password-protected PFX from an issued certificate and its key",
        description="Put the certificate your CA issued, its CA certificates and the private key from "
        "'cmgtui cert csr' into a password-protected .pfx (mode 0600), then lint it. " + _SECRET_HELP,
    )
    pfx.add_argument("--cert", metavar="F", required=True, help="issued certificate (PEM, DER or .p7b)")
    pfx.add_argument("--key", metavar="F", required=True, help="private key file")
    pfx.add_argument("--out", metavar="F", required=True, help="the .pfx file to create (never overwritten)")
    pfx.add_argument(
        "--chain", metavar="F", action="append", default=[], help="a CA certificate file (repeatable)"
    )
    pfx.add_argument("--service-name", metavar="NAME", help="the service name or prefix (for a wildcard CN)")
    _secret_options(pfx, "password", "the password that protects the new PFX")
    _secret_options(pfx, "key-passphrase", "the private key's passphrase")
    _legacy_option(pfx)
    pfx.add_argument("--format", choices=("text", "json"), default="text", help="lint output format")
    pfx.set_defaults(handler=_pfx)


def _secret_options(parser: argparse.ArgumentParser, stem: str, what: str) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(f"--{stem}-file", metavar="F", help=f"read {what} from the first line of file F")
    group.add_argument(f"--{stem}-env", metavar="VAR", help=f"read {what} from environment variable VAR")


def _legacy_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--legacy-encryption",
        action="store_true",
        help="encrypt the PFX with 3DES/SHA-1 for Windows Server 2016 and older (default AES-256)",
    )


def _read_secret(file: str | None, env: str | None, label: str, *, ask: bool, confirm: bool) -> bytes | None:
    """A secret from a file, an environment variable or the terminal; None when there is none.

    The file is read through :func:`cmgtui.safe_read.read_checked` (a regular file of at most
    4 KiB: a FIFO or device is refused, never waited on). A secret must be UTF-8 text: that is
    how PKCS#12 and PEM encryption turn a password into bytes, and how Windows will be given it.
    """
    if file:
        from cmgtui.safe_read import ReadRefused, read_checked

        try:
            data = read_checked(file, limit=_MAX_SECRET_FILE)
        except ReadRefused as exc:
            if exc.code == "too-large":
                raise _Unusable(f"the {label} file {file} is too large to hold a {label}.") from None
            raise _Unusable(f"cannot read the {label} file {file} ({exc.reason}).") from None
        secret = data.splitlines()[0] if data.strip(b"\r\n") else b""
        return _utf8_secret(secret, f"the first line of {file}", label)
    if env:
        raw = os.environb.get(os.fsencode(env)) if os.supports_bytes_environ else None
        value = os.environ.get(env)
        if value is None:
            raise _Unusable(f"environment variable {env} is not set.")
        secret = raw if raw is not None else value.encode("utf-8", "surrogateescape")
        return _utf8_secret(secret, f"environment variable {env}", label)
    if not ask:
        return None
    if not sys.stdin.isatty():
        raise _Unusable(
            f"no {label} given: use --{label.replace(' ', '-')}-file or --{label.replace(' ', '-')}-env."
        )
    import getpass

    try:
        first = getpass.getpass(f"{label.capitalize()}: ")
        if confirm and getpass.getpass(f"{label.capitalize()} again: ") != first:
            raise _Unusable(f"the two {label}s differ; nothing was written.")
    except (UnicodeError, EOFError):
        raise _Unusable(f"the {label} typed could not be read as text; type it again in a UTF-8 terminal.") from None
    return _utf8_secret(first.encode("utf-8", "surrogateescape"), "the terminal", label)


def _utf8_secret(secret: bytes, where: str, label: str) -> bytes:
    """``secret`` when it is UTF-8 text, else the reason as :class:`_Unusable` (the secret is never shown)."""
    try:
        secret.decode("utf-8")
    except UnicodeDecodeError:
        raise _Unusable(
            f"the {label} in {where} is not UTF-8 text; set it again as UTF-8 (a {label} must be text)."
        ) from None
    return secret


def _required_secret(file: str | None, env: str | None, label: str, *, confirm: bool) -> bytes:
    """Like :func:`_read_secret`, asking in the terminal when neither option was given."""
    secret = _read_secret(file, env, label, ask=True, confirm=confirm)
    if secret is None:
        raise _Unusable(f"no {label} given.")
    return secret


def _fail(command: str, message: object) -> int:
    print(f"cmgtui cert {command}: {message}", file=sys.stderr)
    return 2


@_quiet
def _lint(args: argparse.Namespace) -> int:
    from cmgtui.domain.certs import (
        CertToolError,
        PasswordRequiredError,
        lint_certificate_file,
        load_certificate_file,
    )

    try:
        password = _read_secret(args.password_file, args.password_env, "password", ask=False, confirm=False)
        previous = None
        if args.previous:
            try:
                previous = load_certificate_file(args.previous)
            except PasswordRequiredError:
                if password is None:
                    raise
                previous = load_certificate_file(args.previous, password)
        report = lint_certificate_file(args.path, password, service_name=args.service_name, previous=previous)
    except PasswordRequiredError as exc:
        return _fail("lint", f"{exc} Use --password-file F or --password-env VAR.")
    except (CertToolError, _Unusable) as exc:
        return _fail("lint", exc)
    _print_report(report, args.format)
    return 1 if report.failed else 0


@_quiet
def _csr(args: argparse.Namespace) -> int:
    from cmgtui.domain.certs import CertToolError
    from cmgtui.services.certificate_files import create_csr_files

    try:
        passphrase = _required_secret(args.passphrase_file, args.passphrase_env, "passphrase", confirm=True)
        files = create_csr_files(args.out, args.service_name, passphrase, key_size=args.key_size)
    except (CertToolError, _Unusable) as exc:
        return _fail("csr", exc)
    print(f"Private key (RSA {files.key_size}, encrypted with your passphrase, mode 0600): {files.key_path}")
    print(f"Certificate request for {files.service_name}: {files.csr_path}")
    print("Next: submit the CSR to your CA (public CA, or an enterprise Web Server template), then run")
    pfx_name = files.key_path.name.removesuffix(".key.pem") + ".pfx"
    print(f"  cmgtui cert pfx --cert ISSUED.cer --key {files.key_path} --out {pfx_name}")
    return 0


@_quiet
def _lab(args: argparse.Namespace) -> int:
    from cmgtui.domain.certs import CertToolError, lint_certificate_file
    from cmgtui.services.certificate_files import create_lab_files

    try:
        password = _required_secret(args.password_file, args.password_env, "password", confirm=True)
        files = create_lab_files(args.out, args.service_name, password, legacy=args.legacy_encryption)
        report = lint_certificate_file(files.pfx, password)
    except (CertToolError, _Unusable) as exc:
        return _fail("lab", exc)
    print("LAB ONLY - not for production. These files are for a test lab; never use them for a real CMG.")
    print(f"Lab root CA (give to lab clients' Trusted Root store): {files.root_cer}")
    print(f"  thumbprint {files.root_thumbprint}")
    print(f"Lab server certificate and key (PFX, mode 0600): {files.pfx}")
    print(f"  thumbprint {files.server_thumbprint}, expires {files.not_after:%Y-%m-%d}")
    print(f"Lab PFX lint: {_summary_text(report)}")
    return 0


@_quiet
def _pfx(args: argparse.Namespace) -> int:
    from cmgtui.domain.certs import CertToolError, PasswordRequiredError
    from cmgtui.services.certificate_files import assemble_pfx_file

    try:
        key_passphrase = _read_secret(
            args.key_passphrase_file,
            args.key_passphrase_env,
            "key passphrase",
            ask=sys.stdin.isatty(),
            confirm=False,
        )
        password = _required_secret(args.password_file, args.password_env, "password", confirm=True)
        result = assemble_pfx_file(
            args.cert,
            args.key,
            args.out,
            password,
            key_password=key_passphrase,
            chain_paths=args.chain,
            service_name=args.service_name,
            legacy=args.legacy_encryption,
        )
    except PasswordRequiredError as exc:
        return _fail("pfx", f"{exc} Use --key-passphrase-file F or --key-passphrase-env VAR.")
    except (CertToolError, _Unusable) as exc:
        return _fail("pfx", exc)
    if args.format == "text":
        print(f"PFX written (mode 0600): {result.path} with {result.chain_count} CA certificate(s)")
        if result.left_out:
            print(f"  {result.left_out} certificate(s) not in this certificate's chain were left out")
    _print_report(result.report, args.format)
    return 1 if result.report.failed else 0


def _summary_text(report: LintReport) -> str:
    counts = report.summary.to_json()
    return ", ".join(f"{counts[key]} {key}" for key in ("pass", "warn", "fail", "skip"))


def _print_report(report: LintReport, output: str) -> None:
    """The lint report as JSON, or as a table: rule, result, message and fix."""
    if output == "json":
        print(json_document(report.to_json()))
        return
    from cmgtui.domain.display_text import visible

    info = report.info
    print(f"File:       {visible(report.file)}")
    print(f"Subject:    {visible(info.subject)}")
    print(f"Thumbprint: {info.thumbprint}")
    print(f"Valid:      {info.not_before:%Y-%m-%d} to {info.not_after:%Y-%m-%d} (UTC)")
    print(
        f"Key:        {info.key_description}, private key {'present' if info.has_private_key else 'absent'}"
    )
    print()
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 140))
    rule_width, status_width = 20, 6
    indent = " " * (rule_width + status_width + 2)
    text_width = width - len(indent)
    print(f"{'RULE':<{rule_width}} {'RESULT':<{status_width}} MESSAGE / FIX")
    for result in report.results:
        status = result.status.value
        shown = status.upper() if status in ("warn", "fail") else status
        lines = textwrap.wrap(visible(result.message), text_width) or [""]
        if result.fix:
            lines += textwrap.wrap(f"fix: {visible(result.fix)}", text_width)
        print(f"{result.rule:<{rule_width}} {shown:<{status_width}} {lines[0]}")
        for line in lines[1:]:
            print(f"{indent}{line}")
    print()
    print(f"Summary: {_summary_text(report)}")
