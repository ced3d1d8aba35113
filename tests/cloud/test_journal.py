"""The operations journal: append-only JSONL, owner-only, torn lines skipped, pending operations."""

from __future__ import annotations

import json
import stat

from cmgtui import paths
from cmgtui.cloud.journal import OperationsJournal


def test_journal_lives_at_the_profile_path_with_owner_only_mode(sandbox) -> None:
    journal = OperationsJournal(paths.operations_journal("lab one"))
    op = journal.begin("create_apps", {"server_name": "CMG-ServerApp"})
    journal.intent(op, "server_app", {"name": "CMG-ServerApp"})
    assert journal.path == paths.profiles_dir() / "lab one.journal.jsonl"
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    lines = [json.loads(line) for line in journal.path.read_text().splitlines()]
    assert [(e["event"], e["step"]) for e in lines] == [("begin", ""), ("intent", "server_app")]
    assert lines[0]["data"]["inputs"] == {"server_name": "CMG-ServerApp"}
    journal.path.unlink()


def test_pending_lists_open_steps_and_done_outcomes(tmp_path) -> None:
    journal = OperationsJournal(tmp_path / "j.jsonl")
    finished = journal.begin("create_apps", {})
    journal.intent(finished, "a")
    journal.done(finished, "a", {"id": "1"})
    journal.end(finished, "completed")
    open_op = journal.begin("create_apps", {"x": 1})
    journal.intent(open_op, "a")
    journal.done(open_op, "a", {"id": "2"})
    journal.intent(open_op, "b")
    failed = journal.begin("create_apps", {})
    journal.intent(failed, "a")
    journal.failed(failed, "a", "denied")
    journal.end(failed, "failed")
    pending = {p.op: p for p in journal.pending()}
    assert set(pending) == {open_op, failed}
    assert pending[open_op].open_steps == ("b",) and pending[open_op].done_steps == {"a": {"id": "2"}}
    assert pending[open_op].inputs == {"x": 1}
    assert pending[failed].open_steps == ("a",)
    journal.done(failed, "a", {})
    journal.end(failed, "completed")
    assert [p.op for p in journal.pending()] == [open_op]


def test_a_torn_line_never_swallows_the_next_entry(tmp_path) -> None:
    journal = OperationsJournal(tmp_path / "j.jsonl")
    op = journal.begin("create_apps", {})
    with journal.path.open("a") as handle:
        handle.write('{"at": "2026-01-01", "op": "')  # a crash mid-write: no newline
    journal.intent(op, "a")
    # The torn line is a line of its own: reported once, its file copied aside, then gone.
    assert [e.event for e in journal.entries()] == ["begin", "intent", "quarantined"]
    assert journal.quarantined_now and journal.damage is not None and "line 2: not JSON" in journal.damage.reason
    again = OperationsJournal(journal.path)
    assert again.pending()[0].open_steps == ("a",) and not again.quarantined_now


def test_missing_journal_is_empty(tmp_path) -> None:
    journal = OperationsJournal(tmp_path / "none.jsonl")
    assert journal.entries() == [] and journal.pending() == []
