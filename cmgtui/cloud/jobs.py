"""The shapes of a cloud job, as the UI hands them to the cloud bridge.

A job is an async function that receives the signed-in session (or nothing, for probes that
need no sign-in) and a progress sink, and returns its result. It never touches the profile:
the UI applies the result once the job has finished (ARCHITECTURE §4).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from cmgtui.cloud.retry import LogFn

if TYPE_CHECKING:
    from cmgtui.cloud.credentials import CloudSession

T = TypeVar("T")

#: A job that needs a signed-in session.
CloudJob = Callable[["CloudSession", LogFn], Awaitable[T]]
#: A network job that needs no sign-in (reachability probes).
LocalJob = Callable[[LogFn], Awaitable[T]]

__all__ = ["CloudJob", "LocalJob", "LogFn"]
