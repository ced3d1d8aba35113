"""Part 4's pre-flight, its fixes and the subscription list: what the pane and ``cmgtui check`` run.

:func:`run_preflight` gathers the cloud evidence for a profile concurrently
(:func:`cmgtui.cloud.preflight.gather`); a check that could not run is kept as its error record,
so a failed re-run never leaves an older success standing. :func:`apply_fixes` registers the
unregistered resource providers and creates the new resource group, then gathers every cloud
check again (a name check that waited for its provider runs now). :func:`record_preflight` is
the one way their evidence enters a profile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.evidence import gathered_evidence, subscriptions_evidence
from cmgtui.cloud.preflight import CHECKS, choose_subscription, gather
from cmgtui.cloud.retry import LogFn, quiet
from cmgtui.services.evidence import record_evidence

if TYPE_CHECKING:
    from cmgtui.cloud.credentials import CloudSession
    from cmgtui.cloud.models import ProviderState
    from cmgtui.domain.rules.part4 import Fixes
    from cmgtui.model import Evidence, Profile


@dataclass(frozen=True, slots=True)
class CheckFailure:
    """A cloud check that could not run (``check`` is its key, e.g. ``providers``) and why."""

    check: str
    error: CloudError


@dataclass(frozen=True, slots=True)
class PreflightResult:
    """What a pre-flight read: the evidence to record (failed checks as error records), the
    subscription it is about, the checks that failed and those skipped for want of input."""

    subscription_id: str
    evidence: tuple[Evidence, ...]
    failures: tuple[CheckFailure, ...]
    skipped: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FixResult:
    """What the fixes did (providers registered, group created) and the pre-flight run after them."""

    registered: tuple[str, ...]
    still_registering: tuple[str, ...]
    created_group: str
    preflight: PreflightResult


async def run_preflight(session: CloudSession, profile: Profile, *, only: tuple[str, ...] = CHECKS,
                        log: LogFn = quiet) -> PreflightResult:
    """Run the cloud checks ``only`` (all by default) for ``profile`` concurrently."""
    found = await gather(session, profile, only=only, log=log)
    return PreflightResult(found.subscription_id, tuple(gathered_evidence(found.evidence, found.errors)),
                           tuple(CheckFailure(key, error) for key, error in found.errors), tuple(found.skipped))


async def apply_fixes(session: CloudSession, profile: Profile, subscription_id: str, fixes: Fixes, *,
                      checks: tuple[str, ...] = CHECKS, log: LogFn = quiet,
                      progress: Callable[[ProviderState], None] | None = None) -> FixResult:
    """Register ``fixes.providers`` and create ``fixes.create_group`` in ``subscription_id`` (the
    first enabled one when empty), then run the pre-flight's ``checks`` again."""
    from cmgtui.cloud.arm import ArmGateway

    target = await choose_subscription(session, subscription_id, log)
    interval = 0.1 if session.sandbox else 3.0
    registered: list[str] = []
    waiting: list[str] = []
    async with ArmGateway(session) as arm:
        for namespace in fixes.providers:
            final = await arm.register_provider(target, namespace, poll_interval=interval, log=log,
                                                progress=progress)
            if final.registered:
                registered.append(namespace)
            else:
                waiting.append(namespace)
                log(f"{namespace} is still {final.state}; run the pre-flight again later")
        if fixes.create_group:
            await arm.create_resource_group(target, fixes.create_group, fixes.region, log=log)
    after = await run_preflight(session, profile, only=checks, log=log)
    return FixResult(tuple(registered), tuple(waiting), fixes.create_group, after)


async def load_subscriptions(session: CloudSession, *, log: LogFn = quiet) -> Evidence:
    """The subscriptions the signed-in account sees, as the evidence the subscription picker reads."""
    from cmgtui.cloud.arm import ArmGateway

    async with ArmGateway(session) as arm:
        found = await arm.list_subscriptions()
    log(f"{len(found)} subscription(s) visible")
    return subscriptions_evidence(found)


def record_preflight(profile: Profile, result: PreflightResult) -> None:
    """Store what a pre-flight read in ``profile``."""
    record_evidence(profile, result.evidence)


def record_fixes(profile: Profile, result: FixResult) -> None:
    """Store the pre-flight read after the fixes; a group created here is one to use, not create."""
    record_preflight(profile, result.preflight)
    if result.created_group:
        profile.gateway.use_existing_resource_group = True
