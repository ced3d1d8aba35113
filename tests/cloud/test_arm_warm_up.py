"""The ARM SDK's warm-up (run in a thread before the live checks) loads the clients and their transport, offline."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.cloud.test_import_isolation import _NO_NETWORK


def test_warm_up_arm_loads_the_clients_and_their_transport_without_network() -> None:
    script = _NO_NETWORK + (
        "from cmgtui.cloud.arm import warm_up_arm; warm_up_arm(); "
        "print(json.dumps({'loaded': [m for m in ('aiohttp', 'azure.core.pipeline.transport._aiohttp', "
        "'azure.mgmt.resource.resources.aio', 'azure.mgmt.resource.subscriptions.aio') if m in sys.modules], "
        "'attempts': attempts}))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    assert report["attempts"] == []
    assert len(report["loaded"]) == 4, report["loaded"]
