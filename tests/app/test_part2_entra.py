"""Part 2 (Microsoft Entra ID) on the sandbox tenant, driven by keyboard.

Creation through Graph (shapes, idempotency, the one-time secret, throttling), the role
refusal with its hand-off package, import-and-verify of good and broken apps, resume after an
interrupted creation, and inline validation of what is typed.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from cmgtui import paths
from cmgtui.app import CmgApp
from cmgtui.domain.handoff import MANIFEST_FILE, STEPS_FILE
from cmgtui.model import Profile
from cmgtui.model.enums import EntraPath
from cmgtui.widgets.modals import ConfirmModal, NameModal
from cmgtui.store import ProfileStore
from cmgtui.widgets.secret_modal import SecretModal

from .conftest import current_entry, paste, ready, screen_text, until

SIZE = (120, 50)
BROKER = "ms-appx-web://Microsoft.AAD.BrokerPlugin/"


def _app(**entra: object) -> CmgApp:
    profile = Profile(name="sandbox", last_screen="entra")
    for key, value in entra.items():
        setattr(profile.entra, key, value)
    ProfileStore().save(profile)
    return CmgApp(initial_profile="sandbox", sandbox=True)


async def _start(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await ready(pilot)
    assert current_entry(app) == "entra"
    await until(pilot, lambda: app.cloud.signed_in)


async def _tab_to(pilot, widget_id: str) -> None:  # type: ignore[no-untyped-def]
    """Press tab until the widget ``widget_id`` (or an input inside it) has focus."""
    for _ in range(40):
        focused = pilot.app.focused
        if focused is not None and (focused.id == widget_id or any(
                node.id == widget_id for node in focused.ancestors_with_self)):
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}")


async def _choose_path(pilot, index: int) -> None:  # type: ignore[no-untyped-def]
    """From the navigation: into the pane, open the path select and pick option ``index`` (1-3)."""
    await pilot.press("enter")
    await _tab_to(pilot, "entra")
    await pilot.press("enter", *(["down"] * index), "enter")
    await pilot.pause()


def _apps(app: CmgApp) -> list[dict]:
    assert app.cloud.sandbox is not None
    state = app.cloud.sandbox.state
    with state.lock:
        return [dict(a) for a in state.applications.values()]


async def _name_secret_file(pilot, target: Path) -> None:  # type: ignore[no-untyped-def]
    """Answer the dialog asking for the new secret's file with ``target``."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, NameModal))
    await pilot.press("ctrl+u")  # the suggested name goes
    await paste(pilot, str(target))
    await pilot.press("enter")


async def _create(pilot, *, expect_secret: bool) -> str | None:  # type: ignore[no-untyped-def]
    """Press Create, confirm, wait; returns the secret shown (copied via the modal), if any."""
    app = pilot.app
    await _tab_to(pilot, "p2-create-apps")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
    question = str(app.screen.query_one(".dialog-text").render())
    assert "user_impersonation" in question and "http://localhost" in question
    # the confirmation promises a new secret only when one will be added (issue 20)
    said = " ".join(question.split())
    assert ("(shown once)" in said) is expect_secret
    assert ("No new client secret" in said and "keeps the one saved earlier" in said) is not expect_secret
    await pilot.press("y")
    target = paths.home().parent / f"secret-{len(list(paths.home().parent.glob('secret-*')))}.txt"
    await _name_secret_file(pilot, target)
    if not expect_secret:
        await until(pilot, lambda: "no new secret was added" in screen_text(app))
        assert not target.exists()
        return None
    await until(pilot, lambda: isinstance(app.screen, SecretModal))
    await pilot.press("enter")  # Copy has focus
    secret = app.clipboard
    assert secret and secret in screen_text(app)
    assert target.read_text(encoding="utf-8") == secret + "\n" and target.stat().st_mode & 0o777 == 0o600
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, SecretModal))
    return secret


async def test_create_both_apps_by_keyboard_then_again_without_duplicates() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        # The default scenario lags like real Graph: new objects are invisible for a few requests.
        assert app.cloud.sandbox.state.scenario.behaviour.replication_reads == 2
        await _choose_path(pilot, 2)
        assert app.profile is not None and app.profile.entra.path is EntraPath.CREATE_HERE
        secret = await _create(pilot, expect_secret=True)
        assert secret is not None
        lagged = [r for r in app.cloud.sandbox.requests if r.path.startswith("/v1.0") and r.status in (400, 404)]
        assert lagged, "the creation met replication lag and waited it out on the first try"
        entra = app.profile.entra
        tenant = app.cloud.sandbox.state.tenant_id
        assert entra.tenant_id == tenant and entra.tenant_name == "Contoso"
        assert entra.server_app.app_id_uri == f"api://{tenant}/ConfigMgrService"
        assert entra.server_app.secret_key_id and entra.server_app.secret_expiry is not None
        apps = _apps(app)
        assert len(apps) == 2
        server = next(a for a in apps if a["displayName"] == "CMG-ServerApp")
        client = next(a for a in apps if a["displayName"] == "CMG-ClientApp")
        assert (entra.server_app.app_id, entra.server_app.object_id) == (server["appId"], server["id"])
        assert (entra.client_app.app_id, entra.client_app.object_id) == (client["appId"], client["id"])
        # Domain sheet §4: server app shape.
        assert server["signInAudience"] == "AzureADMyOrg"
        assert server["web"]["redirectUris"] == ["http://localhost"]
        assert server["web"]["implicitGrantSettings"]["enableIdTokenIssuance"] is True
        assert server["identifierUris"] == [f"api://{tenant}/ConfigMgrService"]
        scope = server["api"]["oauth2PermissionScopes"][0]
        assert (scope["value"], scope["type"], scope["isEnabled"]) == ("user_impersonation", "User", True)
        assert len(server["passwordCredentials"]) == 1
        # Client app shape.
        assert client["isFallbackPublicClient"] is True
        assert client["publicClient"]["redirectUris"] == [BROKER + client["appId"]]
        assert client["web"]["implicitGrantSettings"]["enableIdTokenIssuance"] is True
        resources = {r["resourceAppId"] for r in client["requiredResourceAccess"]}
        assert server["appId"] in resources
        # Admin consent, as read back by the verification evidence.
        apps_ev = app.profile.evidence["graph.apps"].data
        assert apps_ev["client"]["consented_scopes"] == ["user_impersonation"]
        state = app.cloud.sandbox.state
        with state.lock:
            assert sum(1 for g in state.grants.values() if g["consentType"] == "AllPrincipals") == 2
        # The values to carry into ConfigMgr are on screen.
        text = screen_text(app)
        assert entra.server_app.app_id in text and entra.client_app.app_id in text
        # Run it again: no second app, no second secret, nothing lost.
        await _create(pilot, expect_secret=False)
        apps_again = _apps(app)
        assert len(apps_again) == 2
        assert len(next(a for a in apps_again if a["id"] == server["id"])["passwordCredentials"]) == 1
        assert app.profile.entra.server_app.secret_key_id == entra.server_app.secret_key_id
        assert secret not in screen_text(app)
        app.save_now()
    assert secret not in paths.profile_file("sandbox").read_text(encoding="utf-8")
    assert secret not in paths.activity_log("sandbox").read_text(encoding="utf-8")
    assert secret not in paths.operations_journal("sandbox").read_text(encoding="utf-8")
    assert "Create the Entra apps: done" in paths.activity_log("sandbox").read_text(encoding="utf-8")


async def test_creation_survives_a_429_storm_and_streams_its_log() -> None:
    app = _app(path=EntraPath.CREATE_HERE, user_discovery=True)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        app.cloud.sandbox.faults.update(throttle=3, retry_after=0, match="/v1.0/applications")
        await pilot.press("enter")
        await _create(pilot, expect_secret=True)
        statuses = [r.status for r in app.cloud.sandbox.requests if "/v1.0/applications" in r.path]
        assert statuses.count(429) == 3
        assert len(_apps(app)) == 2
        log_text = "\n".join(str(line) for line in app.screen.query_one("#p2-log").lines)
        assert "Creating app registration 'CMG-ServerApp'" in log_text
        assert "Directory.Read.All" in log_text
        assert app.profile.evidence["graph.apps"].data["server"]["app_roles_granted"] == ["Directory.Read.All"]


async def test_user_without_the_role_is_told_and_can_write_the_hand_off_package(tmp_path: Path) -> None:
    app = _app(path=EntraPath.CREATE_HERE)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        app.cloud.sandbox.state.set_user_roles([])
        await pilot.press("enter")
        await _tab_to(pilot, "p2-create-apps")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        question = str(app.screen.query_one(".dialog-text").render())
        assert "Global Administrator" in question and "hand-off package" in question
        pane_message = str(app.screen_stack[-2].query_one("#p2-message").render())
        assert "needs the Global Administrator role in Microsoft Entra ID" in pane_message
        assert "hand-off package" in pane_message
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, NameModal))
        editor = app.screen.query_one(Input)
        editor.value = ""
        await paste(pilot, str(tmp_path / "handoff"))
        await pilot.press("enter")
        await until(pilot, lambda: (tmp_path / "handoff" / STEPS_FILE).exists())
        assert _apps(app) == []
        message = str(app.screen.query_one("#p2-message").render())
        assert "Hand-off package written" in message
        # Writing again asks before overwriting; declining keeps the files.
        (tmp_path / "handoff" / MANIFEST_FILE).write_text("mine", encoding="utf-8")
        await _tab_to(pilot, "p2-handoff")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, NameModal))
        editor = app.screen.query_one(Input)
        editor.value = str(tmp_path / "handoff")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert "Overwrite" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("n")
        await pilot.pause()
    assert (tmp_path / "handoff" / MANIFEST_FILE).read_text(encoding="utf-8") == "mine"
    steps = (tmp_path / "handoff" / STEPS_FILE).read_text(encoding="utf-8")
    assert "Global Administrator" in steps and "CMG-ServerApp" in steps


async def _verify(pilot) -> str:  # type: ignore[no-untyped-def]
    app = pilot.app
    await _tab_to(pilot, "p2-verify")
    app.screen.query_one("#p2-message").update("")
    # a Button ignores a press while it still shows the previous one (its -active effect)
    await until(pilot, lambda: not app.screen.query_one("#p2-verify").has_class("-active"))
    await pilot.press("enter")
    await until(pilot, lambda: bool(str(app.screen.query_one("#p2-message").render())))
    return str(app.screen.query_one("#p2-message").render())


async def test_import_and_verify_created_apps_then_a_broken_one() -> None:
    app = _app(path=EntraPath.CREATE_HERE)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        await pilot.press("enter")
        await _create(pilot, expect_secret=True)
        assert app.profile is not None
        server_id = app.profile.entra.server_app.app_id
        client_id = app.profile.entra.client_app.app_id
        # A fresh import of those IDs: typed by keyboard.
        app.edit("entra.path", EntraPath.IMPORT)
        for path in ("entra.server_app.app_id", "entra.client_app.app_id", "entra.server_app.app_id_uri"):
            app.edit(path, "")
        app.profile.evidence.pop("graph.apps", None)
        await pilot.pause()
        await _tab_to(pilot, "p2-import")
        await paste(pilot, server_id)
        await pilot.press("tab")
        await paste(pilot, client_id)
        await until(pilot, lambda: app.profile.entra.client_app.app_id == client_id)
        assert app.profile.entra.server_app.app_id == server_id
        message = await _verify(pilot)
        assert "Both apps verified" in message, (message, [n.message for n in app._notifications])
        pane = app.screen.query_one("#entra")
        verdicts = _verification(app)
        assert verdicts["ENTRA-CLIENT-APP"] == verdicts["ENTRA-CONSENT"] == verdicts["ENTRA-ID-TOKEN"] == "pass"
        pane.query_one("#p2-verify-report").scroll_visible(animate=False, top=True)
        await pilot.pause()
        assert "The client app is a public client" in screen_text(app)
        assert app.profile.evidence["graph.apps"].data["client_app_id"] == client_id
        # Break the client app: public client flows off.
        state = app.cloud.sandbox.state
        with state.lock:
            broken = next(a for a in state.applications.values() if a["appId"] == client_id)
            broken["isFallbackPublicClient"] = False
        message = await _verify(pilot)
        assert "ENTRA-CLIENT-APP" in message and "public client" in message
        verdicts = _verification(app)
        assert verdicts["ENTRA-CLIENT-APP"] == "fail" and verdicts["ENTRA-CONSENT"] == "pass"


def _verification(app: CmgApp) -> dict[str, str]:
    """The verification table as shown: rule -> status word."""
    return {r.rule: r.status.value for r in app.screen.query_one("#p2-verify-report").shown}


async def _retype(pilot, path: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Focus the field for ``path``, clear it and type ``text``."""
    from cmgtui.widgets.fields import TextField

    field = next(f for f in pilot.app.screen.query(TextField) if f.path == path)
    editor = field.query_one(Input)
    editor.focus()
    await pilot.pause()
    editor.value = ""
    await paste(pilot, text)


def _status(app: CmgApp) -> str:
    return str(app.screen.query_one("#p2-status").render())


async def test_verify_for_an_unknown_app_id_is_not_done_and_nothing_stale_survives() -> None:
    """Issue 10.2: Import -> change the server app ID to an unknown GUID -> Verify."""
    app = _app(path=EntraPath.CREATE_HERE)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        await pilot.press("enter")
        await _create(pilot, expect_secret=True)
        assert app.profile is not None
        server_id = app.profile.entra.server_app.app_id
        app.edit("entra.path", EntraPath.IMPORT)
        await pilot.pause()
        assert "Both apps verified" in await _verify(pilot)
        assert set(_verification(app).values()) == {"pass"}
        # A typo in the ID first: the message names the problem ...
        await _retype(pilot, "entra.server_app.app_id", "72f988bf-86f1")
        await _tab_to(pilot, "p2-verify")
        await pilot.press("enter")
        await until(pilot, lambda: "is not a GUID" in str(app.screen.query_one("#p2-message").render()))
        # ... then a well-formed GUID of no app in the tenant.
        unknown = "0badc0de-0000-4000-8000-000000000001"
        await _retype(pilot, "entra.server_app.app_id", unknown)
        await until(pilot, lambda: app.profile.entra.server_app.app_id == unknown)
        await pilot.pause()
        assert "is not a GUID" not in str(app.screen.query_one("#p2-message").render())
        # Evidence read for the old IDs is stale: no ✓ survives, and the part is not done.
        stale = _verification(app)
        read_from_the_apps = ("ENTRA-CLIENT-APP", "ENTRA-CONSENT", "ENTRA-ID-TOKEN")
        assert all(stale[rule] == "skip" for rule in read_from_the_apps), stale
        assert all("Stale" in r.message for r in app.screen.query_one("#p2-verify-report").shown
                   if r.rule in read_from_the_apps)
        assert not _status(app).startswith("Status: done")
        message = await _verify(pilot)
        assert f"No server app with app ID {unknown}" in message
        verdicts = _verification(app)
        assert all(verdicts[rule] in ("fail", "warn") for rule in read_from_the_apps), verdicts
        assert _status(app).startswith("Status: problem") and "No server app" in _status(app)
        # Back to the real ID: a good verify leaves no trace of the earlier failures.
        app.edit("entra.server_app.app_id", server_id)
        await pilot.pause()
        assert "Both apps verified" in await _verify(pilot)
        assert set(_verification(app).values()) == {"pass"}
        assert "GUID" not in str(app.screen.query_one("#p2-message").render())


async def test_bad_input_is_explained_inline() -> None:
    app = _app(path=EntraPath.IMPORT)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        await pilot.press("enter")
        await _tab_to(pilot, "p2-import")
        await paste(pilot, "abc-123")  # a GUID field takes only what a GUID can hold
        await until(pilot, lambda: "is not a GUID" in screen_text(app))
        await pilot.press("tab", "tab")
        await paste(pilot, "configmgr service")
        await until(pilot, lambda: "can't contain spaces" in screen_text(app))
        await pilot.press("tab")
        await paste(pilot, "30/06/2027")
        await until(pilot, lambda: "type it as YYYY-MM-DD" in screen_text(app))
        assert app.profile is not None
        await until(pilot, lambda: app.profile.drafts.get("entra.server_app.secret_expiry") == "30/06/2027")
        assert app.profile.entra.server_app.secret_expiry is None
        await _tab_to(pilot, "p2-verify")
        await pilot.press("enter")
        await until(pilot, lambda: "is not a GUID" in str(app.screen.query_one("#p2-message").render()))
        assert app.cloud.running() == []


async def test_interrupted_creation_is_offered_for_resume_and_finishes_without_duplicates() -> None:
    app = _app(path=EntraPath.CREATE_HERE)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        # The client app's service principal is created but the answer is lost: a create is not
        # repeated blindly, so the job fails mid-way (the app upserts themselves are safe to resend).
        app.cloud.sandbox.faults.update(drop="POST /v1.0/servicePrincipals", drop_skip=1, drop_when="after")
        await pilot.press("enter")
        await _tab_to(pilot, "p2-create-apps")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        first = paths.home().parent / "first-secret.txt"
        await _name_secret_file(pilot, first)
        # The secret added before the failure is kept: saved at once, and shown as the CLI does.
        await until(pilot, lambda: isinstance(app.screen, SecretModal))
        assert first.read_text(encoding="utf-8").strip() in screen_text(app)
        await pilot.press("escape")  # saved already: closing asks nothing
        await until(pilot, lambda: not isinstance(app.screen, SecretModal))
        await until(pilot, lambda: app.screen.query_one("#p2-resume").display)
        assert "did not finish" in str(app.screen.query_one("#p2-pending").render())
        assert len(_apps(app)) == 2
        await _tab_to(pilot, "p2-resume")
        await pilot.press("enter")
        await _name_secret_file(pilot, paths.home().parent / "second-secret.txt")
        await until(pilot, lambda: "Both app registrations are ready" in str(
            app.screen.query_one("#p2-message").render()))
        assert len(_apps(app)) == 2
        assert not app.screen.query_one("#p2-resume").display
        assert app.profile is not None
        entra = app.profile.entra
        client = next(a for a in _apps(app) if a["displayName"] == "CMG-ClientApp")
        assert entra.client_app.app_id == client["appId"]
        assert client["publicClient"]["redirectUris"] == [BROKER + client["appId"]]
        # The secret saved before the interruption is kept (no second one): its key ID is named.
        assert entra.server_app.secret_key_id and entra.server_app.secret_expiry is not None
        assert entra.server_app.secret_key_id in str(app.screen.query_one("#p2-message").render())
        assert not (paths.home().parent / "second-secret.txt").exists()


def test_secret_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    from cmgtui.widgets.secret_modal import secret_file_problem, write_secret_file

    target = tmp_path / "secret.txt"
    assert secret_file_problem(str(target)) is None
    write_secret_file(target, "s3cr3t-value")
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.read_text(encoding="utf-8") == "s3cr3t-value\n"
    assert "already exists" in (secret_file_problem(str(target)) or "")
    assert "doesn't exist" in (secret_file_problem(str(tmp_path / "nope" / "s.txt")) or "")
    try:
        write_secret_file(target, "other")
    except FileExistsError:
        pass
    else:
        raise AssertionError("an existing secret file was overwritten")
    assert target.read_text(encoding="utf-8") == "s3cr3t-value\n"
