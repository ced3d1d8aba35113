"""Snapshots run in UTC local time, and the host's zone is back for every test after them."""

from __future__ import annotations

import time

import pytest

from tests.snapshots.conftest import local_time_in_utc


@pytest.mark.parametrize("host_zone", ["America/New_York", None])
def test_utc_inside_the_block_and_the_host_zone_after(monkeypatch: pytest.MonkeyPatch,
                                                      host_zone: str | None) -> None:
    if host_zone is None:
        monkeypatch.delenv("TZ", raising=False)
    else:
        monkeypatch.setenv("TZ", host_zone)
    time.tzset()
    before = (time.tzname, time.timezone)
    with local_time_in_utc():
        assert time.timezone == 0 and time.localtime(0).tm_hour == 0
    assert (time.tzname, time.timezone) == before
    if host_zone is not None:
        assert time.localtime(0).tm_hour == 19  # 1970-01-01 00:00 UTC is 19:00 the day before in New York
    monkeypatch.undo()
    time.tzset()
