"""Retry throttled and temporarily unavailable cloud calls, honouring Retry-After.

The SDKs' own retry policies are turned off in the gateways so that one policy, this one,
decides: 429 and 503 are retried (any call: the service did not perform it); a broken
connection is retried only for calls marked idempotent (reads), because a POST whose answer
was lost may have been performed — the operations journal reconciles those instead.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from cmgtui.cloud.errors import CloudError, map_exception

T = TypeVar("T")
#: A progress sink: each call is one line for the activity pane (never a secret or token).
LogFn = Callable[[str], None]
#: Waits the given seconds between two attempts.
SleepFn = Callable[[float], Awaitable[object]]


def quiet(_: str) -> None:
    """The default progress sink: discard the line."""


class RetryClock:
    """How the policy waits between attempts: real time, through ``asyncio.sleep``.

    The gateways call :func:`with_retry` without a ``sleep`` of their own, so the module's
    :data:`clock` decides. Tests install a virtual clock there to check that a Retry-After of
    seconds is honoured exactly, without spending those seconds.
    """

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of real time."""
        await asyncio.sleep(seconds)


#: The clock every retry waits on unless the caller passes ``sleep``.
clock = RetryClock()


async def wait(seconds: float) -> None:
    """Wait ``seconds`` on the module's :data:`clock` (the default of a session's ``sleep``)."""
    await clock.sleep(seconds)

DEFAULT_ATTEMPTS = 5
BASE_DELAY_S = 0.5
MAX_DELAY_S = 30.0


def backoff_delay(attempt: int, retry_after: float | None, *, base: float = BASE_DELAY_S,
                  cap: float = MAX_DELAY_S) -> float:
    """Seconds to wait before retry ``attempt`` (1-based): Retry-After if given, else
    exponential backoff with jitter; never more than ``cap``."""
    if retry_after is not None:
        return min(retry_after, cap)
    return min(cap, base * (2 ** (attempt - 1)) * (0.75 + random.random() / 2))


async def with_retry(
    call: Callable[[], Awaitable[T]],
    *,
    action: str,
    idempotent: bool = True,
    attempts: int = DEFAULT_ATTEMPTS,
    needed_role: str = "",
    log: LogFn | None = None,
    sleep: SleepFn | None = None,
    on_unauthorized: Callable[[], None] | None = None,
    retry_if: Callable[[CloudError], bool] | None = None,
    delays: Callable[[int], float] | None = None,
) -> T:
    """Run ``call`` until it succeeds, a non-retryable error occurs, or attempts run out.

    Every failure leaves as a :class:`CloudError` (``action`` names the operation in it).
    ``sleep`` waits between attempts; without it the module's :data:`clock` does.
    A 401 calls ``on_unauthorized`` (the gateways drop cached tokens) and tries once more, so a
    token revoked before its expiry is replaced silently when the credential can do so.
    ``retry_if`` marks more errors as worth repeating (Graph replication lag after a create);
    their waits come from ``delays(attempt)`` when given.
    """
    refreshed = False
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - mapped below, never shown raw
            error = map_exception(exc, action, needed_role=needed_role)
            if error.kind == "sign_in_expired" and error.status == 401 and on_unauthorized is not None \
                    and not refreshed:
                refreshed = True
                on_unauthorized()
                if log is not None:
                    log(f"{action}: the token was refused; getting a new one")
                continue
            lagging = retry_if is not None and retry_if(error)
            retry = error.retryable or (idempotent and error.kind == "network") or lagging
            if not retry or attempt == attempts:
                raise error from None
            delay = delays(attempt) if lagging and delays is not None else backoff_delay(attempt, error.retry_after)
            if log is not None:
                reason = ("not replicated yet" if lagging else "throttled" if error.kind == "throttled"
                          else "connection failed" if error.kind == "network" else "service unavailable")
                log(f"{action}: {reason}; retrying in {delay:.1f} s "
                    f"(attempt {attempt + 1} of {attempts})")
            await (sleep if sleep is not None else clock.sleep)(delay)
    raise CloudError("unexpected", f"Could not {action}.", "Try again.")  # pragma: no cover
