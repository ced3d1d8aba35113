"""The linter and the type checker pass, so the README's test command checks them as CI runs it.

ruff with the rules in ``[tool.ruff.lint]``; mypy with ``[tool.mypy]``: strict on the layers that
hold logic over plain values (domain, model, services) and the file layer beneath them. Each runs
as its own process, as a developer would run it, with the settings in pyproject.toml.

mypy keeps its incremental cache where a developer's run keeps it (``.mypy_cache`` in the project),
so a run after the first checks again only the modules that changed and those that depend on them.
mypy's cache is not safe for two runs at once (python/mypy pull request #20205: with several runs
at once, one can read a data file another is rewriting), so two suites side by side take turns
through a lock file in that folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from filelock import FileLock

ROOT = Path(__file__).resolve().parents[2]


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``tool`` (from this environment) in the project root."""
    executable = shutil.which(tool, path=str(Path(sys.executable).parent))
    assert executable, f"{tool} is not installed in the test environment (uv sync installs the dev group)"
    return subprocess.run([executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "--no-cache", "cmgtui", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    cache = ROOT / ".mypy_cache"
    cache.mkdir(exist_ok=True)
    with FileLock(cache / "suite.lock", timeout=900):  # the other run checks from cold at worst
        result = _run("mypy", "--cache-dir", str(cache))
    assert result.returncode == 0, result.stdout + result.stderr
