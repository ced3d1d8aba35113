"""Count issue 18's "text is text" attacks that get through, against a source tree (not a test).

    python tests/hostile/measure_text_safety.py [--src DIR]

``--src`` is the folder holding the ``cmgtui`` package to attack (default: this checkout), so the
same attacks run on the code before and after a change. Each attack runs in its own process and
``CMGTUI_HOME``. An attack gets through when a terminal escape or control character from the data
reaches the output (CLI: stdout/stderr through a pipe; TUI: the frame the App would write), when
markup from the data crashes the App or is read as markup, or when the hand-off Markdown renders a
link, image or HTML from a name. Prints one line per attack and the total.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUB = "11111111-2222-4333-8444-555555555555"
TIMEOUT = 180.0


def _hostile() -> object:
    """This checkout's hostile strings and checks, loaded by path (the tree under attack may lack them)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hostile_text", Path(__file__).with_name("hostile_text.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _toml(text: str) -> str:
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}" for c in text) + '"'


def _scenario(home: Path, tenant: str, subscription: str, group: str) -> Path:
    path = home / "scenario.toml"
    path.write_text(f"[tenant]\nname = {_toml(tenant)}\n\n[[subscriptions]]\nid = \"{SUB}\"\n"
                    f"name = {_toml(subscription)}\nroles = [\"Owner\"]\n"
                    f"resource_groups = [{{ name = {_toml(group)}, location = \"westus\" }}]\n", encoding="utf-8")
    return path


def _log_folder(home: Path, message: str = "", component: str = "LocationServices", file_part: str = "",
                folder_name: str = "Logs") -> Path:
    folder = home / folder_name
    folder.mkdir(parents=True)
    line = ("<![LOG[[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID is set " + message
            + f']LOG]!><time="11:59:00.000+480" date="10-28-2020" component="{component}" context="" '
            'type="1" thread="4200" file="lsad.cpp:1045">')
    (folder / f"Location{file_part}Services.log").write_text(f"<![LOG[before]LOG]!>\r\n{line}\r\n", encoding="utf-8")
    return folder


# -- one attack per process -------------------------------------------------------------------------

def _cli(argv: list[str], env_extra: dict[str, str] | None = None) -> tuple[str, str]:
    sys.argv = ["cmgtui", *argv]
    for key, value in (env_extra or {}).items():
        os.environ[key] = value
    import contextlib
    import io

    from cmgtui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit:
            pass
    return out.getvalue(), err.getvalue()


def _profile(name: str, edit: object) -> None:
    from cmgtui.store import ProfileStore

    store = ProfileStore()
    profile = store.create(name)
    edit(profile)  # type: ignore[operator]
    store.save(profile)


def case_cli(name: str, home: Path) -> dict[str, object]:
    h = _hostile()
    unsafe = h.unsafe_characters  # type: ignore[attr-defined]
    if name == "logs-text-osc52-message":
        out, err = _cli(["logs", "triage", str(_log_folder(home, message=h.OSC52))])
    elif name == "logs-text-osc0-component":
        out, err = _cli(["logs", "triage", str(_log_folder(home, component="Loc" + h.OSC0))])
    elif name == "logs-text-osc8-file-name":
        out, err = _cli(["logs", "triage", str(_log_folder(home, file_part=h.OSC8.replace("/", "")))])
    elif name == "logs-text-clear-screen":
        out, err = _cli(["logs", "triage", str(_log_folder(home, message=h.CLEAR + h.C1_CSI))])
    elif name == "logs-stderr-hostile-path":
        out, err = _cli(["logs", "triage", str(home / f"missing{h.OSC52}.log")])
    elif name in ("check-subscription-name", "check-resource-group-name", "sandbox-show-tenant-name"):
        scenario = _scenario(home, "Contoso" + h.OSC0, "Prod" + h.OSC52, "rg" + h.CLEAR)
        os.environ["CMGTUI_SANDBOX_SCENARIO"] = str(scenario)
        if name == "sandbox-show-tenant-name":
            out, err = _cli(["sandbox", "show"])
        else:
            from cmgtui.model import AzureEnvironment

            def edit(p: object) -> None:
                p.environment = AzureEnvironment.PUBLIC  # type: ignore[attr-defined]
                p.region = "westus"  # type: ignore[attr-defined]
                p.gateway.subscription_id = SUB  # type: ignore[attr-defined]
                p.gateway.resource_group = "rg" + h.CLEAR  # type: ignore[attr-defined]
            _profile("sandbox", edit)
            out, err = _cli(["check", "--sandbox"])
            wanted = "Prod" if name == "check-subscription-name" else "rg"
            line = next((ln for ln in out.splitlines() if wanted in ln), "")
            return {"through": bool(unsafe(line)), "shown": bool(line)}
    elif name in ("report-html-stdout", "report-json-stdout", "report-md-stdout"):
        def edit(p: object) -> None:
            p.entra.tenant_name = "Contoso" + h.OSC52 + h.C1_CSI + h.BIDI  # type: ignore[attr-defined]
        _profile("rep", edit)
        out, err = _cli(["report", "--profile", "rep", "--format", name.split("-")[1]])
    elif name == "cert-lint-subject":
        from datetime import UTC, datetime, timedelta

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cmg.contoso.com" + h.OSC52)])
        now = datetime.now(UTC)
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                .serial_number(7).not_valid_before(now - timedelta(days=1))
                .not_valid_after(now + timedelta(days=90)).sign(key, hashes.SHA256()))
        path = home / "server.cer"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        out, err = _cli(["cert", "lint", str(path)])
    elif name in ("handoff-md-link-in-tenant", "handoff-md-html-in-app-name"):
        from markdown_it import MarkdownIt

        from cmgtui.domain.handoff import HandoffSpec, steps_markdown

        spec = HandoffSpec(tenant_id="72f988bf-0000-4000-8000-00000000c0de",
                           tenant_name="Contoso [click](https://evil.example/)",
                           server_name="CMG-Server <img src=x onerror=alert(1)>", client_name="CMG-Client",
                           app_id_uri="", secret_months=12, user_discovery=False)
        html = MarkdownIt("commonmark").render(steps_markdown(spec))
        bad = "<a href=\"https://evil.example/" if name.endswith("tenant") else "<img src=\"x\""
        return {"through": bad in html or "<img" in html and name.endswith("app-name")}
    else:
        raise ValueError(name)
    return {"through": bool(unsafe(out) or unsafe(err))}


async def _tui(name: str, home: Path) -> dict[str, object]:
    import asyncio

    h = _hostile()
    from cmgtui.app import CmgApp
    from cmgtui.store import ProfileStore

    crashed: list[str] = []
    result: dict[str, object] = {}
    store = ProfileStore()
    profile = store.create("ops")
    if name.startswith("palette"):
        profile.entra.server_app.display_name = "CMG-Server[/x]"
        profile.entra.client_app.display_name = "CMG-Client[@click=app.quit]"
    store.save(profile)
    app = CmgApp(initial_profile="ops")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(50):
                await pilot.pause()
            if name.startswith("logs-pane"):
                if name == "logs-pane-folder-path-markup-crash":
                    folder = _log_folder(home, folder_name="Logs[/x]")
                elif name == "logs-pane-folder-path-click-action":
                    folder = _log_folder(home, folder_name="Logs[@click=app.quit]quit[/]")
                else:
                    folder = _log_folder(home, message=h.OSC52 + h.OSC0 + h.OSC8 + h.CLEAR,
                                         component="Loc" + h.OSC0)
                pane = await app.screen.open_pane("logs")
                await pane.start_triage([str(folder)])
                status = pane.query_one("#logs-status")
                shown = str(status.render())
                if name == "logs-pane-folder-path-click-action":
                    result["through"] = "[@click=app.quit]" not in shown
                for _ in range(400):
                    await pilot.pause(0.02)
                    if pane.result is not None:
                        break
                for _ in range(20):
                    await pilot.pause()
                if name == "logs-pane-log-osc-in-detail":
                    result["through"] = bool(h.terminal_leaks(h.app_frame(app)))
                elif name == "logs-pane-log-osc-in-raw-lines":
                    pane.query_one("#logs-findings").focus()
                    pane.action_raw()
                    for _ in range(10):
                        await pilot.pause()
                    result["through"] = bool(h.terminal_leaks(h.app_frame(app)))
            elif name == "palette-app-name-markup":
                await pilot.press("ctrl+p")
                for _ in range(20):
                    await pilot.pause()
                await pilot.press(*"look up")
                for _ in range(100):
                    await pilot.pause(0.02)
                for _ in range(12):
                    await pilot.press("down")
            elif name == "secret-dialog-app-name-markup":
                from cmgtui.widgets.secret_modal import SecretModal

                app.push_screen(SecretModal("s3cret", "0f6b1c2d-0000-4000-8000-000000000001", "2027-12-07",
                                            "CMG-Server[/x]" + h.OSC52))
                for _ in range(20):
                    await pilot.pause()
                result["through"] = bool(h.terminal_leaks(h.app_frame(app)))
            for _ in range(10):
                await pilot.pause()
            if app.return_code not in (None, 0) or not app.is_running:
                crashed.append(f"app ended (return code {app.return_code})")
    except Exception as exc:  # noqa: BLE001 - a crash is the finding
        crashed.append(type(exc).__name__)
    await asyncio.sleep(0)
    if crashed:
        return {"through": True, "crash": crashed[0]}
    result.setdefault("through", False)
    return result


CLI_CASES = ["logs-text-osc52-message", "logs-text-osc0-component", "logs-text-osc8-file-name",
             "logs-text-clear-screen", "logs-stderr-hostile-path", "check-subscription-name",
             "check-resource-group-name", "sandbox-show-tenant-name", "report-md-stdout", "report-html-stdout",
             "report-json-stdout", "cert-lint-subject", "handoff-md-link-in-tenant", "handoff-md-html-in-app-name"]
TUI_CASES = ["logs-pane-folder-path-markup-crash", "logs-pane-folder-path-click-action",
             "logs-pane-log-osc-in-detail", "logs-pane-log-osc-in-raw-lines", "palette-app-name-markup",
             "secret-dialog-app-name-markup"]


def _child(name: str) -> None:
    import asyncio

    home = Path(os.environ["CMGTUI_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    outcome = asyncio.run(_tui(name, home)) if name in TUI_CASES else case_cli(name, home)
    print("RESULT " + json.dumps(outcome))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", type=Path, default=ROOT)
    parser.add_argument("--case")
    args = parser.parse_args()
    if args.case:
        _child(args.case)
        return 0
    through = 0
    for name in [*CLI_CASES, *TUI_CASES]:
        with tempfile.TemporaryDirectory() as tmp:
            env = {k: v for k, v in os.environ.items() if not k.startswith("CMGTUI_")}
            env.update(PYTHONPATH=str(args.src.resolve()), CMGTUI_HOME=str(Path(tmp) / "home"))
            try:
                done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--case", name], env=env,
                                      capture_output=True, text=True, timeout=TIMEOUT, cwd=tmp,
                                      stdin=subprocess.DEVNULL, errors="replace")
                line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), "")
                outcome = json.loads(line[7:]) if line else {"through": True, "error": done.stderr[-300:]}
            except subprocess.TimeoutExpired:
                outcome = {"through": True, "error": "hang"}
        through += bool(outcome.get("through"))
        print(f"{'THROUGH' if outcome.get('through') else 'held   '}  {name}  {json.dumps(outcome)}", flush=True)
    total = len(CLI_CASES) + len(TUI_CASES)
    print(f"{through} of {total} attacks got through ({args.src})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
