"""The session's sandbox tenant (``tests/conftest.py``), reset before each cloud test.

Tests talk to the sandbox with the real SDKs only.
"""

from __future__ import annotations

import pytest

from cmgtui.cloud.credentials import CloudSession, SignInMethod, open_session
from cmgtui.sandbox.server import SandboxServer


@pytest.fixture(autouse=True)
def fresh_sandbox(sandbox: SandboxServer) -> SandboxServer:
    """Every test starts from the seeded tenant with no faults."""
    sandbox.reset()
    return sandbox


@pytest.fixture
def session(sandbox: SandboxServer) -> CloudSession:
    """A signed-in sandbox session (token fetched lazily on the first call); its waits go to the
    virtual retry clock (the autouse ``retry_clock`` fixture), so no test sleeps."""
    assert sandbox.ca_path is not None
    return open_session(SignInMethod.SANDBOX, sandbox_url=sandbox.url, ca_path=sandbox.ca_path)


@pytest.fixture
async def arm(session: CloudSession):
    """An ARM gateway on the sandbox, closed after the test."""
    from cmgtui.cloud.arm import ArmGateway

    async with ArmGateway(session) as gateway:
        yield gateway


@pytest.fixture
async def graph(session: CloudSession):
    """A Graph gateway on the sandbox, closed after the test."""
    from cmgtui.cloud.graph import GraphGateway

    async with GraphGateway(session) as gateway:
        yield gateway
