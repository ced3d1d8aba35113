"""``cmgtui logs triage PATH... [--profile NAME] [--format text|json]``: find known CMG problems in logs.

Exit codes: 0 nothing of severity fail was found; 1 at least one fail finding; 2 no input
could be read (or the named profile can't be loaded). Inputs that can't be read are listed on
stderr; the others are still triaged. The domain is imported inside the handler.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from cmgtui.commands.common import CommandError, json_document, load_named_profile, profile_name_from

if TYPE_CHECKING:
    from cmgtui.domain.logs import TriageResult


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``logs`` with its ``triage`` subcommand."""
    parser = subparsers.add_parser("logs", help="triage Configuration Manager CMG logs",
                                   description="Work with Configuration Manager logs copied to this machine.")
    sub = parser.add_subparsers(dest="logs_command", metavar="ACTION", required=True)
    triage = sub.add_parser(
        "triage",
        help="find known CMG problems in log files, folders or zip files",
        description="Read CMTrace and server-format logs (also rotated .lo_ files, UTF-16, folders and zip "
        "files) and list the known CMG problems they show, in the order they happened, with fixes that "
        "name the profile's values. Exit 0: no fail finding; 1: a fail finding; 2: no input could be read.",
    )
    triage.add_argument("paths", nargs="+", metavar="PATH", help="a log file, a Logs folder, or a zip of it")
    triage.add_argument("--profile", dest="command_profile", metavar="NAME",
                        help="fill fixes from this profile (service name, subscription, app IDs)")
    triage.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    triage.set_defaults(handler=run)


def render_text(result: TriageResult) -> str:
    """The human-readable report: inputs, then findings in the order they happened."""
    out: list[str] = []
    for item in result.inputs:
        window = ""
        if item.first_time is not None and item.last_time is not None:
            window = (f", {item.first_time:%Y-%m-%d %H:%M:%S} to {item.last_time:%Y-%m-%d %H:%M:%S} UTC")
        out.append(f"read {item.path} ({item.format.value}, {item.entries} entries{window})")
    timeline = result.health.lines()
    if timeline:
        out.append("")
        out.append("Health timeline (UTC):")
        out.extend(f"  {line}" for line in timeline)
    if not result.findings:
        out.append("No known CMG problem found.")
    for finding in result.findings:
        entry = finding.entry
        when = finding.time.strftime("%Y-%m-%d %H:%M:%S UTC") if finding.time else "time unknown"
        sig = finding.signature
        out.append("")
        out.append(f"{sig.severity.value.upper():4}  {sig.id}  {sig.title}")
        out.append(f"      {entry.file}:{entry.line}  {when}" + (f"  [{entry.component}]" if entry.component else ""))
        first = entry.message.splitlines()[0] if entry.message else ""
        out.append(f"      > {first[:300]}")
        out.append(f"      Meaning: {sig.meaning}")
        out.append(f"      Fix: {finding.fix}")
        out.append(f"      Source: {sig.source} (shows: {sig.evidence.value})")
    for sig_id, count in sorted(result.suppressed.items()):
        out.append(f"({count} more entries match {sig_id}; only the first ones are listed)")
    summary = result.summary
    out.append("")
    out.append(f"{summary['fail']} fail, {summary['warn']} warn, {summary['info']} info")
    return "\n".join(out) + "\n"


def _control(text: str) -> None:
    """Write the bar's own carriage return and erase to stderr; stderr shows any other control
    character as a visible one (cli._QuietWhenReaderGone), which would print the bar line by line."""
    getattr(sys.stderr, "write_control", sys.stderr.write)(text)


class _Bar:
    """A one-line progress bar with MB/s and time left, redrawn on stderr at most ten times a second."""

    WIDTH = 24

    def __init__(self) -> None:
        from cmgtui.domain.logs.progress import Throughput

        self.meter = Throughput()
        self.drawn = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.drawn < 0.1 and done < total:
            return
        self.drawn = now
        filled = self.WIDTH * min(done, total) // max(total, 1)
        _control(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.meter.line(done, total)}\x1b[K")
        sys.stderr.flush()

    def clear(self) -> None:
        _control("\r\x1b[K")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Handler of ``cmgtui logs triage``."""
    from cmgtui.domain.display_text import visible
    from cmgtui.domain.logs import facts_from
    from cmgtui.services.triage import cut_lines_notes, triage

    facts = None
    if profile_name_from(args):
        try:
            facts = facts_from(load_named_profile(args))
        except CommandError as exc:
            print(f"cmgtui: {exc}", file=sys.stderr)
            return 2
    bar = _Bar() if sys.stderr.isatty() else None
    try:
        result = triage(args.paths, facts, progress=bar)
    finally:
        if bar is not None:
            bar.clear()
    for error in result.errors:
        print(f"cmgtui: {error}", file=sys.stderr)
    for note in cut_lines_notes(result):
        print(f"cmgtui: {note}", file=sys.stderr)
    if not result.inputs:
        print("cmgtui: no input could be read; pass log files, a Logs folder or a zip of it.", file=sys.stderr)
        return 2
    if args.format == "json":
        sys.stdout.write(json_document(result.to_json()) + "\n")
    else:
        sys.stdout.write(visible(render_text(result), keep_lines=True))
    return 1 if result.has_fail else 0
