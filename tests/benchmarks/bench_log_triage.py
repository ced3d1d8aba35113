"""Log triage throughput and memory on a realistic Logs folder of SIZE MB.

The folder holds eight logs as a site and its clients write them: the site-server format
(CloudMgr.log, SMS_Cloud_ProxyConnector.log, a synced CMGService.log) and CMTrace
(LocationServices.log, ccmsetup.log, CcmMessaging.log, AppEnforce.log, DataTransferService.log),
with mixed severities, multi-line entries, CRLF line ends, three files in UTF-16 LE with a BOM,
and a few lines that signatures match. Prints, for the same folder:

* cmgtui's triage in MB/s of CPU time (best of ROUNDS; CPU time is steadier than wall time on a
  shared machine, which is printed beside it), its findings (count and a digest, so two code
  versions can be compared for identical results), the peak traced memory of a run and the peak
  resident memory of a process that only imports cmgtui and runs triage;
* ``grep -c -i -E`` over the catalogue's patterns (what a C tool reaches) in MB/s of CPU time,
  and the ratio of the two;
* with ``--against TREE`` (another checkout of cmgtui, e.g. ``git worktree add /tmp/base main``),
  both trees' triage in fresh processes, taking turns round by round on the same folder (a shared
  machine's load then weighs on both alike): each one's best MB/s, whether their findings agree,
  and the ratio of the two.

Run: ``uv run python tests/benchmarks/bench_log_triage.py [SIZE_MB] [ROUNDS] [--against TREE]``
"""

from __future__ import annotations

import argparse
import codecs
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from cmgtui.domain.logs import CATALOGUE
from cmgtui.services.triage import triage

STAMP = "10-28-2025 {h:02d}:{m:02d}:{s:02d}.{ms:03d}+480"


def _sms(message: str, component: str, i: int) -> str:
    stamp = STAMP.format(h=(i // 3600) % 24, m=(i // 60) % 60, s=i % 60, ms=i % 1000)
    return f"{message}~~  $$<{component}><{stamp}><thread=5032 (0x13A8)>\r\n"


def _cm(message: str, component: str, i: int, entry_type: int = 1) -> str:
    clock = f"{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}.{i % 1000:03d}+480"
    return (f'<![LOG[{message}]LOG]!><time="{clock}" date="10-28-2025" component="{component}" context="" '
            f'type="{entry_type}" thread="{4200 + i % 7}" file="x.cpp:{i % 900}">\r\n')


def _cloudmgr(i: int) -> str:
    c = "SMS_CLOUD_SERVICES_MANAGER"
    if i % 97 == 0:
        return _sms("ERROR: Exception occured for service GraniteFalls : System.AggregateException: One or more "
                    "errors occurred.\r\n---> Azure.RequestFailedException: At least one resource deployment operation "
                    "failed.~~Status: 200 (OK)~~ErrorCode: DeploymentFailed~~\r\nat Azure.Core.OperationInternal`1."
                    "GetResponseFromState(OperationState`1 state)", c, i)
    if i % 13 == 0:
        return _sms("WARNING: Deployment GraniteFalls is still being provisioned; retrying in 60 seconds", c, i)
    return _sms(f"Deployment instance status for service GraniteFalls is ReadyRole. Instance {i % 4}", c, i)


def _proxy(i: int) -> str:
    c = "SMS_CLOUD_PROXYCONNECTOR"
    if i % 5 == 0:
        return _sms(f"MessageID: 3087bd34-b82c-4950-b972-e82bb0fb{i % 10000:04d} RequestURI: https://MP.MYCORP.COM/"
                    "CCM_STS EndpointName: CCM_STS ResponseHeader: HTTP/1.1 200 OK ~~ ResponseBodySize: 0 "
                    "ElapsedTime: 2 ms", c, i)
    return _sms(f"Connection {i % 16} to GraniteFalls.contoso.com:443 is healthy, {i % 40} pending requests", c, i)


def _cmgservice(i: int) -> str:
    return _sms("RequestUri: /CCM_PROXY_SERVERAUTH/72057594037937981/CCM_STS  RequestCount: 1  RequestSize: 1974 "
                f"Bytes  ResponseCount: 1  ResponseSize: 1566 Bytes  AverageElapsedTime: {i % 400} ms", "CMGService", i)


def _location(i: int) -> str:
    if i % 89 == 0:
        return _cm("[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED is set", "LocationServices", i, 2)
    if i % 11 == 0:
        return _cm("Failed to refresh Site Signing Certificate over HTTP with error 0x80004005.", "LocationServices", i, 3)
    return _cm(f"Current AD site of machine is Default-First-Site-Name; lookup {i}", "LocationServices", i)


def _ccmsetup(i: int) -> str:
    if i % 7 == 0:
        return _cm("Sending message body '<ContentLocationRequest SchemaVersion=\"1.00\">\r\n  <AssignedSite "
                   f"SiteCode=\"ABC\"/>\r\n  <ClientPackage RequestForLatest=\"0\"/>\r\n</ContentLocationRequest>' {i}",
                   "ccmsetup", i)
    return _cm(f"Checking the URL 'https://GraniteFalls.contoso.com/CCM_Proxy_MutualAuth/72186325152220500/"
               f"CCM_Client/ccmsetup.cab' ({i})", "ccmsetup", i, 2 if i % 17 == 0 else 1)


def _messaging(i: int) -> str:
    return _cm(f"Sending async message '{{BD03DEED-D09A-4E63-ADAD-{i % 1000000:012d}}}' to outgoing queue "
               "'mp_[http]mp_policymanager'", "CcmMessaging", i)


def _appenforce(i: int) -> str:
    if i % 9 == 0:
        return _cm("Unmatched exit code (1603) is considered an execution failure.", "AppEnforce", i, 3)
    return _cm(f"    Process {6000 + i % 900} terminated with exitcode: 0", "AppEnforce", i)


def _dts(i: int) -> str:
    if i % 10 == 0:
        return _cm("GetDirectoryList_HTTP mapping original error 0x80072efd to 0x800704cf.", "DataTransferService", i, 3)
    return _cm(f"DTSJob {{71EF16C0-CF7B-4209-AAC7-{i:012d}}} in state 'DownloadingData'.", "DataTransferService", i)


#: (file name, line maker, UTF-16 LE with BOM?, signature lines to plant)
LOGS = (
    ("CloudMgr.log", _cloudmgr, False,
     ["ERROR: Code: MissingSubscriptionRegistration, Message: The subscription is not registered to use namespace "
      "'Microsoft.KeyVault'.~~  $$<SMS_CLOUD_SERVICES_MANAGER><10-28-2025 12:00:00.000+480><thread=5032 (0x13A8)>\r\n"]),
    ("SMS_Cloud_ProxyConnector.log", _proxy, False,
     ["Filtered cert count with client auth: 0~~  $$<SMS_CLOUD_PROXYCONNECTOR><10-28-2025 12:00:01.000+480>"
      "<thread=4100 (0x1004)>\r\n"]),
    ("CMG-GraniteFalls-ProxyService_IN_0-CMGService.log", _cmgservice, False, []),
    ("LocationServices.log", _location, True,
     [_cm("[CCMHTTP] ERROR INFO: StatusCode= 403 StatusText= CMGConnector_Forbidden", "LocationServices", 5, 3)]),
    ("ccmsetup.log", _ccmsetup, False,
     [_cm("[CCMHTTP] ERROR INFO: StatusCode=401 StatusText=CMGService_Invalid_Token", "ccmsetup", 6, 3)]),
    ("CcmMessaging.log", _messaging, True,
     [_cm("[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA is set", "CcmMessaging", 7, 2)]),
    ("AppEnforce.log", _appenforce, True, []),
    ("DataTransferService.log", _dts, False, []),
)


def build(folder: Path, size_mb: float) -> None:
    """Write the eight logs, SIZE MB in all, signature lines spread through each."""
    per_file = size_mb * 1024 * 1024 / len(LOGS)
    for name, maker, utf16, planted in LOGS:
        block = "".join(maker(i) for i in range(3000))
        data = block.encode("utf-16-le") if utf16 else block.encode()
        copies = max(1, int(per_file // len(data)))
        with (folder / name).open("wb") as out:
            if utf16:
                out.write(codecs.BOM_UTF16_LE)
            for copy in range(copies):
                out.write(data)
                if planted and copy % max(1, copies // 3) == 0:
                    line = planted[0]
                    out.write(line.encode("utf-16-le") if utf16 else line.encode())


def digest(result) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """How many findings and a digest of (id, file, line) for comparing two runs."""
    keys = [(f.signature.id, Path(f.entry.file).name, f.entry.line) for f in result.findings]
    return len(keys), hashlib.sha256(json.dumps(keys).encode()).hexdigest()[:12]


def grep_pattern() -> str:
    """The catalogue's patterns as one POSIX extended pattern."""
    parts = [p.pattern.replace(r"\d", "[0-9]") for s in CATALOGUE for p in s.patterns]
    return "|".join(f"({p})" for p in parts)


def child_peak_rss(folder: Path) -> float:
    """Peak resident MiB of a fresh process that imports cmgtui's triage and runs it once."""
    code = ("import resource,sys; from cmgtui.services.triage import triage; triage([sys.argv[1]]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


#: Triage in a fresh process of the tree on PYTHONPATH: prints the better CPU seconds of two runs and the findings' digest.
TIMED = """
import hashlib, json, sys, time
from pathlib import Path
try:
    from cmgtui.services.triage import triage
except ImportError:  # a tree from before the triage service
    from cmgtui.domain.logs import triage
took = float("inf")
for _ in range(2):  # the first run also compiles the catalogue's patterns and fills caches
    start = time.process_time()
    result = triage([sys.argv[1]])
    took = min(took, time.process_time() - start)
keys = [(f.signature.id, Path(f.entry.file).name, f.entry.line) for f in result.findings]
print(took, hashlib.sha256(json.dumps(keys).encode()).hexdigest()[:12])
"""


def timed_in(tree: Path, folder: Path) -> tuple[float, str]:
    """(CPU seconds, findings digest) of one triage of ``folder`` by the cmgtui in ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", TIMED, str(folder)], capture_output=True, text=True, check=True,
                         cwd=tree, env=env)
    took, code = out.stdout.split()
    return float(took), code


def compare(folder: Path, size: float, rounds: int, against: Path) -> list[str]:
    """Both trees' triage in turns, ``rounds`` times each: lines with each one's best MB/s and their ratio."""
    here = Path(__file__).resolve().parents[2]
    best = {here: float("inf"), against: float("inf")}
    codes: dict[Path, set[str]] = {here: set(), against: set()}
    for turn in range(2 * rounds):
        tree = (against, here)[turn % 2]
        took, code = timed_in(tree, folder)
        best[tree] = min(best[tree], took)
        codes[tree].add(code)
    same = "identical findings" if codes[here] == codes[against] and len(codes[here]) == 1 else "FINDINGS DIFFER"
    return [f"in turns, this tree: {size / best[here]:6.1f} MB/s  ({best[here]:.2f} s)",
            f"in turns, {against}: {size / best[against]:6.1f} MB/s  ({best[against]:.2f} s)",
            f"ratio (this / other, best of {rounds} turns each): {best[against] / best[here]:.2f}x; {same}"]


def main(size_mb: float, rounds: int, against: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        build(folder, size_mb)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1024 / 1024
        best = wall = float("inf")
        result = None
        for _ in range(rounds):
            start, clock = time.process_time(), time.perf_counter()
            result = triage([folder])
            best = min(best, time.process_time() - start)
            wall = min(wall, time.perf_counter() - clock)
        assert result is not None
        count, code = digest(result)
        tracemalloc.start()
        triage([folder])
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = child_peak_rss(folder)
        turns = compare(folder, size, rounds, against) if against is not None else []
        grep = shutil.which("grep")
        grep_best = float("nan")
        if grep:
            pattern = grep_pattern()
            files = sorted(str(p) for p in folder.iterdir())
            grep_best = float("inf")
            for _ in range(rounds):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                subprocess.run([grep, "-c", "-i", "-E", pattern, *files], capture_output=True, check=False)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                took = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                grep_best = min(grep_best, took)
    entries = sum(i.entries for i in result.inputs)
    print(f"set: {size:.0f} MB in {len(result.inputs)} logs, {entries:,} entries, "
          f"{count} findings (digest {code}), {len(result.errors)} errors")
    print(f"cmgtui triage:  {best:.2f} s  {size / best:6.1f} MB/s  (wall {wall:.2f} s, {size / wall:.1f} MB/s)")
    print(f"grep -c -i -E:  {grep_best:.2f} s  {size / grep_best:6.1f} MB/s  (cmgtui takes {best / grep_best:.1f}x)")
    print(f"peak traced memory: {traced / 1024 / 1024:.1f} MiB; peak RSS of a triage process: {rss:.1f} MiB")
    for line in turns:
        print(line)


if __name__ == "__main__":
    options = argparse.ArgumentParser(description="Log triage throughput and memory on a realistic Logs folder.")
    options.add_argument("size_mb", nargs="?", type=float, default=315)
    options.add_argument("rounds", nargs="?", type=int, default=2)
    options.add_argument("--against", type=Path, help="another cmgtui checkout to time in turns with this one")
    args = options.parse_args()
    main(args.size_mb, args.rounds, args.against.resolve() if args.against else None)
