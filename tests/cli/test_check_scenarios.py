"""``cmgtui check --sandbox`` under rehearsal scenarios gives the verdict a real tenant would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.model import AzureEnvironment
from cmgtui.model.enums import EntraPath
from cmgtui.store import ProfileStore

SUB = "11111111-2222-4333-8444-555555555555"


def _scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    path = tmp_path / "rehearsal.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("CMGTUI_SANDBOX_SCENARIO", str(path))


def _check(capsys: pytest.CaptureFixture[str], subscription: str = SUB) -> tuple[dict, str]:
    store = ProfileStore()
    profile = store.create("sandbox")
    profile.environment = AzureEnvironment.PUBLIC
    profile.region = "westus"
    profile.certificate.service_name = "fabrikamcmg.contoso.com"
    profile.gateway.subscription_id = subscription
    profile.entra.path = EntraPath.CREATE_HERE
    store.save(profile)
    main(["check", "--sandbox", "--format", "json"])
    out = capsys.readouterr()
    return {r["rule"]: r for r in json.loads(out.out)["results"]}, out.err


def _sub(roles: str, state: str = "Enabled", providers: str = "") -> str:
    return (f'[[subscriptions]]\nid = "{SUB}"\nname = "Contoso Production"\nstate = "{state}"\n'
            f"roles = {roles}\n{providers}")


def test_reader_only_is_not_owner(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    _scenario(tmp_path, monkeypatch, _sub('["Reader"]'))
    rules, _ = _check(capsys)
    assert rules["GW-OWNER"]["status"] == "fail"
    assert rules["GW-SUBSCRIPTION-LIVE"]["status"] == "pass"


def test_owner_and_contributor_is_owner(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    _scenario(tmp_path, monkeypatch, _sub('["Owner", "Contributor"]'))
    rules, _ = _check(capsys)
    assert rules["GW-OWNER"]["status"] == "pass"


def test_contributor_only_is_not_owner(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    _scenario(tmp_path, monkeypatch, _sub('["Contributor"]'))
    rules, _ = _check(capsys)
    assert rules["GW-OWNER"]["status"] == "fail"


def test_eligible_only_global_administrator_is_told_to_activate(tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                 capsys) -> None:
    _scenario(tmp_path, monkeypatch, '[user]\ndirectory_roles = []\neligible_roles = ["Global Administrator"]\n')
    rules, _ = _check(capsys)
    ga = rules["ENTRA-GA"]
    assert ga["status"] == "fail" and "only eligible for Global Administrator" in ga["message"]
    main(["check", "--sandbox"])
    text = " ".join(capsys.readouterr().out.split())
    assert "→ Activate your Global Administrator role in Privileged Identity Management, then run the " \
           "check again." in text


def test_disabled_subscription_fails_the_subscription_rule(tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
                                                          capsys) -> None:
    _scenario(tmp_path, monkeypatch, _sub('["Owner"]', state="Disabled"))
    rules, _ = _check(capsys)
    live = rules["GW-SUBSCRIPTION-LIVE"]
    assert live["status"] == "fail" and "Disabled" in live["message"]


def test_unregistered_provider_says_register_first_never_taken(tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
                                                               capsys) -> None:
    _scenario(tmp_path, monkeypatch, _sub('["Owner"]', providers='providers = { "Microsoft.Storage" = "NotRegistered" }\n'))
    rules, _ = _check(capsys)
    storage = rules["NAME-STORAGE-FREE"]
    assert storage["status"] == "skip" and "register Microsoft.Storage first (Fix offers it)" in storage["message"]
    assert "taken" not in storage["message"] and "another" not in storage["message"]
    assert rules["GW-PROVIDERS"]["status"] == "fail"
    assert rules["NAME-KEYVAULT-FREE"]["status"] == "pass"


def test_check_and_tenant_agree_across_runs(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from cmgtui import paths
    from cmgtui.sandbox.state import TenantState

    rules, _ = _check(capsys)
    assert rules["GW-PROVIDERS"]["status"] == "fail"  # the default tenant leaves Microsoft.KeyVault unregistered
    state = TenantState.persistent(paths.sandbox_dir(), None)
    state.providers[SUB]["Microsoft.KeyVault"].state = "Registered"  # as the TUI's Fix would leave it
    state.save()
    main(["check", "--sandbox", "--format", "json"])
    again = {r["rule"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    assert again["GW-PROVIDERS"]["status"] == "pass"
