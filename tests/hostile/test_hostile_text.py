"""Text is text: markup and escape sequences from logs, Azure, Graph, files and profiles are
shown, never obeyed, by the one display function and by every CLI text output.

The TUI's displays are in ``test_hostile_text_tui.py``.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from markdown_it import MarkdownIt
from textual.content import Content

from cmgtui.cli import main
from cmgtui.domain.display_text import markdown_code, markdown_text, markup_text, visible
from cmgtui.domain.handoff import HandoffSpec, steps_markdown
from cmgtui.model import AzureEnvironment
from cmgtui.store import ProfileStore
from tests.hostile.corpus import bounded
from tests.hostile.hostile_text import (
    CLEAR,
    MARKDOWN_ATTACKS,
    ONE_LINE,
    OSC0,
    OSC8,
    OSC52,
    hostile_text,
    unsafe_characters,
)
from tests.unit.certs.cert_factory import rsa_key
from tests.unit.logs.logbuilder import cm_line, log_text

SUB = "11111111-2222-4333-8444-555555555555"
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                             HealthCheck.too_slow])
#: ``[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID is set`` (a client's LocationServices.log
#: line, as the Logs pane test uses it) matches LOG-CLIENT-CERT-CN-INVALID.
CN_INVALID = "[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID is set"


def _run(capsys: pytest.CaptureFixture[str], argv: list[str], seconds: float = 10.0) -> tuple[int, str, str]:
    code = bounded(lambda: main(argv), seconds)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _shown_not_obeyed(output: str) -> None:
    """No character that drives a terminal, and the attack shown as placeholders instead."""
    assert unsafe_characters(output) == []
    assert "␛]52;c;" in output or "␛]0;" in output or "␛]8;" in output


def _toml(text: str) -> str:
    """``text`` as a TOML basic string (every non-printable character as \\UXXXXXXXX)."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}" for c in text) + '"'


# -- the function -------------------------------------------------------------------------------

@given(hostile_text)
@settings(max_examples=400)
def test_visible_leaves_nothing_that_drives_a_terminal(text: str) -> None:
    assert unsafe_characters(visible(text)) == []
    assert "\n" not in visible(text)
    kept = visible(text, keep_lines=True)
    assert unsafe_characters(kept) == [] and kept.count("\n") == text.count("\n")


@given(hostile_text)
@settings(max_examples=400)
def test_markup_text_reads_back_as_the_visible_text_inside_any_tag(text: str) -> None:
    for template in ("{}", "[b]{}[/b]", "[@click=app.bell]{}[/]x", "{}[/b]"):
        try:
            wanted = Content.from_markup(template.format("SAFE")).plain.replace("SAFE", visible(text))
        except Exception:  # noqa: BLE001 - a template Textual itself refuses ("[/b]" alone) is not a case
            continue
        assert Content.from_markup(template.format(markup_text(text))).plain.replace("\u200b", "") == wanted


_MD = MarkdownIt("commonmark")


@given(hostile_text)
@settings(max_examples=300)
def test_markdown_text_and_code_render_as_plain_text(text: str) -> None:
    prose = _MD.render(f"Tenant: {markdown_text(text)}")
    assert prose.startswith("<p>Tenant:") and prose.count("<") == 2, prose  # <p> and </p> only
    if not visible(text).strip():
        return  # a name is never empty; an empty code span is no code span
    code = _MD.render(f"Name: {markdown_code(text)}")
    assert code.count("<code>") == 1 and code.count("<") == 4, code  # <p><code></code></p>


def test_placeholders_name_what_was_there() -> None:
    assert visible(OSC52) == "␛]52;c;SElKQUNLRUQ=␇"
    assert visible("\x9b2J\u202ex\x7f\udcff") == "⟨U+009B⟩2J⟨U+202E⟩x␡⟨U+DCFF⟩"
    assert visible("a\r\nb") == "a␍␊b" and visible("a\r\nb", keep_lines=True) == "a␍\nb"


# -- the hand-off package --------------------------------------------------------------------------

def test_hand_off_steps_carry_no_link_html_or_emphasis_from_names() -> None:
    hostile = "CMG" + "".join(MARKDOWN_ATTACKS)
    spec = HandoffSpec(tenant_id="72f988bf-0000-4000-8000-00000000c0de", tenant_name=hostile + OSC52,
                       server_name="Server " + hostile, client_name="Client `x` " + hostile + OSC0,
                       app_id_uri="", secret_months=12, user_discovery=False)
    steps = steps_markdown(spec)
    html = _MD.render(steps)
    for tag in ("<a ", "<img", "<em>", "<strong>", "<script", "onerror=alert(1)>"):
        assert tag not in html, tag
    assert "https://evil.example" in html  # the names are shown, as text
    assert unsafe_characters(steps) == [] and "␛\\]52;" in steps  # shown, its bracket escaped
    assert "<code>Client `x` CMG[click](https://evil.example/)" in html  # a code span holds the whole name


# -- CLI text outputs -------------------------------------------------------------------------------

def _hostile_logs(folder: Path, hostile: str) -> Path:
    """A Logs folder whose path, component and matched message carry ``hostile``.

    The log keeps its catalogued name (LocationServices.log): the component that wrote an entry,
    and else the file's name, decides which signatures apply, so the hostile text goes into the
    folder's name, the entry's component and its message.
    """
    folder = folder.with_name(folder.name + "".join(c for c in hostile if c not in "/\x00")[:60])
    folder.mkdir(parents=True, exist_ok=True)
    safe_for_cmtrace = hostile.replace('"', "'").replace("\r", " ").replace("\n", " ").replace("]LOG]!>", "")
    name = "LocationServices.log"
    (folder / name).write_text(log_text(
        cm_line(f"{CN_INVALID} {safe_for_cmtrace}", component="Location" + safe_for_cmtrace[:40])),
        encoding="utf-8", errors="surrogateescape")
    return folder


def test_logs_triage_text_shows_osc_52_0_8_and_clear_screen_as_text(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _hostile_logs(tmp_path / "Logs", OSC52 + OSC0 + OSC8 + CLEAR + "[/x][@click=app.quit]")
    code, out, err = _run(capsys, ["logs", "triage", str(folder)])
    assert code in (0, 1) and "LOG-CLIENT-CERT-CN-INVALID" in out, (out, err)
    _shown_not_obeyed(out)
    assert "␛[2J" in out and "␛]8;;https://evil.example/" in out
    assert unsafe_characters(err) == []
    code, out, _ = _run(capsys, ["logs", "triage", str(folder), "--format", "json"])
    data = json.loads(out)
    finding = data["findings"][0]
    assert OSC52 in finding["component"] + finding["message"]  # JSON keeps the data, \u-escaped
    assert unsafe_characters(out) == []


@given(hostile_text)
@EXAMPLES
def test_logs_triage_text_never_passes_a_control_character(tmp_path_factory: pytest.TempPathFactory,
                                                           capsys: pytest.CaptureFixture[str], text: str) -> None:
    folder = _hostile_logs(tmp_path_factory.mktemp("logs") / "Logs", text)
    _code, out, err = _run(capsys, ["logs", "triage", str(folder)])
    assert unsafe_characters(out) == [] and unsafe_characters(err) == []


def test_an_unreadable_hostile_path_is_named_on_stderr_as_text(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(capsys, ["logs", "triage", str(tmp_path / f"missing{OSC52}{OSC0}.log")])
    assert code == 2 and unsafe_characters(err) == [] and "␛]52;" in err


def _scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tenant: str, subscription: str, group: str) -> None:
    path = tmp_path / "hostile.toml"
    path.write_text(f"[tenant]\nname = {_toml(tenant)}\n\n[[subscriptions]]\nid = \"{SUB}\"\n"
                    f"name = {_toml(subscription)}\nroles = [\"Owner\"]\n"
                    f"resource_groups = [{{ name = {_toml(group)}, location = \"westus\" }}]\n", encoding="utf-8")
    monkeypatch.setenv("CMGTUI_SANDBOX_SCENARIO", str(path))


def test_check_and_sandbox_show_print_azure_names_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _scenario(tmp_path, monkeypatch, "Contoso" + OSC0 + "[/x]", "Prod" + OSC52 + "[b]", "rg" + CLEAR + OSC8)
    store = ProfileStore()
    profile = store.create("sandbox")
    profile.environment = AzureEnvironment.PUBLIC
    profile.region = "westus"
    profile.gateway.subscription_id = SUB
    profile.gateway.resource_group = "rg" + CLEAR + OSC8
    store.save(profile)
    _code, out, err = _run(capsys, ["check", "--sandbox"], seconds=90.0)  # a whole live check on a busy box
    _shown_not_obeyed(out)
    assert "Prod␛]52;c;SElKQUNLRUQ=␇[b]" in out and "rg␛[2J␛[H" in out
    assert unsafe_characters(err) == []
    code, out, _ = _run(capsys, ["sandbox", "show"])
    assert code == 0
    _shown_not_obeyed(out)
    assert "Tenant Contoso␛]0;pwned-title␇[/x]" in out


@given(hostile_text)
@EXAMPLES
def test_sandbox_show_never_passes_a_control_character(tmp_path_factory: pytest.TempPathFactory,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str], text: str) -> None:
    name = "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF).strip() or "x"
    _scenario(tmp_path_factory.mktemp("scenario"), monkeypatch, name, name, name)
    code, out, err = _run(capsys, ["sandbox", "show"])
    assert code == 0, err
    assert unsafe_characters(out) == [] and unsafe_characters(err) == []


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_report_to_stdout_shows_profile_values_as_text(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = ProfileStore()
    profile = store.create("rep")
    profile.entra.tenant_name = ONE_LINE
    profile.entra.server_app.display_name = "Server " + ONE_LINE
    profile.gateway.resource_group = "rg" + CLEAR
    store.save(profile)
    code, out, _ = _run(capsys, ["report", "--profile", "rep", "--format", fmt])
    assert code == 0
    assert unsafe_characters(out) == []
    if fmt == "md":
        html = _MD.render(out)
        assert "<a " not in html and "<img" not in html and "onerror=alert(1)>" not in html
    if fmt == "json":
        assert ONE_LINE in out or json.loads(out)  # escaped JSON is still the data


def test_cert_lint_shows_a_hostile_subject_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = rsa_key(2048, 0)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cmg.contoso.com" + OSC52 + OSC0 + "[/x]")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(7).not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=90))
            .sign(key, hashes.SHA256()))
    path = tmp_path / f"server{OSC0}.cer"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _code, out, err = _run(capsys, ["cert", "lint", str(path)])
    _shown_not_obeyed(out)
    assert unsafe_characters(err) == []


_HANDLER_PRINTS_HOSTILE = """
import argparse, sys
from cmgtui.cli import _run_headless
def handler(args):
    print("stdout " + sys.argv[1])
    print("stderr " + sys.argv[1], file=sys.stderr)
    return 0
sys.exit(_run_headless(handler, argparse.Namespace()))
"""


def test_whatever_a_command_prints_to_a_terminal_or_stderr_is_made_visible(tmp_path: Path) -> None:
    """The last line of defence: on a terminal (stdout) and always on stderr, the CLI's streams
    replace control characters, whatever printed them."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-c", _HANDLER_PRINTS_HOSTILE, OSC52 + CLEAR], stdout=follower,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60, cwd=tmp_path)
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: everything was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    out = shown.decode("utf-8").replace("\r\n", "\n")
    err = done.stderr.decode("utf-8")
    assert done.returncode == 0
    assert out == "stdout ␛]52;c;SElKQUNLRUQ=␇␛[2J␛[H\n"
    assert err == "stderr ␛]52;c;SElKQUNLRUQ=␇␛[2J␛[H\n"
