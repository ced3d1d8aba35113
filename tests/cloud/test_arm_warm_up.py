"""The ARM SDK's warm-up (run in a thread before the live checks) loads the clients and their transport, offline."""

from __future__ import annotations

from tests.cloud.test_import_isolation import run_offline


def test_warm_up_arm_loads_the_clients_and_their_transport_without_network() -> None:
    report = run_offline(
        "from cmgtui.cloud.arm import warm_up_arm; warm_up_arm(); "
        "print(json.dumps({'loaded': [m for m in ('aiohttp', 'azure.core.pipeline.transport._aiohttp', "
        "'azure.mgmt.resource.resources.aio', 'azure.mgmt.resource.subscriptions.aio') if m in sys.modules], "
        "'attempts': attempts}))")
    assert report["attempts"] == []
    assert len(report["loaded"]) == 4, report["loaded"]  # type: ignore[arg-type]  # a list in the JSON
