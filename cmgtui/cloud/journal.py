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


QUARANTINED = "quarantined"


@dataclass(frozen=True, slots=True)
class JournalDamage:
    """Lines of the journal that were not entries: why, how many, and where the file's copy is."""

    reason: str
    lines: int
    copy: str

    @property
    def message(self) -> str:
        """What a resume could not know, in plain words."""
        return (f"The operations journal had {self.lines} damaged line(s) ({self.reason}); the file was "
                f"quarantined (copy: {self.copy or 'none'}) and only its readable lines are used. What the "
                "damaged lines recorded is not known: a step they recorded may already have happened (a "
                "resume finds what exists before it creates), and a client secret whose saving they "
                "recorded may be removed and replaced. Verify the apps afterwards.")


def _parse_line(line: bytes) -> tuple[JournalEntry | None, str]:
    """One line as an entry, or None and why it is not one."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    try:
        item = json.loads(text)
    except ValueError:
        return None, "not JSON"
    if not isinstance(item, dict):
        return None, "not a JSON object"
    for key in ("at", "op", "event"):
        if not isinstance(item.get(key), str):
            return None, f"'{key}' is missing or not text"
    step, data = item.get("step", ""), item.get("data", {})
    if not isinstance(step, str):
        return None, "'step' is not text"
    if not isinstance(data, dict):
        return None, "'data' is not an object"
    inputs = data.get("inputs", {})
    if item["event"] == "begin" and not isinstance(inputs, dict):
        return None, "'inputs' is not an object"
    if item["event"] == "intent" and not isinstance(data.get("existing_key_ids", []), list):
        return None, "'existing_key_ids' is not a list"
    return JournalEntry(item["at"], item["op"], item["event"], step, data), ""


class OperationsJournal:
    """Append-only JSONL journal at ``path`` (0600 file in a 0700 folder, fsync per line).

    Reading validates every line; ``damage`` says what a damaged file lost (None when whole),
    ``quarantined_now`` that this read found the damage and put the file's copy aside.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.damage: JournalDamage | None = None
        self.quarantined_now = False

    @staticmethod
    def new_op_id() -> str:
        """A fresh operation ID."""
        return uuid.uuid4().hex[:12]

    def append(self, op: str, event: str, step: str = "", data: dict[str, Any] | None = None) -> None:
        """Write one entry and fsync it before returning."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        line = json.dumps({"at": datetime.now(UTC).isoformat(), "op": op, "event": event,
                           "step": step, "data": data or {}}, sort_keys=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            size = os.fstat(fd).st_size
            # a line torn by a crash stays a line of its own (reported when read), never glued to this one
            start = "\n" if size and os.pread(fd, 1, size - 1) != b"\n" else ""
            data = (start + line + "\n").encode("utf-8")
            while data:
                data = data[os.write(fd, data):]
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
        """Every valid entry in order. A torn last line (crash mid-write) is skipped; any other line
        that is not a journal entry quarantines the file (see :meth:`_quarantine`)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        out: list[JournalEntry] = []
        bad: list[str] = []
        lines = raw.split(b"\n")
        torn = lines.pop() if lines else b""  # text after the last newline: a line cut by a crash
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            entry, problem = _parse_line(line)
            if entry is not None:
                out.append(entry)
            else:
                bad.append(f"line {number}: {problem}")
        if torn.strip() and (last := _parse_line(torn)[0]) is not None:
            out.append(last)
        if bad:
            self._quarantine(out, bad)
            self.quarantined_now = True
        for entry in out:
            if entry.event == QUARANTINED and self.damage is None:
                self.damage = JournalDamage(str(entry.data.get("reason", "")), int(entry.data.get("lines", 0)),
                                            str(entry.data.get("copy", "")))
        return out

    def _quarantine(self, good: list[JournalEntry], bad: list[str]) -> None:
        """Copy the damaged file aside (once per content), then keep only its valid entries and
        one ``quarantined`` line saying why and where the copy is, so that every later reader
        (a resume in the TUI or the CLI) can say what the journal could not tell."""
        from cmgtui.private_files import write_atomic
        from cmgtui.quarantine import copy_aside

        reason = "; ".join(bad[:3]) + (f"; and {len(bad) - 3} more" if len(bad) > 3 else "")
        try:
            copy = str(copy_aside(self.path, "damaged") or "")
        except OSError as exc:
            copy = f"not copied ({exc.strerror or exc})"
        marker = JournalEntry(datetime.now(UTC).isoformat(), "", QUARANTINED,
                              data={"reason": reason, "lines": len(bad), "copy": copy})
        good.append(marker)
        text = "".join(json.dumps({"at": e.at, "op": e.op, "event": e.event, "step": e.step, "data": e.data},
                                  sort_keys=True) + "\n" for e in good)
        try:
            write_atomic(self.path, text.encode("utf-8"))
        except OSError:
            pass  # reported all the same; the next read tries again

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
