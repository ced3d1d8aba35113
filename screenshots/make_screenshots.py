"""Regenerate the README screenshots from the snapshot tests.

The snapshot tests already render every main screen in a fixed, believable state at 80x24
and 120x40; this script refreshes those snapshots and copies the ones the README shows here
under readable names, so the pictures and the tested screens can never drift apart.

Run from the project root: ``uv run python screenshots/make_screenshots.py`` (add
``--no-refresh`` to copy the snapshots as they are, without re-running the tests).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "tests" / "snapshots" / "__snapshots__"
OUT = ROOT / "screenshots"

#: snapshot file (relative to the snapshots folder) -> screenshot name
PICKS = {
    "test_shell_snapshots/test_profile_picker[80x24].svg": "picker-80x24.svg",
    "test_shell_snapshots/test_checklist[80x24].svg": "checklist-80x24.svg",
    "test_shell_snapshots/test_checklist[120x40].svg": "checklist-120x40.svg",
    "test_shell_snapshots/test_glossary[80x24].svg": "glossary-80x24.svg",
    "test_shell_snapshots/test_glossary[120x40].svg": "glossary-120x40.svg",
    "test_part1_snapshots/test_part1_lint_report[120x40].svg": "part1-certificate-lint-120x40.svg",
    "test_part1_snapshots/test_part1_lint_report[80x24].svg": "part1-certificate-lint-80x24.svg",
    "test_part2_snapshots/test_imported_and_verified_values[80x24].svg": "part2-entra-values-80x24.svg",
    "test_part4_snapshots/test_gateway_initial[80x24].svg": "part4-gateway-80x24.svg",
    "test_part5_snapshots/test_part5_command_lines[80x24].svg": "part5-command-lines-80x24.svg",
    "test_part2_snapshots/test_imported_and_verified_report[120x40].svg": "part2-entra-verified-120x40.svg",
    "test_part3_snapshots/test_part3_recommendation[120x40].svg": "part3-client-auth-120x40.svg",
    "test_part4_snapshots/test_gateway_after_offline_preflight[120x40].svg": "part4-preflight-120x40.svg",
    "test_part5_snapshots/test_part5_command_lines[120x40].svg": "part5-command-lines-120x40.svg",
}


def main() -> int:
    """Refresh the snapshots, then copy the chosen ones; returns the exit code."""
    if "--no-refresh" not in sys.argv:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/snapshots", "-q", "--snapshot-update"], cwd=ROOT
        )
        if done.returncode != 0:
            print("Snapshot tests failed; screenshots not updated.", file=sys.stderr)
            return done.returncode
    for source, target in PICKS.items():
        path = SNAPSHOTS / source
        if not path.exists():
            print(f"missing snapshot {source}", file=sys.stderr)
            return 1
        shutil.copyfile(path, OUT / target)
        print(f"screenshots/{target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
