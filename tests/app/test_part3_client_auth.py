"""Part 3 (client authentication) driven by keyboard: the decision, methods, PKI and tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from textual.widgets import Input, Select

from cmgtui.app import CmgApp
from cmgtui.model import AzureEnvironment, Profile
from cmgtui.model.enums import ClientAuthMethod as M
from cmgtui.model.enums import ManagementPointMode
from cmgtui.store import ProfileStore
from cmgtui.widgets.fields import SelectField

from .conftest import current_entry, paste, ready, screen_text, until

SIZE = (120, 60)


def _profile(**client_auth: object) -> CmgApp:
    profile = Profile(name="plan", environment=AzureEnvironment.PUBLIC, region="westus", last_screen="client_auth")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.site.site_version = 2309
    for key, value in client_auth.items():
        setattr(profile.client_auth, key, value)
    ProfileStore().save(profile)
    return CmgApp(initial_profile="plan")


async def _answer(pilot, yes: bool) -> None:  # type: ignore[no-untyped-def]
    """Open the focused select and choose Yes (first) or No (second)."""
    await pilot.press("enter", "down", *([] if yes else ["down"]), "enter")
    await pilot.pause()


def pane_text(app: CmgApp) -> str:
    """What the content pane shows, lines joined with single spaces (wrapped phrases stay whole)."""
    lines = [line.split("▎", 1)[1] if "▎" in line else line for line in screen_text(app).splitlines()[1:-3]]
    return " ".join(" ".join(lines).split())


async def _show(app: CmgApp, selector: str, pilot) -> str:  # type: ignore[no-untyped-def]
    """Scroll ``selector`` to the top of the pane and return the pane's visible text."""
    await pilot.pause()
    app.screen.query_one(selector).scroll_visible(animate=False, top=True)
    await pilot.pause()
    await pilot.pause()
    return pane_text(app)


#: (name, answers to the three questions, the methods recommended, a phrase of the advice).
DECISION_PATHS = [
    ("entra", (True, False, False), [M.ENTRA], "only method that also authenticates users"),
    ("entra+pki", (True, True, False), [M.ENTRA, M.PKI], "/UsePKICert"),
    ("pki+token", (False, True, True), [M.PKI, M.TOKEN], "New internet-only devices can't enrol"),
    ("token-only", (False, False, False), [M.TOKEN], "Without Entra join or client certificates"),
    ("entra-new-devices", (True, False, True), [M.ENTRA], "as an Intune app"),
]
QUESTIONS = ("devices_entra_joined", "has_client_pki", "new_internet_only_devices")


async def _decide(pilot, answers: tuple[bool, bool, bool], expected: list[M], phrase: str) -> None:  # type: ignore[no-untyped-def]
    """With the focus on the first question: answer the three, read the advice, use it."""
    app = pilot.app
    part = app.profile.client_auth
    for field, yes in zip(QUESTIONS, answers, strict=True):
        await _answer(pilot, yes)
        await until(pilot, lambda f=field, y=yes: getattr(part, f) is y)
        await pilot.press("tab")
    assert (part.devices_entra_joined, part.has_client_pki, part.new_internet_only_devices) == answers
    assert phrase in await _show(app, "#ca-advice", pilot)
    assert app.focused is not None and app.focused.id == "ca-use-advice"
    await pilot.press("enter")
    await until(pilot, lambda: part.methods == expected)
    # the pane redraws after the frame that showed the key: wait for the sections it shows
    sections = ("#ca-pki", "#ca-token", "#ca-entra")
    wanted = tuple(method in expected for method in (M.PKI, M.TOKEN, M.ENTRA))
    await until(pilot, lambda: tuple(app.screen.query_one(s).display for s in sections) == wanted)


def _unanswered(profile: Profile) -> None:
    for field in QUESTIONS:
        setattr(profile.client_auth, field, None)
    profile.client_auth.methods = []


async def test_each_decision_path_recommends_and_applies() -> None:
    """Every path in one App (an App start costs more than a path): each starts from nothing
    answered and no method, with the focus on the first question."""
    app = _profile()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert current_entry(app) == "client_auth"
        await pilot.press("enter")  # from the navigation into the pane: first question
        assert app.profile is not None
        part = app.profile.client_auth
        for index, (name, answers, expected, phrase) in enumerate(DECISION_PATHS):
            if index:
                app.mutate(_unanswered, "Start the questions again")
                await until(pilot, lambda: part.methods == [] and all(getattr(part, f) is None for f in QUESTIONS))
                first = next(row for row in app.screen.query(SelectField) if row.path == f"client_auth.{QUESTIONS[0]}")
                first.query_one(Select).focus()
                await pilot.pause()
            try:
                await _decide(pilot, answers, expected, phrase)
            except AssertionError as problem:
                raise AssertionError(f"decision path {name}: {problem}") from problem


async def test_partial_answers_say_what_is_still_open() -> None:
    app = _profile(devices_entra_joined=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await _show(app, "#ca-advice", pilot)
        assert "Recommended: Microsoft Entra ID." in text
        assert "Still to answer: Does an enterprise PKI" in text


async def test_ticking_methods_by_keyboard_and_a_misfit_is_explained() -> None:
    app = _profile(devices_entra_joined=False, has_client_pki=False, new_internet_only_devices=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.query_one("#method-entra").focus()
        await pilot.press("space")
        assert app.profile is not None
        await until(pilot, lambda: app.profile.client_auth.methods == [M.ENTRA])  # type: ignore[union-attr]
        text = await _show(app, "#ca-methods", pilot)
        assert "aren't Entra joined or hybrid joined" in text
        await pilot.press("space")
        await until(pilot, lambda: app.profile.client_auth.methods == [])  # type: ignore[union-attr]
        await pilot.press("tab", "tab", "space")
        await until(pilot, lambda: app.profile.client_auth.methods == [M.TOKEN])  # type: ignore[union-attr]
        text = await _show(app, "#ca-rules", pilot)
        assert "CA-METHOD-FIT" in text and "The chosen methods fit the devices as far as the answers go." in text


def _ca_file(folder: Path, name: str, *, root: bool = True, with_key: bool = False) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=root, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    path = folder / f"{name.replace(' ', '-')}.cer"
    data = cert.public_bytes(serialization.Encoding.PEM if with_key else serialization.Encoding.DER)
    if with_key:
        data += key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    path.write_bytes(data)
    return path


async def test_trusted_root_is_checked_stored_and_removable(tmp_path: Path) -> None:
    root = _ca_file(tmp_path, "Contoso Root CA")
    app = _profile(methods=[M.PKI], has_client_pki=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        field = app.screen.query_one("#trusted-path", Input)
        field.focus()
        await paste(pilot, str(tmp_path / "nope.cer"))
        await pilot.pause()
        assert "doesn't exist; check the path." in await _show(app, "#trusted-problem", pilot)
        field.value = ""
        await paste(pilot, str(root))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        assert app.profile is not None
        await until(pilot, lambda: bool(app.profile.client_auth.trusted_certificates))  # type: ignore[union-attr]
        certs = app.profile.client_auth.trusted_certificates
        assert len(certs) == 1 and certs[0].is_root and certs[0].subject == "CN=Contoso Root CA"
        assert len(certs[0].thumbprint) == 40 and certs[0].not_after is not None
        text = await _show(app, "#ca-trusted", pilot)
        assert "root: CN=Contoso Root CA" in text
        assert "TRUST-PRESENT" in text and "1 root and 0 intermediate certificate(s)." in text
        rules = await _show(app, "#ca-rules", pilot)
        assert "1 trusted CA certificate(s) including a root." in rules
        # the script uploads it from the site server: a Windows folder there, suggested, never this one's
        assert app.profile.client_auth.site_ca_folder == "C:\\CMG"
        shown = " ".join((await _show(app, "#ca-site-folder", pilot)).split())
        assert "Folder of these .cer files on the site server" in shown and "C:\\CMG" in shown
        editor = app.screen.query_one("#ca-site-folder").query_one(Input)
        editor.focus()
        await pilot.press("ctrl+u")
        await paste(pilot, str(tmp_path))
        await until(pilot, lambda: "is a path on this machine, not on the site server" in " ".join(pane_text(app).split()))
        app.screen.query_one("#ca-trusted").add_path(str(root))  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
        assert "That file's certificates are already in the list." in await _show(app, "#trusted-problem", pilot)
        assert len(app.profile.client_auth.trusted_certificates) == 1
        app.screen.query_one("#trusted-list").focus()
        await pilot.press("down")
        app.screen.query_one("#trusted-remove").focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.profile.client_auth.trusted_certificates == [])  # type: ignore[union-attr]


async def test_bad_trusted_files_get_one_line_reasons(tmp_path: Path) -> None:
    leaf = _ca_file(tmp_path, "not a ca", root=False)
    keyed = _ca_file(tmp_path, "keyed root", with_key=True)
    junk = tmp_path / "junk.cer"
    junk.write_bytes(b"hello")
    app = _profile(methods=[M.PKI])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        panel = app.screen.query_one("#ca-trusted")
        panel.add_path(str(keyed))  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "holds a private key" in await _show(app, "#trusted-problem", pilot)
        panel.add_path(str(junk))  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.profile is not None and app.profile.client_auth.trusted_certificates == []
        assert "junk.cer" in await _show(app, "#trusted-problem", pilot)
        panel.add_path(str(leaf))  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = await _show(app, "#ca-trusted", pilot)
        assert "is not a CA certificate" in text
        assert "Traceback" not in screen_text(app)
        # Issue 10.2: the same failure in the engine (Part 4 pre-flight, check, report) and the script.
        from cmgtui.domain.powershell import missing_values
        from cmgtui.domain.rules.checks import evaluate

        await until(pilot, lambda: bool(app.profile.client_auth.trusted_certificates))
        roots = next(r for r in evaluate(app.profile) if r.rule == "CA-TRUSTED-ROOTS")
        assert roots.status.value == "fail" and "TRUST-CA: " in roots.message and "is not a CA" in roots.message
        assert any("not uploaded as -CARootCert" in m for m in missing_values(app.profile))


async def test_token_lifetime_validates_and_builds_the_tool_command() -> None:
    app = _profile(methods=[M.TOKEN])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "BulkRegistrationTokenTool.exe /new /lifetime 4320" in await _show(app, "#ca-token", pilot)
        field = app.screen.query_one("#ca-token-panel IntField Input", Input)
        field.focus()
        await pilot.press("ctrl+a", "backspace")  # clear the field
        field.value = ""
        await paste(pilot, "20000")
        await until(pilot, lambda: app.profile.client_auth.token_lifetime_minutes == 20000)  # type: ignore[union-attr]
        text = await _show(app, "#ca-token", pilot)
        assert "20,000 is out of range; enter a number from 1 to 10,080." in text
        assert "Command not shown" in text
        field.value = "20000"
        await pilot.press("a", "b", "c")  # a number field refuses letters it can never hold
        assert field.value == "20000"
        field.value = ""
        await paste(pilot, "1440")
        await until(pilot, lambda: app.profile.client_auth.token_lifetime_minutes == 1440)  # type: ignore[union-attr]
        assert "BulkRegistrationTokenTool.exe /new /lifetime 1440" in await _show(app, "#ca-token", pilot)
        app.screen.query_one("#token-copy").focus()
        await pilot.press("enter")
        assert app.clipboard == "BulkRegistrationTokenTool.exe /new /lifetime 1440"


async def test_issued_tokens_keep_tracking_id_and_expiry_only() -> None:
    app = _profile(methods=[M.TOKEN])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        tracking = app.screen.query_one("#token-tracking", Input)
        tracking.focus()
        await paste(pilot, "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl")
        await pilot.press("enter")
        await pilot.pause()
        assert "looks like the token itself" in await _show(app, "#token-problem", pilot)
        assert app.profile is not None and app.profile.client_auth.bulk_tokens == []
        tracking.value = ""
        await paste(pilot, "6F1A2B3C-1111-2222-3333-444455556666")
        await pilot.press("tab")
        await paste(pilot, "2026-13-01")
        await pilot.press("enter")
        await pilot.pause()
        assert "isn't a date" in await _show(app, "#token-problem", pilot)
        app.screen.query_one("#token-expires", Input).value = ""
        await paste(pilot, "2030-01-02 03:04")
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.profile.client_auth.bulk_tokens))  # type: ignore[union-attr]
        tokens = app.profile.client_auth.bulk_tokens
        assert [(t.tracking_id, t.expires_at) for t in tokens] == [
            ("6f1a2b3c-1111-2222-3333-444455556666", datetime(2030, 1, 2, 3, 4, tzinfo=UTC))]
        assert "6f1a2b3c-1111-2222-3333-444455556666 · expires 2030-01-02 03:04 UTC" in await _show(
            app, "#token-list", pilot)


async def test_revocation_consequence_and_https_cmgcp_certificate() -> None:
    app = _profile(methods=[M.PKI], crl_published=False, management_point_mode=ManagementPointMode.HTTPS)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await _show(app, "#ca-crl-text", pilot)
        assert "raises CMG traffic and Azure egress cost" in text
        assert app.screen.query_one("#ca-cmgcp-cert").display
        box = app.screen.query_one("#ca-pki CheckField Checkbox")  # verify client certificate revocation
        box.focus()
        await pilot.press("space")
        assert app.profile is not None
        await until(pilot, lambda: app.profile.gateway.check_client_cert_revocation is False)  # type: ignore[union-attr]
        text = await _show(app, "#ca-crl-text", pilot)
        assert "a revoked client certificate still works" in text
        rules = await _show(app, "#ca-rules", pilot)
        assert "Client certificate revocation checking is off." in rules


async def test_mp_mode_http_is_explained_as_unsupported() -> None:
    app = _profile(methods=[M.ENTRA], management_point_mode=ManagementPointMode.HTTP)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await _show(app, "#ca-mp-text", pilot)
        assert "HTTP-only sites can't serve CMG clients" in text
        rules = await _show(app, "#ca-rules", pilot)
        assert "Management point must be HTTPS or the site must use Enhanced HTTP." in rules
