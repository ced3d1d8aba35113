"""Log triage throughput and memory: a generated CMTrace log of SIZE MB, read as a stream.

Prints the throughput of ``triage`` against a bare line count of the same file (the floor any
reader pays: ``for line in open(...)``), their ratio, and the peak traced memory of a second
run under tracemalloc. Peak memory must not grow with the file (500 MB in, a few MB held).

Run: ``uv run python benchmarks/bench_log_triage.py [SIZE_MB]``
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from cmgtui.domain.logs import triage


def _entry(i: int) -> str:
    return (f'<![LOG[Request {i} forwarded to the connection point]LOG]!><time="12:34:56.789+480" '
            f'date="10-28-2020" component="CMGService" context="" type="1" thread="4200" file="x.cpp:1">\r\n')


def main(size_mb: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "CMGService.log"
        block = "".join(_entry(i) for i in range(2000))
        with path.open("w", encoding="utf-8") as out:
            while out.tell() < size_mb * 1024 * 1024:
                out.write(block)
        size = path.stat().st_size / 1024 / 1024
        start = time.perf_counter()
        with path.open(encoding="utf-8", errors="replace") as handle:
            lines = sum(1 for _ in handle)
        bare = time.perf_counter() - start
        start = time.perf_counter()
        result = triage([path])
        took = time.perf_counter() - start
        tracemalloc.start()
        triage([path])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"log: {size:.0f} MB, {lines:,} lines, {result.inputs[0].entries:,} entries")
    print(f"bare line count: {bare:.2f} s ({size / bare:.0f} MB/s)")
    print(f"triage:          {took:.2f} s ({size / took:.0f} MB/s), ratio {took / bare:.1f}x")
    print(f"peak traced memory: {peak / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
