"""A connection that fails is said by its cause, in plain words, with what to do.

Each failure is a real one, made on loopback with the same HTTP stack the device-code sign-in
uses (requests over urllib3): a name that does not resolve, a port that refuses, a proxy that
is not there, and a server whose certificate this machine does not trust (as behind a proxy
that inspects TLS). The message never carries an exception class, a module path or a cut word.
The Azure CLI's own two messages (azure-identity's constants) read as two different problems.
"""

from __future__ import annotations

import re
import socket

import pytest
import requests
from azure.identity import CredentialUnavailableError
from azure.identity._credentials.azure_cli import CLI_NOT_FOUND, NOT_LOGGED_IN

from cmgtui.cloud.errors import map_exception
from cmgtui.sandbox.server import SandboxServer

RAW = re.compile(r"\b\w+(Error|Exception)\b|HTTPSConnectionPool|urllib3|requests\.|\bat 0x|<[a-z_.]+ object")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _failure(call) -> BaseException:  # type: ignore[no-untyped-def]
    with pytest.raises(requests.RequestException) as caught:
        call()
    return caught.value


def _plain(text: str) -> None:
    assert not RAW.search(text), text
    assert text.rstrip().endswith((".", ")")), f"cut: {text!r}"


def test_a_name_that_does_not_resolve_is_a_dns_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_answer(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_answer)
    exc = _failure(lambda: requests.get("https://login.microsoftonline.com/common/v2.0", timeout=5))
    error = map_exception(exc, "sign in")
    assert error.kind == "network" and error.code == "dns"
    assert error.message == "Could not sign in: cannot resolve login.microsoftonline.com (DNS has no answer for it)."
    assert "DNS settings" in error.what_to_do and "tenant" not in error.what_to_do.lower()
    _plain(error.message)


def test_a_refused_connection_says_so() -> None:
    port = _closed_port()
    exc = _failure(lambda: requests.get(f"https://127.0.0.1:{port}/", timeout=5))
    error = map_exception(exc, "sign in")
    assert error.code == "refused"
    assert error.message == "Could not sign in to 127.0.0.1: the connection was refused (nothing answers on " \
                            "that port, or a firewall rejects it)."
    assert "TCP 443" in error.what_to_do
    _plain(error.message)


def test_a_proxy_that_fails_is_named_as_the_proxy() -> None:
    proxy = f"http://127.0.0.1:{_closed_port()}"
    exc = _failure(lambda: requests.get("https://login.microsoftonline.com/", proxies={"https": proxy}, timeout=5))
    error = map_exception(exc, "sign in")
    assert error.code == "proxy"
    assert "the proxy refused or could not make the connection" in error.message
    assert "HTTPS_PROXY" in error.what_to_do
    _plain(error.message)


def test_an_untrusted_certificate_reads_as_tls_interception(sandbox: SandboxServer) -> None:
    exc = _failure(lambda: requests.get(f"{sandbox.url}/", timeout=5))  # the sandbox's CA is not trusted here
    error = map_exception(exc, "sign in")
    assert error.code == "tls"
    assert "not trusted on this machine (a proxy that inspects TLS replaces it)" in error.message
    assert "trust store" in error.what_to_do
    _plain(error.message)


def test_az_not_installed_and_az_not_signed_in_are_different_messages() -> None:
    missing = map_exception(CredentialUnavailableError(message=CLI_NOT_FOUND), "sign in")
    signed_out = map_exception(CredentialUnavailableError(message=NOT_LOGGED_IN), "sign in")
    assert missing.message == "Could not sign in: the Azure CLI (az) is not installed on this machine."
    assert missing.what_to_do.startswith("Install the Azure CLI")
    assert signed_out.message == "Could not sign in: the Azure CLI is installed but not signed in."
    assert signed_out.what_to_do.startswith("Run 'az login'")


def test_an_unknown_failure_names_no_exception_class() -> None:
    class WeirdInternalError(RuntimeError):
        pass

    error = map_exception(WeirdInternalError("module.thing at 0x7f00 " + "word " * 80), "check roles")
    assert error.message == "Could not check roles: an unexpected problem stopped it."
    _plain(error.message)
    assert error.detail.endswith("…") and "wor …" not in error.detail  # the log keeps it, cut at a word
