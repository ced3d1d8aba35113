"""The Part 1 certificate screen driven by keyboard: lab set, existing PFX, CSR, PFX import,
wildcard prefix, hostile files, and proof that passwords stay out of files and the screen."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from textual import events
from textual.app import App
from textual.widgets import Input, OptionList

from cmgtui import paths
from cmgtui.app import CmgApp
from cmgtui.model import AzureEnvironment, CertificateSource, Profile
from cmgtui.screens.main import MainScreen
from cmgtui.store import ProfileStore
from cmgtui.widgets.file_picker import FilePickerModal
from cmgtui.widgets.password_modal import PasswordModal
from tests.unit.certs import cert_factory as factory

from .conftest import current_entry, screen_text

SIZE = (120, 50)
LAB_PASSWORD = "Lab-Pfx-Pw-7391"
PFX_PASSWORD = factory.PASSWORD.decode()


def make_profile(name: str = "plan", **certificate: object) -> Profile:
    """A profile that opens on Part 1 with environment and region set."""
    profile = ProfileStore().create(name)
    profile.environment = AzureEnvironment.PUBLIC
    profile.region = "westus"
    profile.last_screen = "certificate"
    for key, value in certificate.items():
        setattr(profile.certificate, key, value)
    ProfileStore().save(profile)
    return profile


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        await pilot.press(char if char != " " else "space")


async def paste(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Paste ``text`` into the focused input, as a terminal paste does (long paths)."""
    focused = pilot.app.focused
    assert isinstance(focused, Input), f"expected an input to paste into, got {focused!r}"
    focused.post_message(events.Paste(text))
    await pilot.pause()


async def tab_to(pilot, app: CmgApp, widget_id: str, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the widget with ``widget_id`` has focus (as a keyboard user would)."""
    for _ in range(limit):
        if app.focused is not None and app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached #{widget_id}; focus is on {app.focused!r}")


async def enter_into_pane(pilot, app: CmgApp) -> None:  # type: ignore[no-untyped-def]
    for _ in range(50):
        await pilot.pause()
        if isinstance(app.screen, MainScreen) and app.screen.query("#content") and current_entry(app):
            break
    assert isinstance(app.screen, MainScreen)
    assert current_entry(app) == "certificate", screen_text(app)
    await pilot.press("enter")  # from the navigation into the pane
    await pilot.pause()


async def answer_password(pilot, app: CmgApp, password: str, twice: bool) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    assert isinstance(app.screen, PasswordModal), f"expected the password prompt, got {app.screen!r}"
    await type_text(pilot, password)
    await pilot.press("enter")
    if twice:
        await type_text(pilot, password)
        await pilot.press("enter")
    await pilot.pause()


async def settle_workers(pilot, app: CmgApp) -> None:  # type: ignore[no-untyped-def]
    """Wait for the file and crypto threads (not for flows that wait on a prompt)."""
    for _ in range(3):
        threads = [w for w in app.workers if w.group == "cert-io"]
        if threads:  # an empty list would mean "every worker", prompts included
            await app.workers.wait_for_complete(threads)
        await pilot.pause()


async def shown_from(pilot, app: CmgApp, widget_id: str) -> str:  # type: ignore[no-untyped-def]
    """Scroll the pane so ``#widget_id`` is at the top and return what is on screen."""
    await pilot.pause()
    app.screen.query_one(f"#{widget_id}").scroll_visible(top=True, animate=False, immediate=True)
    await pilot.pause()
    return screen_text(app)


def saved_text(name: str) -> str:
    """The profile file and activity log as saved on disk."""
    parts = [paths.profile_file(name).read_text()]
    log = paths.activity_log(name)
    if log.exists():
        parts.append(log.read_text())
    return "\n".join(parts)


async def test_lab_set_by_keyboard_is_made_linted_recorded_and_labelled(tmp_path: Path) -> None:
    make_profile()
    out = tmp_path / "lab out"
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await enter_into_pane(pilot, app)
        await pilot.press("enter", "down", "down", "down", "down", "enter")  # source select -> Lab
        await pilot.pause()
        assert app.profile is not None
        assert app.profile.certificate.source is CertificateSource.LAB
        assert "LAB ONLY · test certificate" in screen_text(app)
        service = app.screen.query_one("#service-name Input", Input)
        while app.focused is not service:
            await pilot.press("tab")
        await type_text(pilot, "LabGate.contoso.com")
        await tab_to(pilot, app, "lab-folder")
        await paste(pilot, str(out))
        await tab_to(pilot, app, "make-lab")
        await pilot.press("enter")
        await answer_password(pilot, app, LAB_PASSWORD, twice=True)
        await settle_workers(pilot, app)

        cert = app.profile.certificate
        assert cert.service_name == "LabGate.contoso.com"
        assert cert.pfx_path == str(out / "LabGate.contoso.com-lab.pfx")
        assert len(cert.thumbprint) == 40 and "CN=LabGate.contoso.com" in cert.subject
        assert "LAB ONLY" in cert.subject and cert.not_after is not None
        evidence = app.profile.evidence["cert.lint"]
        rules = {r["rule"]: r for r in evidence.data["results"]}
        assert rules["CERT-EKU"]["status"] == "pass" and "fix" in rules["CERT-EKU"]
        assert evidence.data["lab"] is True and evidence.summary.startswith("LAB ONLY")
        assert (out / "LabGate.contoso.com-lab-root.cer").exists()
        text = await shown_from(pilot, app, "cert-summary")
        assert "LAB ONLY certificate" in text and cert.thumbprint in text, text
        text = await shown_from(pilot, app, "lint-report")
        assert "CERT-PRIVATE-KEY" in text and "CERT-EKU" in text
        assert LAB_PASSWORD not in text
        app.save_now()
        stored = saved_text("plan")
        assert "LAB ONLY certificate for LabGate.contoso.com written to" in stored
        assert "LAB ONLY: Checked" in stored
        assert LAB_PASSWORD not in stored
        assert not app.screen.query(PasswordModal)
        assert all(LAB_PASSWORD not in editor.value for editor in app.screen.query(Input))


def write_good_pfx(folder: Path, leaf: factory.Leaf | None = None) -> Path:
    spec = leaf or factory.Leaf()
    path = folder / "server.pfx"
    path.write_bytes(factory.pfx_bytes(spec.build(), spec.leaf_key(), [factory.intermediate(), factory.root()]))
    return path


async def check_file(pilot, app: CmgApp, path: Path) -> None:  # type: ignore[no-untyped-def]
    await enter_into_pane(pilot, app)
    await tab_to(pilot, app, "pfx-path")
    await paste(pilot, str(path))
    await tab_to(pilot, app, "lint")
    await pilot.press("enter")
    await pilot.pause()
    await settle_workers(pilot, app)


async def test_existing_pfx_wrong_password_says_so_and_changes_nothing(tmp_path: Path) -> None:
    make_profile(source=CertificateSource.EXISTING_PFX, service_name="Old.contoso.com")
    pfx = write_good_pfx(tmp_path)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await check_file(pilot, app, pfx)
        assert app.profile is not None
        before = app.profile.model_dump(exclude={"updated_at", "drafts"})
        await answer_password(pilot, app, "not the password", twice=False)
        await settle_workers(pilot, app)
        after = app.profile.model_dump(exclude={"updated_at", "drafts"})
        assert after == before
        text = screen_text(app)
        assert "password" in text.lower() and "Traceback" not in text
        status = str(app.screen.query_one("#cert-status").render())
        assert "password" in status.lower()

        await tab_to(pilot, app, "lint")  # try again with the right one
        await pilot.press("enter")
        await answer_password(pilot, app, PFX_PASSWORD, twice=False)
        await settle_workers(pilot, app)
        cert = app.profile.certificate
        assert cert.service_name == factory.GOOD_CN  # taken from the CN
        assert cert.pfx_path == str(pfx) and cert.thumbprint
        assert "Service name: GraniteFalls.contoso.com" in await shown_from(pilot, app, "derived-names")
        app.save_now()
        assert PFX_PASSWORD not in saved_text("plan")
        assert PFX_PASSWORD not in screen_text(app)


async def test_hostile_file_gets_a_message_and_no_traceback(tmp_path: Path) -> None:
    make_profile(source=CertificateSource.EXISTING_PFX)
    junk = tmp_path / "junk.pfx"
    junk.write_bytes(b"\x30\x82\xff\xff" + os.urandom(300))
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await check_file(pilot, app, junk)
        assert app.profile is not None and app.profile.certificate.thumbprint == ""
        assert "cert.lint" not in app.profile.evidence
        status = str(app.screen.query_one("#cert-status").render())
        assert "junk.pfx" in status
        await check_file(pilot, app, tmp_path / "missing.pfx")
        status = str(app.screen.query_one("#cert-status").render())
        assert "missing.pfx" in status
        assert isinstance(app.screen, MainScreen)


def sign_csr(csr_pem: bytes) -> x509.Certificate:
    """Issue the CSR from the test factory's issuing CA, as an enterprise CA would."""
    request = x509.load_pem_x509_csr(csr_pem)
    return (
        x509.CertificateBuilder()
        .subject_name(request.subject)
        .issuer_name(factory.intermediate().subject)
        .public_key(request.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(factory.NOW)
        .not_valid_after(factory.NOW + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value, False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(factory.server_key_usage(), critical=True)
        .sign(factory.rsa_key(2048, 2), hashes.SHA256())
    )


async def test_csr_then_import_makes_an_encrypted_key_and_a_checked_pfx(tmp_path: Path) -> None:
    make_profile(source=CertificateSource.ENTERPRISE_PKI, service_name="GraniteFalls.contoso.com")
    out = tmp_path / "csr"
    passphrase = "Key-Passphrase-4410"
    pfx_password = "New-Pfx-Password-2208"
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await enter_into_pane(pilot, app)
        await tab_to(pilot, app, "csr-folder")
        await paste(pilot, str(out))
        await tab_to(pilot, app, "make-csr")
        await pilot.press("enter")
        await answer_password(pilot, app, passphrase, twice=True)
        await settle_workers(pilot, app)
        assert app.profile is not None
        key = out / "GraniteFalls.contoso.com.key.pem"
        csr = out / "GraniteFalls.contoso.com.csr.pem"
        assert app.profile.certificate.key_path == str(key)
        assert app.profile.certificate.csr_path == str(csr)
        assert key.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert "Web Server template" in screen_text(app)
        app.save_now()
        assert "CSR written to " + str(csr) in paths.activity_log("plan").read_text()

        issued = tmp_path / "issued.cer"
        issued.write_bytes(sign_csr(csr.read_bytes()).public_bytes(serialization.Encoding.PEM))
        chain = tmp_path / "chain.pem"
        chain.write_bytes(factory.pem(factory.intermediate(), factory.root()))
        await tab_to(pilot, app, "issued-path")
        await paste(pilot, str(issued))
        await tab_to(pilot, app, "chain-paths")
        await paste(pilot, str(chain))
        assert app.screen.query_one("#key-path", Input).value == str(key)  # filled in from step 1
        await tab_to(pilot, app, "assemble-pfx")
        await pilot.press("enter")
        await answer_password(pilot, app, passphrase, twice=False)
        await answer_password(pilot, app, pfx_password, twice=True)
        await settle_workers(pilot, app)
        cert = app.profile.certificate
        assert cert.pfx_path == str(tmp_path / "GraniteFalls.contoso.com.pfx")
        assert cert.thumbprint and cert.subject == "CN=GraniteFalls.contoso.com"
        results = {r["rule"]: r["status"] for r in app.profile.evidence["cert.lint"].data["results"]}
        assert results["CERT-PRIVATE-KEY"] == "pass" and results["CERT-CHAIN"] in {"pass", "warn"}
        app.save_now()
        stored = saved_text("plan")
        assert passphrase not in stored and pfx_password not in stored
        assert passphrase not in screen_text(app) and pfx_password not in screen_text(app)


async def test_wildcard_certificate_asks_for_the_prefix(tmp_path: Path) -> None:
    make_profile(source=CertificateSource.EXISTING_PFX)
    pfx = write_good_pfx(tmp_path, factory.Leaf(cn="*.contoso.com", sans=("*.contoso.com",)))
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await check_file(pilot, app, pfx)
        await answer_password(pilot, app, PFX_PASSWORD, twice=False)
        await settle_workers(pilot, app)
        assert "wildcard" in screen_text(app)
        await type_text(pilot, "granitefalls")
        await pilot.press("enter")
        await settle_workers(pilot, app)
        assert app.profile is not None
        cert = app.profile.certificate
        assert (cert.service_name, cert.wildcard_prefix) == ("*.contoso.com", "granitefalls")
        results = {r["rule"]: r["status"] for r in app.profile.evidence["cert.lint"].data["results"]}
        assert results["CERT-PREFIX"] == "pass"
        assert "Deployment name: granitefalls.westus.cloudapp.azure.com" in screen_text(app)


async def test_service_name_problems_and_derived_names_show_while_typing() -> None:
    make_profile(source=CertificateSource.PUBLIC_CA)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await enter_into_pane(pilot, app)
        service = app.screen.query_one("#service-name Input", Input)
        while app.focused is not service:
            await pilot.press("tab")
        await type_text(pilot, "cmg-01.contoso.com")
        await pilot.pause()
        text = screen_text(app)
        assert "contains '-'" in text
        for _ in range(len("cmg-01.contoso.com")):
            await pilot.press("backspace")
        await type_text(pilot, "*.contoso.com")
        await pilot.pause()
        assert "Derived names appear when you enter the wildcard prefix" in screen_text(app)
        await pilot.press("tab")
        await type_text(pilot, "Granite")
        await pilot.pause()
        text = screen_text(app)
        assert "Deployment name: Granite.westus.cloudapp.azure.com" in text
        assert "DNS CNAME: Granite.contoso.com → Granite.westus.cloudapp.azure.com" in text
        assert app.profile is not None and app.profile.certificate.wildcard_prefix == "Granite"


class PickerHost(App[None]):
    """A bare App that opens the file picker and keeps its answer."""

    def __init__(self, start: str, choose_folder: bool = False) -> None:
        super().__init__()
        self.start = start
        self.choose_folder = choose_folder
        self.answers: list[str | None] = []

    def on_mount(self) -> None:
        self.push_screen(FilePickerModal("Pick", self.start, choose_folder=self.choose_folder), self.answers.append)


def picker_tree(root: Path) -> Path:
    (root / "alpha" / "beta").mkdir(parents=True)
    (root / "alpha" / "beta" / "server.pfx").write_bytes(b"x")
    (root / "alpha" / "notes.txt").write_text("x")
    (root / "zeta.cer").write_bytes(b"x")
    return root


async def test_file_picker_navigates_folders_by_keyboard_and_picks_a_file(tmp_path: Path) -> None:
    root = picker_tree(tmp_path / "tree")
    app = PickerHost(str(root / "zeta.cer"))
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.pause()
        entries = app.screen.query_one("#picker-entries", OptionList)
        assert entries.get_option_at_index(entries.highlighted or 0).id == "f:zeta.cer"  # opens at the file
        text = screen_text(app)  # type: ignore[arg-type]
        assert "▸ alpha/" in text and "zeta.cer" in text
        await pilot.press("up", "enter")  # alpha/
        await pilot.pause()
        assert "▸ beta/" in screen_text(app) and "notes.txt" in screen_text(app)  # type: ignore[arg-type]
        await pilot.press("backspace")  # back up: alpha is highlighted again
        await pilot.pause()
        assert entries.get_option_at_index(entries.highlighted or 0).id == "d:alpha"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # ".." is first, then beta/
        await pilot.pause()
        assert "server.pfx" in screen_text(app)  # type: ignore[arg-type]
        await pilot.press("down", "enter")  # ".." then server.pfx
        await pilot.pause()
    assert app.answers == [str(root / "alpha" / "beta" / "server.pfx")]


async def test_file_picker_takes_a_typed_path_reports_bad_ones_and_escape_cancels(tmp_path: Path) -> None:
    root = picker_tree(tmp_path / "tree")
    app = PickerHost(str(root))
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "nope")
        await pilot.press("enter")
        await pilot.pause()
        assert "No file or folder named" in screen_text(app)  # type: ignore[arg-type]
        await pilot.press("escape")
        await pilot.pause()
    assert app.answers == [None]
    folder_app = PickerHost(str(root), choose_folder=True)
    async with folder_app.run_test(size=(90, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        for _ in range(len(str(root)) + 1):
            await pilot.press("backspace")
        await paste(pilot, str(root / "alpha"))
        await pilot.press("enter")  # a folder: shown, focus back on the list
        await pilot.pause()
        assert "notes.txt" in screen_text(folder_app)  # type: ignore[arg-type]
        await pilot.press("home", "enter")  # "Use this folder"
        await pilot.pause()
    assert folder_app.answers == [str(root / "alpha")]


async def test_status_line_says_what_part_1_still_needs() -> None:
    """Part 1 has a status line like every part: its state and what is still missing."""
    make_profile("status")
    app = CmgApp(initial_profile="status")
    async with app.run_test(size=SIZE) as pilot:
        await enter_into_pane(pilot, app)
        line = lambda: str(app.screen.query_one("#p1-status").render())  # noqa: E731
        assert line().startswith("Status: not started.") and "Still missing:" in line()
        assert "Load the server certificate (PFX)" in line()
        app.edit("certificate.source", CertificateSource.PUBLIC_CA)
        app.edit("certificate.service_name", "GraniteFalls.contoso.com")
        for _ in range(5):
            await pilot.pause()
        assert line().startswith("Status: in progress.") and "Still missing:" in line()
        assert "Status:" in screen_text(app)
