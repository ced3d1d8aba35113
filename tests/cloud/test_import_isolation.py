"""Importing the cloud layer or the sandbox must not load the Azure or Graph SDKs (they load on first use)."""

from __future__ import annotations

import json
import subprocess
import sys

_SCRIPT = """
import importlib, json, pkgutil, sys
import cmgtui.cloud, cmgtui.sandbox
names = ["cmgtui.cloud", "cmgtui.sandbox"]
for package in (cmgtui.cloud, cmgtui.sandbox):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
        names.append(info.name)
import cmgtui.commands.sandbox
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("azure", "msgraph", "msgraph_core", "kiota_abstractions", "httpx", "textual"))
print(json.dumps({"imported": names, "heavy": heavy}))
"""


def test_cloud_modules_import_without_sdks() -> None:
    out = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    assert "cmgtui.cloud.arm" in report["imported"]
    assert "cmgtui.cloud.graph" in report["imported"]
    assert "cmgtui.sandbox.server" in report["imported"]
    assert report["heavy"] == []


#: Run before the code under test: any connection or name lookup beyond loopback is refused
#: and recorded, and the guard proves it works by refusing one itself.
_NO_NETWORK = """
import ipaddress, json, socket, sys
attempts = []
LOOPBACK = {"localhost", "127.0.0.1", "::1"}

def _loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in LOOPBACK

def _refuse(what):
    attempts.append(what)
    raise OSError(f"network blocked by the test: {what}")

_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
        _refuse(f"connect {address!r}")
    return _connect(self, address)

def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
        _refuse(f"connect {address!r}")
    return _connect_ex(self, address)

def getaddrinfo(host, *args, **kwargs):
    if host is not None and not _loopback(host if isinstance(host, str) else host.decode()):
        _refuse(f"resolve {host!r}")
    return _getaddrinfo(host, *args, **kwargs)

socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
for probe in (lambda: socket.socket().connect(("192.0.2.1", 443)), lambda: socket.getaddrinfo("example.com", 443)):
    try:
        probe()
    except OSError:
        pass
assert attempts == ["connect ('192.0.2.1', 443)", "resolve 'example.com'"], attempts
attempts.clear()
"""


def run_offline(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter whose network is refused; the JSON it prints, read back."""
    out = subprocess.run([sys.executable, "-c", _NO_NETWORK + code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    report: dict[str, object] = json.loads(out.stdout)
    return report


def test_warm_up_graph_loads_the_models_without_network() -> None:
    report = run_offline(
        "from cmgtui.cloud.graph import warm_up_graph; before = len(sys.modules); warm_up_graph(); "
        "print(json.dumps({'added': len(sys.modules) - before, "
        "'user': 'msgraph.generated.models.user' in sys.modules, 'attempts': attempts}))")
    assert report["attempts"] == []
    assert report["added"] > 500 and report["user"]
