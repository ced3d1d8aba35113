"""The App's link to the cloud: the sandbox tenant, sign-in, sign-out and cloud jobs.

Every cloud call runs as a Textual worker in the group ``cloud`` (escape cancels the group).
A job is an async function ``job(session, log)``; ``log`` lines stream into the activity log
and the live log panes. Failures arrive as :class:`~cmgtui.cloud.errors.CloudError` and
become one clear message (what happened, what to do); anything unexpected is reported the
same way, never as a traceback. Workers never touch the profile directly: ``on_success``
runs on the UI thread and changes the profile through the App.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from textual.signal import Signal
from textual.worker import Worker

from cmgtui.model import AzureEnvironment

if TYPE_CHECKING:
    from cmgtui.app import CmgApp
    from cmgtui.screens.sign_in import SignInChoice
    from cmgtui.cloud.credentials import CloudSession, SignInMethod
    from cmgtui.cloud.preflight import GatherResult
    from cmgtui.cloud.sandbox.server import SandboxServer

T = TypeVar("T")
LogFn = Callable[[str], None]
CloudJob = Callable[["CloudSession", LogFn], Awaitable[T]]
CLOUD_GROUP = "cloud"


class CloudBridge:
    """Owns the cloud session (and the sandbox server) for one App."""

    def __init__(self, app: CmgApp) -> None:
        self.app = app
        self.session: CloudSession | None = None
        self.sandbox: SandboxServer | None = None
        self.user: str = ""
        self.log_signal: Signal[str] = Signal(app, "cloud-log")

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
        """Record one progress line: activity log plus every live log pane."""
        self.app.log_activity("cloud", line)
        self.log_signal.publish(line)

    # -- sign-in ---------------------------------------------------------------------------

    def start_sandbox(self) -> None:
        """Start the embedded sandbox tenant and sign in to it (in the background)."""
        self._set_state("starting sandbox…")
        self.app.run_worker(self._start_sandbox(), group="sign-in", exit_on_error=False)

    async def _start_sandbox(self) -> None:
        from cmgtui.cloud.credentials import SignInMethod, open_session
        from cmgtui.cloud.sandbox.server import SandboxServer

        try:
            server = await asyncio.to_thread(lambda: SandboxServer.from_environment().start())
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
        session = open_session(SignInMethod.SANDBOX, self._environment(),
                               sandbox_url=server.url, ca_path=server.ca_path)
        await self._finish_sign_in(session, "sandbox tenant")
        self.app.run_worker(self._warm_up, thread=True, group="warm-up", exit_on_error=False)

    @staticmethod
    def _warm_up() -> None:
        from cmgtui.cloud.graph import warm_up_graph

        warm_up_graph()

    def sign_in(self, method: SignInMethod | SignInChoice, tenant: str = "") -> None:
        """Sign in with ``method`` (to ``tenant``, "" = home tenant) in the background; device
        codes are shown in a modal whose escape cancels the sign-in."""
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
        self._set_state("signing in…")
        self.app.run_worker(self._finish_sign_in(session, method.value.replace("_", " ")),
                            group="sign-in", exit_on_error=False)

    async def _finish_sign_in(self, session: CloudSession, label: str) -> None:
        from cmgtui.cloud.errors import CloudError
        from cmgtui.cloud.graph import GraphGateway

        try:
            await session.sign_in()
            async with GraphGateway(session) as graph:
                user = await graph.signed_in_user()
        except CloudError as error:
            self._set_state("signed out")
            if self._device_code_failed(error):
                return
            self.app.notify(f"{error.message}\n{error.what_to_do}", title="Sign-in failed", severity="error",
                            timeout=15)
            return
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message
            self._set_state("signed out")
            self.app.notify(f"Sign-in failed ({type(exc).__name__}: {exc}). Check the network and try again.",
                            title="Sign-in failed", severity="error", timeout=15)
            return
        finally:
            self._close_device_code()
        self.session = session
        self.user = user.user_principal_name
        self._set_state(f"● {self.user}" + (" [sandbox]" if session.sandbox else ""))
        self.log(f"Signed in as {self.user} ({label})")
        self.refresh_identity()

    def refresh_identity(self) -> None:
        """Read roles, tenant, Owner role and regions once after sign-in (the checklist's live items)."""
        profile = self.app.profile
        if profile is None:
            return

        async def job(session: CloudSession, log: LogFn) -> GatherResult:
            from cmgtui.cloud.preflight import gather

            return await gather(session, profile, only=("roles", "organization", "owner", "locations"), log=log)

        def done(result: GatherResult) -> None:
            self.app.record_evidence(result.evidence, "Live checks after sign-in")
            for key, error in result.errors:
                self.app.notify(f"{error.message}\n{error.what_to_do}", title=f"Live check: {key}",
                                severity="warning", timeout=12)

        self.run("Live checks after sign-in", job, done)

    def _device_code_from_thread(self, url: str, code: str, expires: datetime) -> None:
        self.app.call_from_thread(self._show_device_code, url, code, expires)

    def _show_device_code(self, url: str, code: str, expires: datetime) -> None:
        from cmgtui.screens.sign_in import DeviceCodeModal

        session = getattr(self, "_signing_in", None)
        self.app.push_screen(DeviceCodeModal(url, code, expires,
                                             on_cancel=session.cancel_sign_in if session else None))

    def _device_code_failed(self, error: Exception) -> bool:
        """Show a device-code failure (expired, declined, cancelled) in its open modal."""
        from cmgtui.screens.sign_in import DeviceCodeModal

        screen = self.app.screen
        if getattr(error, "code", "") == "cancelled":
            if isinstance(screen, DeviceCodeModal):
                screen.dismiss()
            self.app.notify("Sign-in cancelled.", title="Sign in")
            return True
        if not isinstance(screen, DeviceCodeModal):
            return False
        screen.show_failure(error.message, error.what_to_do)
        return True

    def _close_device_code(self) -> None:
        from cmgtui.screens.sign_in import DeviceCodeModal

        if isinstance(self.app.screen, DeviceCodeModal) and not self.app.screen.failed:
            self.app.screen.dismiss()

    def sign_out(self, quiet: bool = False) -> None:
        """Forget the session's tokens; running cloud jobs are cancelled."""
        self.app.workers.cancel_group(self.app, CLOUD_GROUP)
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

    def run(self, description: str, job: CloudJob[T],
            on_success: Callable[[T], None] | None = None) -> Worker[None] | None:
        """Run ``job`` as a cancellable cloud worker; None (with a message) when signed out."""
        session = self.session
        if session is None or session.signed_out:
            self.app.notify("Sign in first: press F3 (or use the command palette).", title=description,
                            severity="warning")
            return None
        return self.app.run_worker(self._run(description, lambda: job(session, self.log), on_success),
                                   group=CLOUD_GROUP, exit_on_error=False, description=description)

    def run_local(self, description: str, job: Callable[[LogFn], Awaitable[T]],
                  on_success: Callable[[T], None] | None = None) -> Worker[None]:
        """Run a network job that needs no sign-in (probes) the same way as :meth:`run`."""
        return self.app.run_worker(self._run(description, lambda: job(self.log), on_success),
                                   group=CLOUD_GROUP, exit_on_error=False, description=description)

    async def _run(self, description: str, call: Callable[[], Awaitable[T]],
                   on_success: Callable[[T], None] | None) -> None:
        from cmgtui.cloud.errors import CloudError

        self.log(f"{description}: started")
        try:
            result = await call()
        except CloudError as error:
            self.log(f"{description}: failed: {error.message}")
            self.app.notify(f"{error.message}\n{error.what_to_do}", title=description, severity="error",
                            timeout=15)
            if error.kind == "sign_in_expired":
                self.sign_out(quiet=True)
            return
        except asyncio.CancelledError:
            self.log(f"{description}: cancelled")
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must become a message, not a traceback
            self.log(f"{description}: unexpected error {type(exc).__name__}: {exc}")
            self.app.notify(f"Unexpected error ({type(exc).__name__}). Nothing was lost; the details "
                            "are in the Activity log. Try again, or report it.", title=description,
                            severity="error", timeout=15)
            return
        self.log(f"{description}: done")
        if on_success is not None:
            on_success(result)

    def running(self) -> list[Worker[Any]]:
        """Cloud workers still running."""
        return [w for w in self.app.workers if w.group == CLOUD_GROUP and w.is_running]

    def cancel(self) -> bool:
        """Cancel every running cloud job; True if there was one."""
        running = self.running()
        if running:
            self.app.workers.cancel_group(self.app, CLOUD_GROUP)
        return bool(running)
