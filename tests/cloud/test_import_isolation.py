"""Importing the cloud layer must not load the Azure or Graph SDKs (they load on first use)."""

from __future__ import annotations

import json
import subprocess
import sys

_SCRIPT = """
import importlib, json, pkgutil, sys
import cmgtui.cloud
names = ["cmgtui.cloud"]
for info in pkgutil.walk_packages(cmgtui.cloud.__path__, "cmgtui.cloud."):
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
    assert "cmgtui.cloud.sandbox.server" in report["imported"]
    assert report["heavy"] == []


def test_warm_up_graph_loads_the_models_without_network() -> None:
    script = ("import sys; from cmgtui.cloud.graph import warm_up_graph; before = len(sys.modules); "
              "warm_up_graph(); print(len(sys.modules) - before, 'msgraph.generated.models.user' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    added, has_user = out.stdout.split()
    assert int(added) > 500 and has_user == "True"
