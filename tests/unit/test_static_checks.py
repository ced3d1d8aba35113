"""The linter and the type checker pass, so the README's test command checks them as CI runs it.

ruff with the rules in ``[tool.ruff.lint]``; mypy with ``[tool.mypy]``: strict on the layers that
hold logic over plain values (domain, model, services) and the file layer beneath them. Each runs
as its own process, as a developer would run it, with the settings in pyproject.toml.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``tool`` (from this environment) in the project root."""
    executable = shutil.which(tool, path=str(Path(sys.executable).parent))
    assert executable, f"{tool} is not installed in the test environment (uv sync installs the dev group)"
    return subprocess.run([executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "--no-cache", "cmgtui", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing(tmp_path: Path) -> None:
    result = _run("mypy", "--cache-dir", str(tmp_path / "mypy-cache"))
    assert result.returncode == 0, result.stdout + result.stderr
