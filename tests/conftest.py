"""Shared fixtures, markers and the unused-snapshot report under pytest-xdist.

Every test runs with its own ``CMGTUI_HOME`` under ``tmp_path`` (so nothing touches real data and
parallel workers never share a folder), and with a virtual retry clock (so a Retry-After of
seconds costs no real time). Tests that drive the real App (Pilot, snapshots, a real process)
carry the ``app`` marker: ``uv run pytest -m "not app"`` is the quick loop.

syrupy 4.8 (the version pytest-textual-snapshot pins) skips its unused-snapshot check when
tests run in xdist workers, since no worker sees them all. The hooks below bring it back:
each worker names the snapshot files that no collected test owns, and the controller reports
them (a failure unless ``--snapshot-warn-unused``), as syrupy does in a single process.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.terminal import TerminalReporter

from cmgtui.cloud import retry
from cmgtui.sandbox.server import SandboxServer
from tests import pilot_tuning


def pytest_configure(config: pytest.Config) -> None:
    """Keep compiled modules (:func:`keep_bytecode`) and drive the Pilot as :mod:`tests.pilot_tuning` says."""
    keep_bytecode()
    pilot_tuning.install()


def keep_bytecode() -> None:
    """Let this run, its xdist workers and every process its tests start (``python -m cmgtui``,
    the kill tests' fork server) write the bytecode of what they import, as Python does by default.

    A machine that sets ``PYTHONDONTWRITEBYTECODE`` (to keep benchmarks and installs as they are)
    would otherwise have every one of those processes compile its imports from source again:
    about 1.5 s of CPU for cmgtui, Textual and the Azure SDKs, more with the Graph SDK's models.
    The files go to ``__pycache__`` folders, which git ignores and a wheel leaves out.
    """
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


#: Test folders whose every test drives the real App (a Pilot, a snapshot or a real process).
APP_FOLDERS = ("app", "snapshots", "packaging", "web")


#: The key of the unused snapshot files in a worker's output.
UNUSED_SNAPSHOTS = "cmgtui_unused_snapshots"
_unused_key = pytest.StashKey[set[str]]()


#: Allocations between two collections of Python's youngest generation in a test process (Python's default: 700).
YOUNG_GENERATION_THRESHOLD = 50_000


def pytest_collection_finish(session: pytest.Session) -> None:
    """Collect garbage less often in this process than Python would, once the tests are known.

    A test process holds every test module, Textual and the cloud SDKs, and an App test builds
    hundreds of widgets: measured on the App tests, Python's default collections took a fifth of
    the CPU time, most of it in full collections of 200-300 ms that walk all of that again.
    What is loaded once collection ends is frozen (never walked again) and the youngest
    generation is collected after 50,000 allocations instead of 700; no test depends on when
    garbage goes.
    """
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, oldest)


@pytest.hookimpl(tryfirst=True)  # before -m and -k deselect: every collected test counts
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of :data:`APP_FOLDERS` ``app``; find the snapshot files no test owns."""
    root = Path(__file__).parent
    for item in items:
        relative = item.path.relative_to(root) if item.path.is_relative_to(root) else None
        if relative is not None and relative.parts[0] in APP_FOLDERS:
            item.add_marker(pytest.mark.app)
    config.stash[_unused_key] = unowned_snapshots(items)


def unowned_snapshots(items: list[pytest.Item]) -> set[str]:
    """Snapshot files that belong to no collected test: what syrupy calls unused.

    A snapshot test's file is ``__snapshots__/<module>/<test name>.svg`` beside its module. Only
    the folders of collected modules are checked, and those of modules that no longer exist.
    """
    owned: set[Path] = set()
    modules: set[Path] = set()
    for item in items:
        if "snap_compare" in getattr(item, "fixturenames", ()):
            modules.add(item.path)
            owned.add(item.path.parent / "__snapshots__" / item.path.stem / f"{item.name}.svg")
    unused: set[str] = set()
    for snapshots in {module.parent / "__snapshots__" for module in modules}:
        for folder in snapshots.iterdir() if snapshots.is_dir() else ():
            module = snapshots.parent / f"{folder.name}.py"
            if module in modules or not module.exists():
                unused.update(str(path) for path in folder.glob("*.svg") if path not in owned)
    return unused


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker hands its finding to the controller; the controller fails the run on it unless
    unused snapshots are only to be warned about."""
    config = session.config
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[UNUSED_SNAPSHOTS] = sorted(config.stash.get(_unused_key, set()))
    elif config.stash.get(_unused_key, None) and _from_workers(config) and \
            not config.getoption("warn_unused_snapshots", False):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _from_workers(config: pytest.Config) -> bool:
    """Whether this is the xdist controller, whose tests ran in workers."""
    return bool(getattr(config, "workerinput", None) is None and config.pluginmanager.has_plugin("dsession"))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # type: ignore[no-untyped-def]
    """The controller collects each worker's unused snapshot files."""
    unused = getattr(node, "workeroutput", {}).get(UNUSED_SNAPSHOTS, [])
    node.config.stash.setdefault(_unused_key, set()).update(unused)


def pytest_terminal_summary(terminalreporter: TerminalReporter, config: pytest.Config) -> None:
    """On the controller, list the unused snapshot files as syrupy would."""
    unused = sorted(config.stash.get(_unused_key, set()))
    if not unused or not _from_workers(config):
        return
    terminalreporter.section("unused snapshots (xdist)")
    for path in unused:
        terminalreporter.line(f"  {Path(path).relative_to(config.rootpath)}")
    terminalreporter.line(f"{len(unused)} snapshot(s) unused. Delete them (or run "
                          "`uv run pytest -n 0 --snapshot-update`, which does).")


@pytest.fixture(autouse=True)
def cmgtui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, private cmgtui home for the test."""
    home = tmp_path / "cmgtui-home"
    monkeypatch.setenv("CMGTUI_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def no_build_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """The main screen builds no pane ahead unless a test asks for it: a test sees exactly the
    panes it visited, whatever the machine's load did to its timing."""
    monkeypatch.setattr("cmgtui.screens.main.MainScreen.BUILD_AHEAD_IDLE", None)


class VirtualRetryClock(retry.RetryClock):
    """A retry clock that records each wait and lets time pass without waiting.

    It still yields to the event loop once per wait, so other tasks run as they would.
    """

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture(autouse=True)
def retry_clock(monkeypatch: pytest.MonkeyPatch) -> VirtualRetryClock:
    """The clock every retry waits on during the test; ``.waits`` lists the waits asked for."""
    clock = VirtualRetryClock()
    monkeypatch.setattr(retry, "clock", clock)
    return clock


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox tenant per test session (per worker under xdist) on 127.0.0.1.

    Its CA lives in a session temp folder, never in a real data folder. Tests that use it reset
    it first (``sandbox.reset()``: the seeded tenant, no faults, an empty request log), so what
    one test changes never reaches the next.
    """
    server = SandboxServer(tmp_path_factory.mktemp("sandbox"), port=0).start()
    try:
        yield server
    finally:
        server.stop()
