"""Benchmark: independent cloud checks run concurrently (ARCHITECTURE §9).

Starts the sandbox tenant with 200 ms of injected latency per request, then runs the same
N name checks (DNS label, key vault, storage) one after another and all at once through the
real ARM SDK, and prints both times and their ratio. Run: ``uv run python
tests/benchmarks/bench_cloud_concurrency.py [N]``. Loopback only; no Azure account needed.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from cmgtui.cloud.arm import ArmGateway
from cmgtui.cloud.credentials import SignInMethod, open_session
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION

LATENCY_MS = 200


async def _run(server: SandboxServer, count: int) -> tuple[float, float]:
    assert server.ca_path is not None
    session = open_session(SignInMethod.SANDBOX, sandbox_url=server.url, ca_path=server.ca_path)
    names = [f"benchcmg{i:02d}" for i in range(count)]
    kinds = ("dns", "vault", "storage")
    async with ArmGateway(session) as arm:
        await arm.list_subscriptions()  # token and connection warm-up, outside the timing
        server.faults.update(latency_ms=LATENCY_MS)

        def check(kind: str, name: str):
            if kind == "dns":
                return arm.check_dns_label(OWNER_SUBSCRIPTION, "westus", name)
            if kind == "vault":
                return arm.check_keyvault_name(OWNER_SUBSCRIPTION, name)
            return arm.check_storage_name(OWNER_SUBSCRIPTION, name)

        jobs = [(k, n) for n in names for k in kinds][:count]
        start = time.perf_counter()
        for kind, name in jobs:
            await check(kind, name)
        sequential = time.perf_counter() - start
        start = time.perf_counter()
        await asyncio.gather(*(check(kind, name) for kind, name in jobs))
        concurrent = time.perf_counter() - start
    return sequential, concurrent


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    with tempfile.TemporaryDirectory() as folder, SandboxServer(Path(folder)) as server:
        sequential, concurrent = asyncio.run(_run(server, count))
    print(f"{count} name checks, {LATENCY_MS} ms injected latency each")
    print(f"  one after another: {sequential:.2f} s  (N x latency = {count * LATENCY_MS / 1000:.2f} s)")
    print(f"  concurrently:      {concurrent:.2f} s")
    print(f"  ratio sequential/concurrent: {sequential / concurrent:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
