"""The App's link to the cloud: the sandbox tenant, sign-in, sign-out and cloud jobs.

Every cloud call runs as a Textual worker in the group ``cloud`` (escape cancels the group).
A job is an async function (:mod:`cmgtui.cloud.jobs`) that returns a typed message; its ``log``
lines go to the activity log of the profile it was started for and, while that profile is
open, to the pane that started it (as :class:`~cmgtui.messages.JobLogLine`). A job never
touches the profile or a widget: when it ends, the bridge posts its message to the pane that
started it, only if the profile it was started for is still the open one (otherwise the result
is dropped and the drop is logged to that profile's own activity log); a failure goes to the
App as :class:`~cmgtui.messages.CloudJobFailed`. Closing or switching a profile cancels its jobs.
The SDKs are imported inside the functions that need them, never before the first frame.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker
from textual.worker_manager import WorkerManager

from cmgtui import activity
from cmgtui.cloud.jobs import CloudJob, LocalJob, LogFn
from cmgtui.messages import (
    CloudJobFailed,
    DeviceCodeFinished,
    DeviceCodeRequested,
    JobLogLine,
    LiveChecksRead,
    ProfileKey,
)
from cmgtui.model import AzureEnvironment, Profile

if TYPE_CHECKING:
    from pathlib import Path

    from cmgtui.screens.sign_in import SignInChoice
    from cmgtui.cloud.credentials import CloudSession, SignInMethod
    from cmgtui.sandbox.server import AttachedSandbox, SandboxServer

CLOUD_GROUP = "cloud"
#: The checks read once after a sign-in: the checklist's live items.
LIVE_CHECKS = ("roles", "organization", "owner", "locations")


def _warm_up_live_checks() -> None:
    """Import what the live checks run (the services and the ARM SDK with its transport); blocking."""
    from cmgtui.cloud.arm import warm_up_arm

    importlib.import_module("cmgtui.services.preflight")
    warm_up_arm()


class BridgeHost(Protocol):
    """What the bridge needs of the App (typed here so the bridge never imports the App)."""

    sign_in_state: str
    workers: WorkerManager

    @property
    def profile(self) -> Profile | None: ...

    @property
    def profile_key(self) -> ProfileKey | None: ...

    def log_activity(self, kind: str, message: str) -> None: ...

    def stale(self, key: ProfileKey | None, description: str, what: str) -> bool: ...

    def notify(self, message: str, *, title: str = ..., severity: Any = ..., timeout: float | None = ...) -> None: ...

    def run_worker(self, work: Any, name: str | None = ..., group: str = ..., description: str = ...,
                   exit_on_error: bool = ..., thread: bool = ...) -> Worker[Any]: ...

    def post_message(self, message: Message) -> bool: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any) -> Any: ...


class CloudBridge:
    """Owns the cloud session (and the sandbox server) for one App."""

    def __init__(self, app: BridgeHost) -> None:
        self.app = app
        self.session: CloudSession | None = None
        self.sandbox: SandboxServer | AttachedSandbox | None = None
        self.user: str = ""
        self._signing_in: CloudSession | None = None
        self._device_code_shown = False

    @property
    def signed_in(self) -> bool:
        """Whether a usable session exists."""
        return self.session is not None and not self.session.signed_out

    def _environment(self) -> AzureEnvironment:
        profile = self.app.profile
        return profile.environment if profile and profile.environment else AzureEnvironment.PUBLIC

    def _set_state(self, text: str) -> None:
        self.app.sign_in_state = text

    def log(self, line: str) -> None:
        """Record one progress line in the open profile's activity log."""
        self.app.log_activity("cloud", line)

    def log_for(self, key: ProfileKey | None) -> LogFn:
        """A progress sink bound to the profile ``key``: its lines never reach another profile."""

        def log(line: str) -> None:
            if key is not None and key == self.app.profile_key:
                self.log(line)
            elif key is not None and not key.read_only:
                try:
                    activity.append(key.name, "cloud", line)
                except OSError:
                    return

        return log

    # -- sign-in ---------------------------------------------------------------------------

    def start_sandbox(self) -> None:
        """Start the embedded sandbox tenant and sign in to it (in the background)."""
        self._set_state("starting sandbox…")
        self.app.run_worker(self._start_sandbox(), group="sign-in", exit_on_error=False)

    async def _start_sandbox(self) -> None:
        from cmgtui.sandbox.faults import ENV_VAR, FaultSyntaxError

        def start() -> SandboxServer | AttachedSandbox:
            # imported here, in the worker thread: the server's modules (HTTP server, the CA's
            # cryptography, the scenario) take a few hundred ms, which the event loop would
            # otherwise spend not answering keys typed just after the first frame
            from cmgtui.sandbox.server import SandboxServer

            return SandboxServer.from_environment().start()

        try:
            server = await asyncio.to_thread(start)
        except FaultSyntaxError as exc:
            self._set_state("signed out")
            self.app.notify(f"The sandbox tenant did not start: {ENV_VAR}: {exc} Fix or unset the variable "
                            "and start cmgtui again.", severity="error", timeout=30)
            return
        except OSError as exc:
            self._set_state("signed out")
            self.app.notify(f"The sandbox tenant could not start: {exc}. Check that loopback networking "
                            "works and that the cmgtui folder is writable.", severity="error", timeout=15)
            return
        except ValueError as exc:  # a bad scenario file, fault spec or CMGTUI_SANDBOX_URL/CA
            self._set_state("signed out")
            self.app.notify(f"The sandbox tenant could not start: {exc}", severity="error", timeout=20)
            return
        self.sandbox = server
        environment = self._environment()

        def open_sandbox_session() -> CloudSession:
            from cmgtui.cloud.credentials import SignInMethod, open_session

            return open_session(SignInMethod.SANDBOX, environment, sandbox_url=server.url, ca_path=server.ca_path)

        session = await asyncio.to_thread(open_sandbox_session)
        await self._finish_sign_in(session, "sandbox tenant")

    def sign_in(self, method: SignInMethod | SignInChoice, tenant: str = "") -> None:
        """Sign in with ``method`` (to ``tenant``, "" = home tenant) in the background; a device
        code is handed to the App to show, with a way to cancel the waiting sign-in."""
        from cmgtui.cloud.credentials import open_session
        from cmgtui.screens.sign_in import SignInChoice

        if isinstance(method, SignInChoice):
            method, tenant = method.method, method.tenant
        self.sign_out(quiet=True)
        sandbox = self.sandbox
        session = open_session(
            method, self._environment(), prompt_callback=self._device_code_from_thread,
            tenant_id=tenant or None,
            sandbox_url=sandbox.url if sandbox else None, ca_path=sandbox.ca_path if sandbox else None,
        )
        self._signing_in = session
        self._device_code_shown = False
        self._set_state("signing in…")
        self.app.run_worker(self._finish_sign_in(session, method.value.replace("_", " ")),
                            group="sign-in", exit_on_error=False)

    async def _finish_sign_in(self, session: CloudSession, label: str) -> None:
        await asyncio.to_thread(importlib.import_module, "cmgtui.cloud.graph")  # off the event loop
        from cmgtui.cloud.errors import CloudError
        from cmgtui.cloud.graph import GraphGateway, warm_up_graph

        try:
            await session.sign_in()
            await asyncio.to_thread(warm_up_graph)  # the SDK's imports, off the event loop
            async with GraphGateway(session) as graph:
                user = await graph.signed_in_user()
        except CloudError as error:
            self._set_state("signed out")
            self.app.post_message(DeviceCodeFinished(error.message, error.what_to_do, error.code))
            if error.code == "cancelled":
                self.app.notify("Sign-in cancelled.", title="Sign in")
            elif not self._device_code_shown:  # a device-code dialog shows the failure itself
                self.app.notify(f"{error.message}\n{error.what_to_do}", title="Sign-in failed", severity="error",
                                timeout=15)
            return
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message
            self._set_state("signed out")
            self.app.post_message(DeviceCodeFinished())
            self.app.notify(f"Sign-in failed ({type(exc).__name__}: {exc}). Check the network and try again.",
                            title="Sign-in failed", severity="error", timeout=15)
            return
        finally:
            self._signing_in = None
        self.app.post_message(DeviceCodeFinished())
        self.session = session
        self.user = user.user_principal_name
        self._set_state(f"● {self.user}" + (" [sandbox]" if session.sandbox else ""))
        self.log(f"Signed in as {self.user} ({label})")
        self.refresh_identity()

    def refresh_identity(self, target: MessagePump | None = None) -> None:
        """Read roles, tenant, Owner role and regions once after sign-in (the checklist's live items);
        the result goes to ``target`` (the pane that asked; the App after a sign-in) and on to the App."""
        profile = self.app.profile
        if profile is None:
            return

        async def job(session: CloudSession, log: LogFn) -> Message:
            await asyncio.to_thread(_warm_up_live_checks)  # the SDKs' imports, off the event loop
            from cmgtui.services.preflight import run_preflight

            return LiveChecksRead(await run_preflight(session, profile, only=LIVE_CHECKS, log=log))

        self.run_posting(target or cast("MessagePump", self.app), "Live checks after sign-in", job)

    def _device_code_from_thread(self, url: str, code: str, expires: datetime) -> None:
        session = self._signing_in
        self._device_code_shown = True
        self.app.call_from_thread(self.app.post_message, DeviceCodeRequested(
            url, code, expires, on_cancel=session.cancel_sign_in if session else None))

    def sandbox_endpoint(self) -> tuple[str, Path | None] | None:
        """The sandbox tenant's URL and CA file while rehearsing (None otherwise): where jobs that
        need no sign-in, such as reading list prices, go instead of the internet."""
        return None if self.sandbox is None else (self.sandbox.url, self.sandbox.ca_path)

    def sign_out(self, quiet: bool = False) -> None:
        """Forget the session's tokens; running cloud jobs are cancelled."""
        self.app.workers.cancel_group(self.app, CLOUD_GROUP)  # type: ignore[arg-type]  # the host protocol is the App, a DOMNode
        if self.session is not None:
            self.session.sign_out()
            self.session = None
            if not quiet:
                self.log(f"Signed out {self.user}")
        self.user = ""
        self._set_state("signed out")

    def shutdown(self) -> None:
        """Sign out and stop the sandbox (on exit)."""
        if self.session is not None:
            self.session.sign_out()
            self.session = None
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None

    # -- jobs --------------------------------------------------------------------------------

    def run_posting(self, target: MessagePump, description: str,
                    job: CloudJob[Message]) -> Worker[None] | None:
        """Run ``job`` for the open profile as a cancellable cloud worker (None when signed out) and
        post the typed message it returns to ``target``, the pane that started it (a message to a
        pane that has closed is dropped with it), while that profile is still open.

        Failures go to the App as :class:`CloudJobFailed`.
        """
        session = self.session
        if session is None or session.signed_out:
            self.app.notify("Sign in first: press F3 (or use the command palette).", title=description,
                            severity="warning")
            return None
        return self._start(target, description, lambda log: job(session, log))

    def run_local_posting(self, target: MessagePump, description: str, job: LocalJob[Message]) -> Worker[None]:
        """Run a network job that needs no sign-in (probes, list prices) the same way as :meth:`run_posting`."""
        return self._start(target, description, job)

    def _start(self, target: MessagePump, description: str, job: LocalJob[Message]) -> Worker[None]:
        key = self.app.profile_key
        return self.app.run_worker(self._run(key, target, description, job), group=CLOUD_GROUP,
                                   exit_on_error=False, description=description)

    def _job_log(self, key: ProfileKey | None, target: MessagePump, description: str) -> LogFn:
        """The job's log: the activity log of its profile and, while that profile is open, the
        pane that started the job."""
        sink = self.log_for(key)

        def log(line: str) -> None:
            sink(line)
            if key is not None and key == self.app.profile_key:
                target.post_message(JobLogLine(description, line))

        return log

    async def _run(self, key: ProfileKey | None, target: MessagePump, description: str,
                   job: LocalJob[Message]) -> None:
        from cmgtui.cloud.errors import CloudError

        log = self._job_log(key, target, description)
        log(f"{description}: started")
        try:
            result = await job(log)
        except CloudError as error:
            log(f"{description}: failed: {error.message}")
            self.app.post_message(CloudJobFailed(key, description, error.message, error.what_to_do, error.kind))
            return
        except asyncio.CancelledError:
            log(f"{description}: cancelled")
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must become a message, not a traceback
            log(f"{description}: unexpected error {type(exc).__name__}: {exc}")
            self.app.post_message(CloudJobFailed(
                key, description, f"Unexpected error ({type(exc).__name__}). Nothing was lost; the details "
                "are in the Activity log.", "Try again, or report it.", "unexpected"))
            return
        log(f"{description}: done")
        if not self.app.stale(key, description, "result"):
            target.post_message(result)

    def job_failed(self, message: CloudJobFailed) -> None:
        """Tell the user about a failed job of the open profile (the App's handler calls this)."""
        self.app.notify(f"{message.error}\n{message.what_to_do}", title=message.description, severity="error",
                        timeout=15)
        if message.kind == "sign_in_expired":
            self.sign_out(quiet=True)

    def running(self) -> list[Worker[Any]]:
        """Cloud workers still running."""
        return [w for w in self.app.workers if w.group == CLOUD_GROUP and w.is_running]

    def cancel(self) -> bool:
        """Cancel every running cloud job; True if there was one."""
        running = self.running()
        if running:
            self.app.workers.cancel_group(self.app, CLOUD_GROUP)  # type: ignore[arg-type]  # the host protocol is the App, a DOMNode
        return bool(running)
