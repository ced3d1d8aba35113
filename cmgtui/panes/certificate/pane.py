"""Part 1: the CMG server authentication certificate, from source to a checked PFX.

The administrator chooses where the certificate comes from, sets the service name (the
derived Azure names update as they type), then, depending on the source, makes a key and
CSR, imports the issued certificate into a password-protected PFX, points at an existing
PFX, or makes a LAB ONLY set. Checking the certificate records its thumbprint, subject and
expiry, takes the service name from its CN and stores the lint results as evidence so the
navigation badge and ``cmgtui check`` see them. The flows themselves live in
:mod:`cmgtui.panes.certificate.actions`.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from cmgtui.domain import validate
from cmgtui.domain.azure import names
from cmgtui.domain.rules import checks
from cmgtui.domain.rules.results import Phase
from cmgtui.model import CertificateSource
from cmgtui.panes.certificate.actions import CertificateFlows
from cmgtui.panes.certificate.text import (
    LAB_BANNER,
    SOURCE_CHOICES,
    SOURCE_HINTS,
    certificate_summary,
    csr_next_steps,
    derived_names_text,
)
from cmgtui.panes.descriptions import part_description
from cmgtui.widgets.base import ChoiceSelect, Pane, PaneTitle, show_if_changed
from cmgtui.widgets.fields import FieldRow, MarkedCheckbox, SelectField, TextBox, TextField
from cmgtui.widgets.file_picker import FilePickerModal
from cmgtui.widgets.rule_report import RuleReport

CA_SOURCES = (CertificateSource.PUBLIC_CA, CertificateSource.ENTERPRISE_PKI)
KEY_SIZES = [("RSA 2048 (recommended)", 2048), ("RSA 4096", 4096)]


class PathRow(Vertical):
    """A label, a path input and a Browse button that opens the keyboard file picker."""

    def __init__(self, label: str, input_id: str, *, folder: bool = False, placeholder: str = "") -> None:
        super().__init__(classes="path-row")
        self.label = label
        self.input_id = input_id
        self.folder = folder
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        with Horizontal():
            yield TextBox(id=self.input_id, placeholder=self.placeholder, compact=True)
            yield Button("Browse…", id=f"browse-{self.input_id}", compact=True, classes="browse")


def _fqdn_or_wildcard(text: str) -> str | None:
    return validate.fqdn_problem(text, allow_wildcard=True)


def _service_name_problem(text: str) -> str | None:
    """A DNS name (or wildcard) whose first label can name the CMG's Azure resources."""
    problem = _fqdn_or_wildcard(text)
    if problem or names.is_wildcard(text):
        return problem
    return names.prefix_problem(names.prefix_from_service_name(text))


class CertificatePane(Pane, CertificateFlows):
    """The Part 1 working screen."""

    ENTRY = "certificate"
    TITLE = "Certificate"

    def compose(self) -> ComposeResult:
        part = part_description("certificate")
        yield PaneTitle(part.title, classes="pane-title")
        yield Static(id="p1-status")
        yield Static(part.what, classes="part-what")
        yield Static("Checklist items that feed this part: " + ", ".join(part.fed_by), classes="part-fed")
        yield SelectField("Certificate source", "certificate.source", SOURCE_CHOICES, id="cert-source")
        yield Static(id="source-hint", classes="hint")
        yield Static(LAB_BANNER, id="lab-banner")
        yield Static("Service name", classes="section-title")
        yield TextField("Service name (the certificate CN)", "certificate.service_name",
                        validator=_service_name_problem, placeholder="e.g. GraniteFalls.contoso.com", id="service-name")
        yield TextField("Wildcard prefix (replaces the *)", "certificate.wildcard_prefix",
                        validator=names.prefix_problem, placeholder="e.g. GraniteFalls", id="wildcard-prefix")
        yield TextField("Previous certificate CN (only when renewing)", "certificate.previous_service_name",
                        validator=_fqdn_or_wildcard, placeholder="leave empty for a first certificate",
                        id="previous-name")
        yield Static("Names the CMG derives from it", classes="field-label derived-title")
        yield Static(id="derived-names", classes="calculation")
        with Vertical(id="csr-section", classes="cert-section"):
            yield Static("Step 1 · Make the private key and the request (CSR)", classes="section-title")
            yield PathRow("Folder for the key and CSR", "csr-folder", folder=True, placeholder="e.g. ~/cmg-certificate")
            yield Label("Key size", classes="field-label")
            yield ChoiceSelect(KEY_SIZES, value=2048, allow_blank=False, id="key-size", compact=True)
            yield Button("Generate key and CSR", id="make-csr", compact=True)
            yield Static(id="csr-next", classes="hint")
        with Vertical(id="import-section", classes="cert-section"):
            yield Static("Step 2 · Import the issued certificate into a PFX", classes="section-title")
            yield PathRow("Issued certificate (.cer, .crt, .pem or .p7b)", "issued-path")
            yield PathRow("Chain files, comma separated (optional)", "chain-paths")
            yield PathRow("Private key made in step 1 (.key.pem)", "key-path")
            yield PathRow("PFX to write (empty: beside the certificate)", "pfx-out")
            yield MarkedCheckbox("Older PFX encryption (Windows Server 2016 and older)", id="legacy-pfx", compact=True)
            yield Button("Assemble PFX", id="assemble-pfx", compact=True)
        with Vertical(id="lab-section", classes="cert-section"):
            yield Static("Make a LAB ONLY certificate", classes="section-title")
            yield PathRow("Folder for the lab PFX and root .cer", "lab-folder", folder=True,
                          placeholder="e.g. ~/cmg-lab")
            yield Button("Create lab certificate", id="make-lab", compact=True)
        with Vertical(id="check-section", classes="cert-section"):
            yield Static("Check the certificate", classes="section-title")
            yield PathRow("Certificate file (.pfx/.p12; .cer or .pem checks without the key)", "pfx-path")
            yield Button("Check certificate", id="lint", compact=True)
            yield Static(id="cert-status")
            yield Static(id="cert-summary")
            yield TextField("Where the PFX will be on the site server (the script reads it there)",
                            "certificate.site_pfx_path", validator=validate.site_server_path_problem,
                            placeholder="e.g. C:\\CMG\\GraniteFalls.pfx", id="site-pfx-path")
        yield Static("Certificate rules", classes="section-title")
        yield RuleReport(id="lint-report")
        yield Static("Service name rules", classes="section-title")
        yield RuleReport(id="name-report")

    def sync(self) -> None:
        profile = self.profile
        cert = profile.certificate
        for row in self.query(FieldRow):
            row.sync(profile)
        source = cert.source
        show_if_changed(self.query_one("#source-hint", Static), SOURCE_HINTS.get(source, SOURCE_HINTS[None]))
        self.query_one("#lab-banner").display = source is CertificateSource.LAB
        self.query_one("#wildcard-prefix").display = names.is_wildcard(cert.service_name)
        self.query_one("#csr-section").display = source in CA_SOURCES
        self.query_one("#import-section").display = source in CA_SOURCES
        self.query_one("#lab-section").display = source is CertificateSource.LAB
        self.query_one("#check-section").display = source is not None
        show_if_changed(self.query_one("#derived-names", Static), derived_names_text(profile))
        show_if_changed(self.query_one("#csr-next", Static), Text(csr_next_steps(source, cert.csr_path)))
        self._prefill("key-path", cert.key_path)
        self._prefill("pfx-path", cert.pfx_path)
        if cert.csr_path:
            self._prefill("csr-folder", str(Path(cert.csr_path).parent))
        show_if_changed(self.query_one("#cert-summary", Static), certificate_summary(profile))
        everything = self.results  # one evaluation for the headline and both tables
        show_if_changed(self.query_one("#p1-status", Static),
                        Text(checks.status_line(profile, Phase.CERTIFICATE, everything), style="italic"))
        results = [r for r in everything if r.phase is Phase.CERTIFICATE]
        self.query_one("#lint-report", RuleReport).show(
            [r for r in results if r.rule.startswith("CERT-")], "No certificate checked yet."
        )
        self.query_one("#name-report", RuleReport).show(
            [r for r in results if not r.rule.startswith("CERT-")], "No service name rule applies yet."
        )

    def _prefill(self, input_id: str, value: str) -> None:
        """Show a path from the profile in an empty, unfocused input (never over typing)."""
        editor = self.query_one(f"#{input_id}", Input)
        if value and not editor.value and not editor.has_focus:
            editor.value = value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        event.stop()
        if not button.startswith("browse-"):
            self.flow_button = button
        if button.startswith("browse-"):
            self.browse(button.removeprefix("browse-"))
        elif button == "make-csr":
            self.make_csr()
        elif button == "assemble-pfx":
            self.assemble_pfx()
        elif button == "make-lab":
            self.make_lab()
        elif button == "lint":
            self.check_certificate()

    @work(exclusive=True, group="cert-browse", exit_on_error=False)
    async def browse(self, input_id: str) -> None:
        """Pick a path for ``input_id`` with the file browser (chain files are appended)."""
        editor = self.query_one(f"#{input_id}", Input)
        row = next(r for r in self.query(PathRow) if r.input_id == input_id)
        current = editor.value.split(",")[-1].strip() if input_id == "chain-paths" else editor.value
        if not current and input_id in {"issued-path", "chain-paths", "pfx-out"}:
            current = self.query_one("#key-path", Input).value
        choose_folder = row.folder or input_id == "pfx-out"
        picked = await self.app.push_screen_wait(
            FilePickerModal(row.label, current, choose_folder=choose_folder)
        )
        if picked is None:
            return
        if input_id == "chain-paths" and editor.value.strip():
            picked = f"{editor.value.rstrip(', ')}, {picked}"
        elif input_id == "pfx-out":
            picked = str(Path(picked) / self.default_pfx_name())
        editor.value = picked
        editor.focus()
