"""Fault injection for the sandbox tenant: latency, throttling, server errors, dropped sockets.

A :class:`FaultPlan` is consulted once per request. Tests change it through
``SandboxServer.faults``; ``cmgtui sandbox serve`` takes the same settings as flags; and the
``CMGTUI_SANDBOX_FAULTS`` environment variable holds them as comma-separated ``key=value``
pairs::

    CMGTUI_SANDBOX_FAULTS="latency=200,throttle=3,retry-after=1,errors=2,error-status=503,
                           match=/providers/,drop=POST /v1.0/applications,drop-when=after,drop-skip=1"

Keys:
  latency       milliseconds added to every request
  throttle      answer the next N matching requests with 429 and a Retry-After header
  retry-after   seconds put in that Retry-After header (default 1)
  errors        answer the next N matching requests with error-status
  error-status  status used for ``errors`` (default 500; 503 is retried by clients)
  match         only requests whose path contains this text count for throttle/errors
  drop          ``METHOD PATH``: close the connection of the next such request; the path is
                exact unless it ends with ``*`` (then any path starting with the rest)
  drop-when     ``before`` (request never processed) or ``after`` (processed, answer lost;
                the default, the case that tests idempotency)
  drop-skip     let this many matching requests through before dropping one
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

ENV_VAR = "CMGTUI_SANDBOX_FAULTS"


class FaultSyntaxError(ValueError):
    """A fault specification that cannot be parsed; the message says which part."""


@dataclass(slots=True)
class Decision:
    """What the server must do with one request."""

    latency_s: float = 0.0
    status: int | None = None
    retry_after: int | None = None
    drop_before: bool = False
    drop_after: bool = False


@dataclass
class FaultPlan:
    """Faults to inject; counters count down as requests consume them. Thread-safe."""

    latency_ms: int = 0
    throttle: int = 0
    retry_after: int = 1
    errors: int = 0
    error_status: int = 500
    match: str = ""
    drop: str = ""
    drop_when: str = "after"
    drop_skip: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def decide(self, method: str, path: str) -> Decision:
        """Consume the faults that apply to ``method path`` and say what to do."""
        with self._lock:
            decision = Decision(latency_s=self.latency_ms / 1000.0)
            if self.drop and self._drop_matches(method, path):
                if self.drop_skip > 0:
                    self.drop_skip -= 1
                else:
                    self.drop = ""
                    if self.drop_when == "before":
                        decision.drop_before = True
                    else:
                        decision.drop_after = True
                    return decision
            if self.match and self.match not in path:
                return decision
            if self.throttle > 0:
                self.throttle -= 1
                decision.status = 429
                decision.retry_after = self.retry_after
            elif self.errors > 0:
                self.errors -= 1
                decision.status = self.error_status
            return decision

    def _drop_matches(self, method: str, path: str) -> bool:
        want_method, _, want_path = self.drop.partition(" ")
        if not want_path:
            want_method, want_path = "", want_method
        if want_path.endswith("*"):
            path_ok = path.startswith(want_path[:-1])
        else:
            path_ok = path == want_path.rstrip("/")
        return (not want_method or want_method.upper() == method) and path_ok

    def update(self, **settings: object) -> None:
        """Replace some settings at once (as a test or the CLI would); FaultSyntaxError names a bad one."""
        with self._lock:
            for key in settings:
                if key.startswith("_") or key not in _SETTING_NAMES:
                    raise FaultSyntaxError(f"Unknown fault setting '{key}'.")
            check_settings({key: getattr(self, key) for key in _SETTING_NAMES} | settings)
            for key, value in settings.items():
                setattr(self, key, value)

    def validate(self) -> FaultPlan:
        """Check every setting (after flags were applied); FaultSyntaxError names the bad one."""
        check_settings({key: getattr(self, key) for key in _SETTING_NAMES})
        return self

    def clear(self) -> None:
        """Remove every fault."""
        self.update(latency_ms=0, throttle=0, errors=0, match="", drop="", drop_skip=0)


_INT_KEYS = {
    "latency": "latency_ms",
    "throttle": "throttle",
    "retry-after": "retry_after",
    "errors": "errors",
    "error-status": "error_status",
    "drop-skip": "drop_skip",
}
_TEXT_KEYS = {"match": "match", "drop": "drop", "drop-when": "drop_when"}
_SETTING_NAMES = {*_INT_KEYS.values(), *_TEXT_KEYS.values()}
_KEY_OF = {attribute: key for key, attribute in (_INT_KEYS | _TEXT_KEYS).items()}
_INT_RANGES = {
    "latency_ms": (0, 60_000, "milliseconds (at most a minute)"),
    "throttle": (0, 1_000_000, "requests"),
    "retry_after": (0, 300, "seconds (at most five minutes)"),
    "errors": (0, 1_000_000, "requests"),
    "error_status": (400, 599, "an HTTP error status"),
    "drop_skip": (0, 1_000_000, "requests"),
}
_MAX_TEXT = 200


def check_settings(settings: dict[str, object]) -> None:
    """Refuse any setting outside what the sandbox can honour; the message names the key.

    Ranges keep every setting finite: a latency or Retry-After without a bound would make
    a rehearsal hang rather than show how the app copes with a slow or throttled service.
    """
    for attribute, (low, high, unit) in _INT_RANGES.items():
        value = settings[attribute]
        key = _KEY_OF[attribute]
        if isinstance(value, bool) or not isinstance(value, int):
            raise FaultSyntaxError(f"Fault '{key}' needs a whole number, not {value!r}.")
        if not low <= value <= high:
            raise FaultSyntaxError(f"Fault '{key}' must be {low}-{high} ({unit}), not {value}.")
    for attribute in ("match", "drop", "drop_when"):
        value = settings[attribute]
        key = _KEY_OF[attribute]
        if not isinstance(value, str):
            raise FaultSyntaxError(f"Fault '{key}' needs text, not {value!r}.")
        if len(value) > _MAX_TEXT or not value.isprintable():
            raise FaultSyntaxError(f"Fault '{key}' must be printable text of at most {_MAX_TEXT} characters.")
    if settings["drop_when"] not in ("before", "after"):
        raise FaultSyntaxError(f"Fault 'drop-when' must be 'before' or 'after', not {settings['drop_when']!r}.")
    drop = str(settings["drop"])
    if drop:
        method, _, path = drop.partition(" ") if " " in drop else ("", "", drop)
        if not path.startswith("/") or " " in path or (method and not method.isalpha()):
            raise FaultSyntaxError(
                f"Fault 'drop' must be 'METHOD /path' or '/path' (a trailing * matches a prefix), not {drop!r}."
            )


def parse_faults(spec: str) -> FaultPlan:
    """Build a FaultPlan from the ``key=value,...`` syntax documented above."""
    plan = FaultPlan()
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep:
            raise FaultSyntaxError(f"Fault '{part}' needs key=value, e.g. latency=200.")
        if key in _INT_KEYS:
            if not (value.isascii() and value.lstrip("-").isdigit()) or len(value) > 12:
                raise FaultSyntaxError(f"Fault '{key}' needs a whole number, not {value[:40]!r}.")
            number = int(value)
            if number < 0:
                raise FaultSyntaxError(f"Fault '{key}' cannot be negative.")
            setattr(plan, _INT_KEYS[key], number)
        elif key in _TEXT_KEYS:
            setattr(plan, _TEXT_KEYS[key], value)
        else:
            known = ", ".join(sorted([*_INT_KEYS, *_TEXT_KEYS]))
            raise FaultSyntaxError(f"Unknown fault {key[:40]!r}; use one of: {known}.")
    return plan.validate()


def faults_from_environment() -> FaultPlan:
    """The plan in ``CMGTUI_SANDBOX_FAULTS`` (no faults when unset); FaultSyntaxError if bad."""
    return parse_faults(os.environ.get(ENV_VAR, ""))
