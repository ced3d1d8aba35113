"""Error classification and the retry policy (no SDK involved: plain coroutines and statuses)."""

from __future__ import annotations

import pytest

from cmgtui.cloud.errors import CloudError, from_status, map_exception, parse_retry_after
from cmgtui.cloud.retry import backoff_delay, with_retry


@pytest.mark.parametrize("status, kind", [
    (401, "sign_in_expired"), (403, "forbidden"), (404, "not_found"), (409, "conflict"),
    (429, "throttled"), (500, "unexpected"), (503, "unexpected"),
])
def test_statuses_map_to_kinds_with_advice(status: int, kind: str) -> None:
    error = from_status(status, "Code", "detail text", action="list things", needed_role="Owner")
    assert error.kind == kind and error.status == status
    assert error.message.startswith("Could not list things") and error.what_to_do
    assert "\n" not in str(error)


def test_forbidden_names_the_missing_role() -> None:
    error = from_status(403, "AuthorizationFailed", "no", action="create", needed_role="the Owner role")
    assert "the Owner role" in error.what_to_do


def test_retryable_is_throttled_or_503() -> None:
    assert from_status(429, "", "", action="x").retryable
    assert from_status(503, "", "", action="x").retryable
    assert not from_status(500, "", "", action="x").retryable


def test_parse_retry_after() -> None:
    assert parse_retry_after("3") == 3.0 and parse_retry_after(" 0.5 ") == 0.5
    assert parse_retry_after(None) is None and parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None


def test_unknown_exceptions_become_unexpected_and_network_errors_network() -> None:
    assert map_exception(RuntimeError("boom"), "read").kind == "unexpected"
    assert map_exception(ConnectionResetError("reset"), "read").kind == "network"
    same = CloudError("conflict", "m", "w")
    assert map_exception(same) is same
    with pytest.raises(ValueError):
        CloudError("weird", "m", "w")


def test_backoff_honours_retry_after_and_caps() -> None:
    assert backoff_delay(1, 7.0) == 7.0
    assert backoff_delay(1, 100.0, cap=30.0) == 30.0
    assert 0.3 <= backoff_delay(1, None) <= 0.7
    assert backoff_delay(20, None) <= 30.0


class _Flaky:
    def __init__(self, errors: list[Exception]) -> None:
        self.errors = errors
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


async def test_with_retry_waits_retry_after_then_succeeds() -> None:
    waits: list[float] = []
    lines: list[str] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    flaky = _Flaky([from_status(429, "", "", action="x", retry_after=2.0),
                    from_status(503, "", "", action="x", retry_after=1.0)])
    assert await with_retry(flaky, action="read", sleep=sleep, log=lines.append) == "ok"
    assert waits == [2.0, 1.0] and flaky.calls == 3
    assert "throttled" in lines[0] and "service unavailable" in lines[1]


async def test_with_retry_does_not_repeat_non_idempotent_calls_after_a_network_error() -> None:
    async def sleep(seconds: float) -> None:
        raise AssertionError("must not wait")

    flaky = _Flaky([ConnectionResetError("reset")])
    with pytest.raises(CloudError) as info:
        await with_retry(flaky, action="create", idempotent=False, sleep=sleep)
    assert info.value.kind == "network" and flaky.calls == 1


async def test_with_retry_gives_up_after_the_attempts() -> None:
    async def sleep(seconds: float) -> None:
        return None

    flaky = _Flaky([from_status(429, "", "", action="x", retry_after=0.0) for _ in range(5)])
    with pytest.raises(CloudError) as info:
        await with_retry(flaky, action="read", attempts=3, sleep=sleep)
    assert info.value.kind == "throttled" and flaky.calls == 3


async def test_with_retry_refreshes_once_on_401() -> None:
    cleared: list[bool] = []
    flaky = _Flaky([from_status(401, "", "", action="x"), from_status(401, "", "", action="x")])
    with pytest.raises(CloudError) as info:
        await with_retry(flaky, action="read", on_unauthorized=lambda: cleared.append(True))
    assert info.value.kind == "sign_in_expired" and cleared == [True] and flaky.calls == 2


async def test_the_default_clock_waits_real_time() -> None:
    """Production waits on :class:`RetryClock`, which really sleeps (tests use a virtual one)."""
    import time

    from cmgtui.cloud.retry import RetryClock

    started = time.monotonic()
    await RetryClock().sleep(0.05)
    assert time.monotonic() - started >= 0.05


async def test_gateway_retries_wait_on_the_module_clock(retry_clock) -> None:  # type: ignore[no-untyped-def]
    flaky = _Flaky([from_status(429, "", "", action="x", retry_after=3.0)])
    assert await with_retry(flaky, action="read") == "ok"
    assert retry_clock.waits == [3.0]
