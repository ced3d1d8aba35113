"""The Part 1 flows: make a CSR, assemble a PFX, make a lab set, load and lint a certificate.

Each flow asks what it needs in a modal (passwords in :class:`PasswordModal`, typed once and
dropped), then does the file and crypto work in a thread worker and posts the outcome back
with ``call_from_thread``. Every expected failure of the certificate toolkit becomes a
one-line message on screen and in a notification; the profile changes only when a step
succeeded. Passwords travel in a :class:`Secret` that is cleared as soon as it was used and
are never written to the profile, the activity log or the App.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.widgets import Button, Checkbox, Input, Select, Static
from textual.worker import Worker, WorkerState

from cmgtui.domain import validate
from cmgtui.domain.azure import names
from cmgtui.domain.certs import (
    CertificateBundle,
    CertificateInfo,
    CertToolError,
    PasswordRequiredError,
    describe_bundle,
    lint_server_certificate,
    load_certificate_file,
    load_private_key_file,
)
from cmgtui.domain.certs.lab import LAB_LABEL
from cmgtui.domain.certs.outputs import file_stem
from cmgtui.domain.display_text import visible
from cmgtui.domain.rules.checks import CERT_LINT_KEY
from cmgtui.domain.rules.results import RuleResult
from cmgtui.model import Profile
from cmgtui.panes.certificate.text import lint_evidence
from cmgtui.services.certificate_files import CsrFiles, LabFiles, assemble_pfx_file, create_csr_files, create_lab_files
from cmgtui.widgets.base import AppAccess
from cmgtui.widgets.modals import NameModal
from cmgtui.widgets.password_modal import PasswordModal, Secret

WORKER_GROUPS = ("cert", "cert-io", "cert-browse")


@dataclass(frozen=True, slots=True)
class LintOptions:
    """What the linter needs from the profile, read on the UI thread before a worker starts."""

    prefix: str
    previous: str
    region: str


def lint_bundle(bundle: CertificateBundle, options: LintOptions) -> tuple[CertificateInfo, list[RuleResult], str]:
    """Describe and lint ``bundle``; returns the info, the results and the prefix used."""
    info = describe_bundle(bundle)
    prefix = options.prefix if names.is_wildcard(info.common_name) else ""
    results = lint_server_certificate(
        bundle, service_name=prefix or None, previous=options.previous or None, region=options.region or None
    )
    return info, results, prefix


def key_passphrase_problem(key_path: str, passphrase: str) -> str | None:
    """Why ``passphrase`` does not open the private key at ``key_path`` (None when it does).

    Asked before the new PFX password, so a wrong passphrase is said while it is being typed.
    """
    try:
        load_private_key_file(Path(key_path).expanduser(), passphrase.encode("utf-8") or None)
    except CertToolError as exc:
        return str(exc)
    return None


def is_lab_certificate(info: CertificateInfo) -> bool:
    """True for a certificate made by the lab generator (its names carry the lab label)."""
    return LAB_LABEL in info.subject or LAB_LABEL in info.issuer


class CertificateFlows(AppAccess):
    """Mixin for the Part 1 pane: the actions behind its buttons."""

    #: Id of the button whose step runs (focus returns to it when the step ends).
    flow_button: str | None = None

    # -- small helpers ---------------------------------------------------------------------

    def _value(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value.strip()

    def _status(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#cert-status", Static)
        line.update(Text(visible(message, keep_lines=True)))
        line.set_class(error, "-error")
        self._refocus()

    def _refocus(self) -> None:
        """Put focus back on the button that started the step (its result is on the status line).

        The same rule for every step, whatever the step showed or hid on the way: the started
        button if it is still shown, else "Check certificate" next to the result, so typing
        never lands in a field the administrator did not choose.
        """
        if self.app.screen is not self.screen:  # a dialog is open; it owns the focus
            return
        for button_id in (self.flow_button, "lint"):
            if not button_id:
                continue
            button = self.query_one(f"#{button_id}", Button)
            if button.display and all(node.display for node in button.ancestors_with_self if node is not self.screen):
                button.focus(scroll_visible=False)
                return

    def _fail(self, message: str) -> None:
        """Show a failure on the status line and as a notification; nothing else changes."""
        self._status(message, error=True)
        self.notify(message, title="Certificate", severity="error", timeout=10)

    def _options(self) -> LintOptions:
        cert = self.profile.certificate
        return LintOptions(cert.wildcard_prefix.strip(), cert.previous_service_name.strip(), self.profile.region)

    def _service_name(self) -> str | None:
        """The service name to put in a new certificate, or None after saying what is wrong."""
        service = self.profile.certificate.service_name.strip()
        problem = validate.fqdn_problem(service, allow_wildcard=True)
        if problem:
            self._fail(f"Service name: {problem}")
            return None
        return service

    def default_pfx_name(self) -> str:
        """File name for an assembled PFX, from the service name."""
        return f"{file_stem(self.profile.certificate.service_name.strip() or 'certificate')}.pfx"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in a flow becomes a message, never a traceback."""
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.group in WORKER_GROUPS:
            event.stop()
            kind = type(worker.error).__name__ if worker.error else "error"
            self.call_later(self._fail, f"The certificate step stopped unexpectedly ({kind}); nothing was changed.")

    # -- CSR -------------------------------------------------------------------------------

    @work(exclusive=True, group="cert", exit_on_error=False)
    async def make_csr(self) -> None:
        """Ask for the key passphrase (twice), then write the encrypted key and the CSR."""
        service = self._service_name()
        folder = self._value("csr-folder")
        if service is None:
            return
        if not folder:
            self._fail("Enter or browse for the folder to write the key and CSR into.")
            return
        key_size = self.query_one("#key-size", Select).value
        stem = file_stem(service)
        answer = await self.app.push_screen_wait(PasswordModal(
            "Passphrase for the new private key",
            f"Writes {stem}.key.pem (encrypted, readable only by you) and {stem}.csr.pem into {folder}. "
            "You need the passphrase again to make the PFX.",
            confirm=True,
        ))
        if answer is None:
            self._status("Cancelled; nothing was written.")
            return
        self._status(f"Generating an RSA {key_size}-bit key and the request…")
        self._csr_worker(folder, service, Secret(answer), int(key_size))  # type: ignore[arg-type]  # @work types self as a DOMNode; this mixin is the pane's

    @work(thread=True, exclusive=True, group="cert-io", exit_on_error=False)
    def _csr_worker(self, folder: str, service: str, secret: Secret, key_size: int) -> None:
        try:
            files = create_csr_files(folder, service, secret.as_bytes() or b"", key_size)
        except CertToolError as exc:
            self.app.call_from_thread(self._fail, str(exc))
            return
        finally:
            secret.clear()
        self.app.call_from_thread(self._csr_written, files)

    def _csr_written(self, files: CsrFiles) -> None:
        def record(profile: Profile) -> None:
            profile.certificate.csr_path = str(files.csr_path)
            profile.certificate.key_path = str(files.key_path)

        self.cmg.mutate(record, "certificate request written")
        self.query_one("#key-path", Input).value = str(files.key_path)
        self.cmg.log_activity(
            "certificate",
            f"CSR written to {files.csr_path} for {files.service_name} (RSA {files.key_size}); "
            f"encrypted private key {files.key_path}",
        )
        self._status(f"CSR written to {files.csr_path}; the encrypted key is {files.key_path}.")

    # -- PFX from the issued certificate ---------------------------------------------------

    @work(exclusive=True, group="cert", exit_on_error=False)
    async def assemble_pfx(self) -> None:
        """Ask for the key passphrase and a new PFX password, then write and check the PFX."""
        issued, key_path = self._value("issued-path"), self._value("key-path")
        chain = [part.strip() for part in self._value("chain-paths").split(",") if part.strip()]
        if not issued:
            self._fail("Enter or browse for the issued certificate file.")
            return
        if not key_path:
            self._fail("Enter or browse for the private key made with the request (.key.pem).")
            return
        out = self._value("pfx-out") or str(Path(issued).expanduser().parent / self.default_pfx_name())
        key_answer = await self.app.push_screen_wait(PasswordModal(
            "Passphrase of the private key",
            f"The passphrase set for {Path(key_path).name} when the request was made "
            "(leave empty if the key is not encrypted).",
            min_length=0, check=lambda answer: key_passphrase_problem(key_path, answer),
        ))
        if key_answer is None:
            self._status("Cancelled; nothing was written.")
            return
        pfx_answer = await self.app.push_screen_wait(PasswordModal(
            "Password for the new PFX",
            f"Writes {out} (readable only by you). You type this password in the Configuration "
            "Manager console when you create the CMG.",
            confirm=True,
        ))
        if pfx_answer is None:
            self._status("Cancelled; nothing was written.")
            return
        legacy = self.query_one("#legacy-pfx", Checkbox).value
        self._status("Assembling the PFX…")
        self._assemble_worker(issued, key_path, chain, out, Secret(key_answer), Secret(pfx_answer), legacy,
                              self._options())

    @work(thread=True, exclusive=True, group="cert-io", exit_on_error=False)
    def _assemble_worker(self, issued: str, key_path: str, chain: list[str], out: str, key_secret: Secret,
                         pfx_secret: Secret, legacy: bool, options: LintOptions) -> None:
        try:
            result = assemble_pfx_file(
                issued, key_path, out, pfx_secret.as_bytes() or b"", key_password=key_secret.as_bytes(),
                chain_paths=chain, legacy=legacy,
            )
            bundle = load_certificate_file(result.path, pfx_secret.as_bytes())
        except CertToolError as exc:
            self.app.call_from_thread(self._fail, str(exc))
            return
        finally:
            key_secret.clear()
            pfx_secret.clear()
        note = f" ({result.left_out} unrelated certificate(s) left out)" if result.left_out else ""
        self.app.call_from_thread(
            self.cmg.log_activity, "certificate",
            f"PFX written to {result.path} with {result.chain_count} chain certificate(s){note}",
        )
        self._lint_in_thread(bundle, str(result.path), False, options)

    # -- lab -------------------------------------------------------------------------------

    @work(exclusive=True, group="cert", exit_on_error=False)
    async def make_lab(self) -> None:
        """Ask for a PFX password (twice), then write a LAB ONLY root and server PFX."""
        service = self._service_name()
        folder = self._value("lab-folder")
        if service is None:
            return
        if not folder:
            self._fail("Enter or browse for the folder to write the lab files into.")
            return
        stem = file_stem(service)
        answer = await self.app.push_screen_wait(PasswordModal(
            "Password for the LAB ONLY PFX",
            f"LAB ONLY. Writes {stem}-lab.pfx (readable only by you) and the lab root {stem}-lab-root.cer "
            f"into {folder}. Never use these in production.",
            confirm=True,
        ))
        if answer is None:
            self._status("Cancelled; nothing was written.")
            return
        self._status("Making the LAB ONLY certificate…")
        self._lab_worker(folder, service, Secret(answer), self._options())

    @work(thread=True, exclusive=True, group="cert-io", exit_on_error=False)
    def _lab_worker(self, folder: str, service: str, secret: Secret, options: LintOptions) -> None:
        try:
            files = create_lab_files(folder, service, secret.as_bytes() or b"")
            bundle = load_certificate_file(files.pfx, secret.as_bytes())
        except CertToolError as exc:
            self.app.call_from_thread(self._fail, str(exc))
            return
        finally:
            secret.clear()
        self.app.call_from_thread(self._lab_written, files)
        self._lint_in_thread(bundle, str(files.pfx), True, options)

    def _lab_written(self, files: LabFiles) -> None:
        self.query_one("#pfx-path", Input).value = str(files.pfx)
        self.cmg.log_activity(
            "certificate",
            f"LAB ONLY certificate for {files.service_name} written to {files.pfx}; lab root for test "
            f"clients: {files.root_cer}. Never use it in production.",
        )

    # -- load and lint ---------------------------------------------------------------------

    def check_certificate(self) -> None:
        """Load the certificate file named on screen and lint it (asks a password if needed)."""
        path = self._value("pfx-path")
        if not path:
            self._fail("Enter or browse for the certificate file to check (.pfx, .p12, .cer or .pem).")
            return
        self._status(f"Checking {path}…")
        self._load_worker(path, Secret(None), self._options())

    @work(thread=True, exclusive=True, group="cert-io", exit_on_error=False)
    def _load_worker(self, path: str, secret: Secret, options: LintOptions) -> None:
        try:
            bundle = load_certificate_file(Path(path).expanduser(), secret.as_bytes())
        except PasswordRequiredError:
            self.app.call_from_thread(self._ask_password, path, options)
            return
        except CertToolError as exc:
            self.app.call_from_thread(self._fail, str(exc))
            return
        finally:
            secret.clear()
        self._lint_in_thread(bundle, path, False, options)

    @work(exclusive=True, group="cert", exit_on_error=False)
    async def _ask_password(self, path: str, options: LintOptions) -> None:
        answer = await self.app.push_screen_wait(PasswordModal(
            "Password of the certificate file",
            f"{Path(path).name} is password-protected. The password opens it once and is not saved.",
            min_length=1,
        ))
        if answer is None:
            self._status("Cancelled; the certificate was not checked.")
            return
        self._load_worker(path, Secret(answer), options)

    def _lint_in_thread(self, bundle: CertificateBundle, path: str, lab: bool, options: LintOptions) -> None:
        """Lint (inside a thread worker); a wildcard CN without a prefix asks for it first."""
        info = describe_bundle(bundle)
        if names.is_wildcard(info.common_name) and not options.prefix:
            self.app.call_from_thread(self._ask_prefix, bundle, path, lab, options)
            return
        info, results, prefix = lint_bundle(bundle, options)
        self.app.call_from_thread(self._record, path, info, results, lab or is_lab_certificate(info), prefix)

    @work(exclusive=True, group="cert", exit_on_error=False)
    async def _ask_prefix(self, bundle: CertificateBundle, path: str, lab: bool, options: LintOptions) -> None:
        cn = describe_bundle(bundle).common_name
        prefix = await self.app.push_screen_wait(NameModal(
            f"'{cn}' is a wildcard: the prefix that replaces * (e.g. GraniteFalls)", names.prefix_problem
        ))
        chosen = LintOptions(prefix or "", options.previous, options.region)
        self._lint_worker(bundle, path, lab, chosen)

    @work(thread=True, exclusive=True, group="cert-io", exit_on_error=False)
    def _lint_worker(self, bundle: CertificateBundle, path: str, lab: bool, options: LintOptions) -> None:
        info, results, prefix = lint_bundle(bundle, options)
        self.app.call_from_thread(self._record, path, info, results, lab or is_lab_certificate(info), prefix)

    def _record(self, path: str, info: CertificateInfo, results: list[RuleResult], lab: bool, prefix: str) -> None:
        """Store what the check found: file, thumbprint, subject, expiry, CN, evidence."""
        service = names.effective_service_name(info.common_name, prefix) if info.common_name else ""
        evidence = lint_evidence(path, info, results, lab=lab, service_name=service)
        before = self.profile.certificate.service_name

        def record(profile: Profile) -> None:
            cert = profile.certificate
            cert.pfx_path = path
            if not cert.site_pfx_path:  # a suggestion: its name under C:\CMG on the site server, never this path
                cert.site_pfx_path = validate.site_server_pfx_suggestion(path)
            cert.thumbprint = info.thumbprint
            cert.subject = info.subject
            cert.not_after = info.not_after
            if info.common_name:
                cert.service_name = info.common_name
            if prefix:
                cert.wildcard_prefix = prefix
            profile.drafts.pop("certificate.service_name", None)
            profile.evidence[CERT_LINT_KEY] = evidence

        self.cmg.mutate(record, "certificate checked")
        self.query_one("#pfx-path", Input).value = path
        label = "LAB ONLY: " if lab else ""
        self.cmg.log_activity(
            "certificate", f"{label}Checked {path} ({info.subject}, thumbprint {info.thumbprint}): {evidence.summary}"
        )
        self._status(f"{label}Checked {Path(path).name}: {evidence.summary.split(': ', 1)[-1]}.")
        if info.common_name and info.common_name != before:
            self.notify(f"Service name set from the certificate: {info.common_name}", title="Certificate")
