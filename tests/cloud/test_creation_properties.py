"""Property: app creation survives replication lag, faults and crashes, and never duplicates.

Hypothesis varies Graph's replication lag (1-5 requests), throttling, 503s, one lost answer on a
create, and a crash of the process after any journal line; the run is then resumed from the
journal (as Part 2 and ``cmgtui entra create`` do). Whatever happened, the tenant ends with
exactly one server app, one client app, their two service principals and one client secret,
and nothing is left pending. Objects are counted with ``sandbox show``'s summary.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmgtui.cloud.app_registration import AppSpec, create_apps, resume, unfinished
from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.graph import GraphGateway
from cmgtui.cloud.journal import OperationsJournal
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.show import tenant_summary


class Crash(BaseException):
    """The process dies (not an error the product handles)."""


class CrashingJournal(OperationsJournal):
    """A journal whose process dies right after writing its ``crash_after``-th line."""

    def __init__(self, path: Path, crash_after: int | None) -> None:
        super().__init__(path)
        self.left = crash_after

    def append(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().append(*args, **kwargs)
        if self.left is not None:
            self.left -= 1
            if self.left < 0:
                raise Crash()


DROPS = [None, "PATCH /v1.0/applications(uniqueName=*", "POST /v1.0/servicePrincipals",
         "POST /v1.0/applications/*", "POST /v1.0/oauth2PermissionGrants",
         "PATCH /v1.0/applications/*"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lag=st.integers(1, 5), throttle=st.integers(0, 3), errors=st.integers(0, 2),
       drop=st.sampled_from(DROPS), drop_skip=st.integers(0, 1),
       crash_after=st.one_of(st.none(), st.integers(0, 30)), discovery=st.booleans())
async def test_creation_ends_with_exactly_one_of_everything(sandbox: SandboxServer, graph: GraphGateway,
                                                            tmp_path: Path, lag: int, throttle: int,
                                                            errors: int, drop: str | None, drop_skip: int,
                                                            crash_after: int | None, discovery: bool) -> None:
    sandbox.reset()
    sandbox.state.scenario.behaviour.replication_reads = lag
    sandbox.faults.update(throttle=throttle, retry_after=0, errors=errors, error_status=503,
                          match="/v1.0/", drop=drop or "", drop_when="after", drop_skip=drop_skip)
    path = tmp_path / f"journal-{lag}-{throttle}-{errors}-{drop_skip}-{crash_after}-{hash(drop)}.jsonl"
    path.unlink(missing_ok=True)
    spec = AppSpec(user_discovery=discovery)
    try:
        await create_apps(graph, spec, CrashingJournal(path, crash_after))
    except (Crash, CloudError):
        pass
    journal = OperationsJournal(path)
    for _ in range(3):
        pending = unfinished(journal)
        if pending is None:
            break
        try:
            await resume(graph, journal, pending)
        except CloudError:
            continue
    summary = tenant_summary(sandbox.state)
    assert journal.pending() == []
    assert sorted(a["display_name"] for a in summary["applications"]) == ["CMG-ClientApp", "CMG-ServerApp"]
    server = next(a for a in summary["applications"] if a["display_name"] == "CMG-ServerApp")
    assert len(server["secrets"]) == 1
    app_ids = {a["app_id"] for a in summary["applications"]}
    assert sorted(sp["app_id"] for sp in summary["service_principals"] if sp["app_id"] in app_ids) == sorted(app_ids)
    assert len(summary["grants"]) == 2
    assert len(summary["app_role_assignments"]) == (1 if discovery else 0)
