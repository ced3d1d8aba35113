"""The operations journal: an append-only JSONL record of every tenant change's intent and outcome.

Before a change is sent, an ``intent`` line is written (and fsynced); after the answer, a
``done`` or ``failed`` line. An operation starts with ``begin`` (its kind and the inputs it
needs to run again, never a secret) and ends with ``end``. If the process dies between two
lines, :meth:`OperationsJournal.pending` lists what never ended, and the caller's ``resume``
re-runs it: every step finds before it creates, so the rerun reconciles instead of duplicating.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One line of the journal."""

    at: str
    op: str
    event: str
    step: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PendingOperation:
    """An operation that began and never ended successfully, with its unfinished steps."""

    op: str
    kind: str
    inputs: dict[str, Any]
    open_steps: tuple[str, ...]
    done_steps: dict[str, dict[str, Any]]
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)


class OperationsJournal:
    """Append-only JSONL journal at ``path`` (0600 file in a 0700 folder, fsync per line)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @staticmethod
    def new_op_id() -> str:
        """A fresh operation ID."""
        return uuid.uuid4().hex[:12]

    def append(self, op: str, event: str, step: str = "", data: dict[str, Any] | None = None) -> None:
        """Write one entry and fsync it before returning."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        line = json.dumps({"at": datetime.now(UTC).isoformat(), "op": op, "event": event,
                           "step": step, "data": data or {}}, sort_keys=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def begin(self, kind: str, inputs: dict[str, Any], op: str | None = None) -> str:
        """Start an operation; returns its ID."""
        op = op or self.new_op_id()
        self.append(op, "begin", data={"kind": kind, "inputs": inputs})
        return op

    def intent(self, op: str, step: str, data: dict[str, Any] | None = None) -> None:
        """About to perform ``step``."""
        self.append(op, "intent", step, data)

    def done(self, op: str, step: str, data: dict[str, Any] | None = None) -> None:
        """``step`` succeeded (``data`` holds the IDs it produced or found)."""
        self.append(op, "done", step, data)

    def failed(self, op: str, step: str, message: str) -> None:
        """``step`` failed with the one-line ``message``."""
        self.append(op, "failed", step, {"message": message})

    def end(self, op: str, status: str, data: dict[str, Any] | None = None) -> None:
        """Finish the operation: ``completed`` or ``failed``."""
        self.append(op, "end", data=dict(data or {}, status=status))

    def entries(self) -> list[JournalEntry]:
        """Every readable entry in order; a torn last line (crash mid-write) is skipped."""
        if not self.path.exists():
            return []
        out = []
        for raw in self.path.read_text(encoding="utf-8").splitlines():
            try:
                item = json.loads(raw)
                out.append(JournalEntry(item["at"], item["op"], item["event"], item.get("step", ""),
                                        item.get("data") or {}))
            except (ValueError, KeyError, TypeError):
                continue
        return out

    def step_outcomes(self, step: str) -> list[dict[str, Any]]:
        """The data of every ``done`` line of ``step``, oldest first (all operations)."""
        return [e.data for e in self.entries() if e.event == "done" and e.step == step]

    def pending(self) -> list[PendingOperation]:
        """Operations whose last ``end`` is missing or not ``completed``, oldest first."""
        ops: dict[str, dict[str, Any]] = {}
        for entry in self.entries():
            if entry.event == "begin":
                ops[entry.op] = {"kind": entry.data.get("kind", ""), "inputs":
                                 entry.data.get("inputs", {}), "open": [], "done": {}, "ended": False,
                                 "intents": {}}
                continue
            op = ops.get(entry.op)
            if op is None:
                continue
            if entry.event == "intent":
                op["intents"][entry.step] = entry.data
                if entry.step not in op["open"]:
                    op["open"].append(entry.step)
            elif entry.event == "done":
                op["done"][entry.step] = entry.data
                if entry.step in op["open"]:
                    op["open"].remove(entry.step)
            elif entry.event == "end":
                op["ended"] = entry.data.get("status") == "completed"
        return [PendingOperation(op_id, o["kind"], o["inputs"], tuple(o["open"]), o["done"], o["intents"])
                for op_id, o in ops.items() if not o["ended"]]
