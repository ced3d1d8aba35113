"""Measure issue 13's "Done when" figures against a source tree (not part of the test suite).

    python tests/hostile/measure_done_when.py [--src DIR] [--kills N]

``--src`` is the folder that holds the ``cmgtui`` package to attack (default: this checkout),
so the same attacks can be run on the code before and after a change. Every run gets its own
``CMGTUI_HOME`` in a temporary folder and a memory limit (so ``/dev/zero`` cannot take the
machine down). It prints one line per figure:

- cross-profile writes (a hand-made copy, a name of another profile, a path-like name);
- tracebacks / hangs over hostile profile files for the picker, TUI start-up with
  ``--profile`` and every read-only CLI command;
- quarantine copies left by four read-only commands on one damaged file;
- ``.NAME.json.*.tmp`` files left after the next start following N SIGKILLs during saves;
- file modes of exports, reports, scripts and lock files (umask 022);
- the CLI cases of the issue (bad input, closed/broken stdout, FIFOs, fault settings).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 25.0
PASSWORD = "lab-password-123"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
    os.umask(0o022)


class Runner:
    """Runs ``python -m cmgtui`` (or code) against one source tree, in a fresh home each time."""

    def __init__(self, src: Path) -> None:
        self.src = src

    def env(self, home: Path, **extra: str) -> dict[str, str]:
        """The environment of one run: this tree's package first, a home of its own, no cmgtui settings.

        Runs also start in ``home``: ``python -m`` puts the working folder first on the path.
        """
        env = {k: v for k, v in os.environ.items() if not k.startswith("CMGTUI_")}
        env.update(PYTHONPATH=str(self.src), CMGTUI_HOME=str(home), TERM="xterm-256color", **extra)
        return env

    def run(self, args: list[str], home: Path, *, code: str | None = None, shell: str | None = None,
            env_extra: dict[str, str] | None = None, envb: dict[bytes, bytes] | None = None,
            timeout: float = TIMEOUT) -> tuple[str, int | None, str]:
        """('ok'|'traceback'|'hang'|'crash', exit code, stderr)."""
        env = self.env(home, **(env_extra or {}))
        if envb:
            env_b = {k.encode(): v.encode() for k, v in env.items()} | envb
        command: list[str] | str
        if shell is not None:
            command = shell
        elif code is not None:
            command = [sys.executable, "-c", code, *args]
        else:
            command = [sys.executable, "-m", "cmgtui", *args]
        try:
            done = subprocess.run(command, env=env_b if envb else env, capture_output=True, timeout=timeout, cwd=home,
                                  stdin=subprocess.DEVNULL, preexec_fn=_limit_memory, shell=shell is not None,
                                  executable="/bin/bash" if shell is not None else None)
        except subprocess.TimeoutExpired:
            return "hang", None, ""
        err = done.stderr.decode("utf-8", "replace")
        out = done.stdout.decode("utf-8", "replace")
        if "Traceback" in err or "Traceback" in out or "MemoryError" in err:
            return "traceback", done.returncode, err
        if done.returncode < 0:
            return "crash", done.returncode, err
        return "ok", done.returncode, err


def _profile(name: str, **fields: object) -> bytes:
    return json.dumps({"schema_version": 2, "name": name, **fields}).encode()


def hostile_files() -> dict[str, object]:
    """Name -> bytes for a regular file, or a marker for a special file."""
    deep = b'{"schema_version":2,"name":"victim","x":' + b"[" * 5000 + b"]" * 5000 + b"}"
    return {
        "v1-checklist-list": b'{"schema_version":1,"name":"victim","checklist":[1]}',
        "v1-notes-string": b'{"schema_version":1,"name":"victim","notes":"oops"}',
        "nested-5000": deep,
        "symlink-dev-zero": "devzero",
        "fifo": "fifo",
        "directory": "dir",
        "name-escape": _profile("../../escape"),
        "huge-integer": b'{"schema_version":2,"name":"victim","region":' + b"9" * 5000 + b"}",
        "too-large": b"{" + b" " * (6 * 1024 * 1024) + b"}",
        "not-utf8": b'{"schema_version":2,"name":"\xff\xfe"}',
    }


def full_corpus() -> dict[str, object]:
    """The test suite's corpus (tests/hostile/corpus.py): every kind, planted by its own code."""
    sys.path.insert(0, str(ROOT))
    from tests.hostile.corpus import NAMES_INSIDE, REGULAR, SPECIAL

    return {kind: ("corpus", kind) for kind in [*REGULAR, *SPECIAL, *NAMES_INSIDE]}


def plant(home: Path, kind: str, content: object) -> Path:
    folder = home / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.json").write_bytes(_profile("good", region="westus"))
    path = folder / "victim.json"
    if isinstance(content, tuple):
        from tests.hostile.corpus import plant as plant_corpus

        outside = home / "outside"
        outside.mkdir(exist_ok=True)
        plant_corpus(path, content[1], outside)
    elif content == "devzero":
        path.symlink_to("/dev/zero")
    elif content == "fifo":
        os.mkfifo(path)
    elif content == "dir":
        path.mkdir()
    else:
        path.write_bytes(content)  # type: ignore[arg-type]
    return path


TUI_CODE = """
import asyncio, sys
from cmgtui.app import CmgApp
async def main():
    app = CmgApp(initial_profile=(sys.argv[1] or None))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(60):
            await pilot.pause()
        print("SCREEN", type(app.screen).__name__)
asyncio.run(main())
"""

READ_COMMANDS = {
    "profiles list": ["profiles", "list"],
    "profiles list json": ["profiles", "list", "--format", "json"],
    "profiles show": ["profiles", "show", "victim"],
    "profiles export": ["profiles", "export", "victim"],
    "report": ["report", "--profile", "victim"],
    "report (no name)": ["report"],
    "script": ["script", "--profile", "victim"],
    "check": ["check", "--profile", "victim"],
    "profiles delete": ["profiles", "delete", "victim", "--yes"],
}


def measure_hostile_files(runner: Runner, tmp: Path, corpus: dict[str, object]) -> None:
    totals: Counter[str] = Counter()
    per_front: dict[str, Counter[str]] = {}
    for kind, content in corpus.items():
        cases = {"picker": (["" ], TUI_CODE), "tui --profile": (["victim"], TUI_CODE)}
        for front, (args, code) in cases.items():
            home = Path(tempfile.mkdtemp(dir=tmp))
            plant(home, kind, content)
            outcome, _, _ = runner.run(args, home, code=code, timeout=40)
            totals[outcome] += 1
            per_front.setdefault(front, Counter())[outcome] += 1
            if outcome != "ok":
                print(f"    {kind:<18} {front:<18} {outcome}")
        for front, argv in READ_COMMANDS.items():
            home = Path(tempfile.mkdtemp(dir=tmp))
            plant(home, kind, content)
            outcome, code_, err = runner.run(argv, home)
            totals[outcome] += 1
            per_front.setdefault(front, Counter())[outcome] += 1
            if outcome != "ok":
                print(f"    {kind:<18} {front:<18} {outcome} {code_}")
    print(f"hostile files: {len(corpus)} files; runs by outcome {dict(totals)}")
    for front, counts in per_front.items():
        print(f"    {front:<18} {dict(counts)}")


CROSS_CODE = """
import json, sys
from pathlib import Path
from cmgtui import activity, paths
from cmgtui.store import ProfileStore
store = ProfileStore()
folder = paths.profiles_dir()
results = {}
def snapshot():
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.suffix == ".json"}
def session(name):
    opened = store.open(name)
    opened.profile.region = "changed-by-" + name
    store.save(opened.profile)
    activity.append(opened.profile.name, "profile", "x")
    opened.close()
crosses = 0
errors = []
# 1. a hand-made copy while the original is open elsewhere
s = store.create("shared"); s.region = "eastus"; store.save(s)
(folder / "copy.json").write_bytes((folder / "shared.json").read_bytes())
holder = store.open("shared")
before = (folder / "shared.json").read_bytes()
try:
    session("copy")
except Exception as exc:
    errors.append(f"copy: {type(exc).__name__}")
if (folder / "shared.json").read_bytes() != before: crosses += 1
if b"changed-by-copy" not in (folder / "copy.json").read_bytes(): crosses += 1
if (folder / "shared.activity.jsonl").exists(): crosses += 1
holder.close()
# 2. a name inside that is another (absent) profile
(folder / "mine.json").write_bytes(json.dumps({"schema_version": 2, "name": "theirs"}).encode())
try:
    session("mine")
except Exception as exc:
    errors.append(f"mine: {type(exc).__name__}")
if (folder / "theirs.json").exists(): crosses += 1
# 3. a path-like name inside
(folder / "esc.json").write_bytes(json.dumps({"schema_version": 2, "name": "../../escape"}).encode())
try:
    session("esc")
except Exception as exc:
    errors.append(f"esc: {type(exc).__name__}: {exc}"[:120])
home = paths.home()
outside = [p for p in home.parent.rglob("*escape*")]
if outside: crosses += 1
print(json.dumps({"crosses": crosses, "errors": errors}))
"""


def measure_cross_writes(runner: Runner, tmp: Path) -> None:
    home = Path(tempfile.mkdtemp(dir=tmp))
    out = subprocess.run([sys.executable, "-c", CROSS_CODE], env=runner.env(home), cwd=home,
                         capture_output=True, text=True, timeout=TIMEOUT)
    try:
        data = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        data = {"crosses": "?", "errors": [out.stderr.strip().splitlines()[-1:]]}
    print(f"cross-profile writes: {data['crosses']} (uncaught errors: {data['errors']})")


def measure_quarantine(runner: Runner, tmp: Path) -> None:
    home = Path(tempfile.mkdtemp(dir=tmp))
    plant(home, "garbage", b"{" + os.urandom(1024 * 1024).hex().encode())
    for argv in (["profiles", "show", "victim"], ["report", "--profile", "victim"],
                 ["script", "--profile", "victim"], ["check", "--profile", "victim"],
                 ["profiles", "show", "victim"], ["profiles", "show", "victim"]):
        runner.run(argv, home)
    copies = list((home / "quarantine").glob("*")) if (home / "quarantine").exists() else []
    size = sum(p.stat().st_size for p in copies)
    print(f"quarantine copies after 6 read-only commands on one damaged 2 MB file: {len(copies)} "
          f"({size / 1e6:.1f} MB)")


SAVER = """
import sys
from cmgtui.store import ProfileStore
store = ProfileStore()
opened = store.open("busy")
i = 0
sys.stdout.write("ready\\n"); sys.stdout.flush()
while True:
    i += 1
    opened.profile.region = f"region{i}"
    store.save(opened.profile)
"""


def measure_kills(runner: Runner, tmp: Path, kills: int) -> None:
    home = Path(tempfile.mkdtemp(dir=tmp))
    folder = home / "profiles"
    folder.mkdir(parents=True)
    (folder / "busy.json").write_bytes(_profile("busy"))
    rng = random.Random(13)
    for _ in range(kills):
        proc = subprocess.Popen([sys.executable, "-c", SAVER], env=runner.env(home), stdout=subprocess.PIPE, cwd=home,
                                stderr=subprocess.DEVNULL)
        assert proc.stdout is not None
        proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    left_before = len(list(folder.glob(".*.tmp")))
    runner.run(["profiles", "list"], home)
    left_after = len(list(folder.glob(".*.tmp")))
    damaged = runner.run(["profiles", "show", "busy"], home)[1]
    print(f"temp files after {kills} SIGKILLs: {left_before}; after the next start (profiles list): "
          f"{left_after}; profile readable afterwards: {damaged == 0}")


def measure_modes(runner: Runner, tmp: Path) -> None:
    home = Path(tempfile.mkdtemp(dir=tmp))
    out = Path(tempfile.mkdtemp(dir=tmp))
    folder = home / "profiles"
    folder.mkdir(parents=True)
    (folder / "good.json").write_bytes(_profile("good", region="westus"))
    modes = {}
    runner.run(["profiles", "export", "good", "-o", str(out / "export.json")], home)
    runner.run(["report", "--profile", "good", "-o", str(out / "report.md")], home)
    runner.run(["script", "--profile", "good", "-o", str(out / "script.ps1")], home)
    (out / "existing.md").write_text("old")
    os.chmod(out / "existing.md", 0o644)
    runner.run(["report", "--profile", "good", "-o", str(out / "existing.md")], home)
    lock_code = ("from cmgtui.store import ProfileStore\nimport os\nos.umask(0o022)\n"
                 "o = ProfileStore().open('good'); o.close()")
    runner.run([], home, code=lock_code)
    tui_code = ("import os\nos.umask(0o022)\nfrom pathlib import Path\nimport sys\n"
                "from cmgtui.panes.automation import write_text_file\n"
                "write_text_file(Path(sys.argv[1]), 'x')")
    runner.run([str(out / "tui-script.ps1")], home, code=tui_code)
    for path in [*out.iterdir(), *folder.glob(".*.lock")]:
        modes[path.name] = oct(stat.S_IMODE(path.stat().st_mode))
    private = sum(1 for m in modes.values() if m == "0o600")
    print(f"file modes: {private} of {len(modes)} files 0600: {modes}")


def measure_cli_cases(runner: Runner, tmp: Path) -> None:
    home = Path(tempfile.mkdtemp(dir=tmp))
    work = Path(tempfile.mkdtemp(dir=tmp))
    folder = home / "profiles"
    folder.mkdir(parents=True)
    (folder / "good.json").write_bytes(_profile("good", region="westus"))
    fifo = work / "fifo"
    os.mkfifo(fifo)
    runner.run(["cert", "lab", "--service-name", "lab.contoso.com", "--out", str(work / "lab"),
                "--password-env", "PW"], home, env_extra={"PW": PASSWORD})
    pfx = next((work / "lab").glob("*.pfx"), work / "missing.pfx")
    py = f"PYTHONPATH={runner.src} {sys.executable} -m cmgtui"
    cases = [
        ("non-UTF-8 --password-env", dict(args=["cert", "lint", str(pfx), "--password-env", "BAD"],
                                          envb={b"BAD": b"\xff\xfelab"}), {2}),
        ("non-UTF-8 --passphrase-env", dict(args=["cert", "csr", "--service-name", "a.contoso.com", "--out",
                                                  str(work / "csr"), "--passphrase-env", "BAD"],
                                            envb={b"BAD": b"\xff\xfe-passphrase"}), {2}),
        ("report >&-", dict(args=[], shell=f"{py} report --profile good >&-"), {0}),
        ("cert lint --format json | head", dict(args=[], shell=f"set -o pipefail; {py} cert lint {pfx} "
                                                f"--password-env PW --format json | true; "
                                                "exit ${PIPESTATUS[0]}",
                                                env_extra={"PW": PASSWORD}), {0, 1}),
        ("--password-file FIFO", dict(args=["cert", "lint", str(pfx), "--password-file", str(fifo)]), {2}),
        ("profiles import /dev/zero", dict(args=["profiles", "import", "/dev/zero"]), {2}),
        ("profiles import FIFO", dict(args=["profiles", "import", str(fifo)]), {2}),
        ("check --sandbox bad faults", dict(args=["check", "--sandbox"],
                                            env_extra={"CMGTUI_SANDBOX_FAULTS": "errors=x"}), {2}),
        ("check --sandbox unknown fault", dict(args=["check", "--sandbox"],
                                               env_extra={"CMGTUI_SANDBOX_FAULTS": "bogus=1"}), {2}),
        ("sandbox serve --errors 1 --error-status 200",
         dict(args=["sandbox", "serve", "--errors", "1", "--error-status", "200"], timeout=8), {2}),
        ("sandbox serve bad env", dict(args=["sandbox", "serve"],
                                       env_extra={"CMGTUI_SANDBOX_FAULTS": "drop-when=later"}, timeout=8), {2}),
    ]
    bad = 0
    for label, spec, expected in cases:
        outcome, code, err = runner.run(spec.pop("args"), home, **spec)  # type: ignore[arg-type]
        good = outcome == "ok" and code in expected
        bad += not good
        last = err.strip().splitlines()[-1:] if err.strip() else [""]
        print(f"    {'ok ' if good else 'BAD'} {label:<44} {outcome:<9} exit {code}  {last[0][:90]}")
    tui = ("import asyncio, os\nfrom cmgtui.app import CmgApp\n"
           "async def main():\n    app = CmgApp(initial_profile='sandbox', sandbox=True)\n"
           "    async with app.run_test(size=(80, 24)) as pilot:\n"
           "        for _ in range(300):\n            await pilot.pause(0.02)\n"
           "        print('STATE', app.sign_in_state)\n"
           "        print('NOTES', [n.message for n in app._notifications])\n"
           "asyncio.run(main())\n")
    try:
        done = subprocess.run([sys.executable, "-c", tui], env=runner.env(home, CMGTUI_SANDBOX_FAULTS="errors=x"), cwd=home,
                              capture_output=True, text=True, timeout=60)
        outcome = "traceback" if "Traceback" in done.stderr else "ok"
    except subprocess.TimeoutExpired:
        done, outcome = subprocess.CompletedProcess([], 0, "", ""), "hang"
    state = next((line for line in done.stdout.splitlines() if line.startswith("STATE")), "STATE ?")
    stuck = "starting sandbox" in state
    bad += stuck or outcome != "ok"
    print(f"    {'BAD' if stuck or outcome != 'ok' else 'ok '} TUI --sandbox with bad faults: {outcome}, {state}")
    print(f"CLI cases: {bad} of {len(cases) + 1} wrong (traceback, hang or undocumented exit code)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--full-corpus", action="store_true",
                        help="attack with the test suite's whole corpus instead of the issue's ten files")
    args = parser.parse_args()
    runner = Runner(args.src.resolve())
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        steps = {
            "cross": lambda: measure_cross_writes(runner, tmp),
            "hostile": lambda: measure_hostile_files(runner, tmp,
                                                     full_corpus() if args.full_corpus else hostile_files()),
            "quarantine": lambda: measure_quarantine(runner, tmp),
            "kills": lambda: measure_kills(runner, tmp, args.kills),
            "modes": lambda: measure_modes(runner, tmp),
            "cli": lambda: measure_cli_cases(runner, tmp),
        }
        for name, step in steps.items():
            if not args.only or name in args.only:
                step()
                sys.stdout.flush()


if __name__ == "__main__":
    main()
