"""``cmgtui check --sandbox`` names what would fail the CMG deployment, before anything is deployed.

Scenarios in ``tests/preflight_scenarios.py``; the sandbox answers come from the references cited in
``tests/cloud/test_preflight_endpoints.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.store import ProfileStore
from tests.preflight_scenarios import NEW_RULES, SCENARIOS, plan


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
           scenario: str, **gateway: object) -> tuple[int, dict[str, dict]]:
    path = tmp_path / "rehearsal.toml"
    path.write_text(scenario, encoding="utf-8")
    monkeypatch.setenv("CMGTUI_SANDBOX_SCENARIO", str(path))
    profile = plan()
    for key, value in gateway.items():
        setattr(profile.gateway, key, value)
    ProfileStore().save(profile)
    code = main(["check", "--sandbox", "--format", "json"])
    out = capsys.readouterr()
    return code, {r["rule"]: r for r in json.loads(out.out)["results"]}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_failure_is_named_and_the_rest_pass(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    scenario, failing, words = SCENARIOS[name]
    code, rules = _check(tmp_path, monkeypatch, capsys, scenario)
    for rule in NEW_RULES:
        expected = "fail" if rule == failing else "pass"
        assert rules[rule]["status"] == expected, (rule, rules[rule]["message"])
    if failing:
        assert words in rules[failing]["message"]
        assert code == 1
    assert rules["GW-PUBLIC-IP-2503"]["status"] == "skip"  # 2309: before the 2503 rollup


def test_json_carries_the_quota_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    scenario = SCENARIOS["family"][0].replace('limit = 4, used = 2', 'limit = 20, used = 4')
    _, rules = _check(tmp_path, monkeypatch, capsys, scenario, vm_instances=16)
    assert rules["GW-VCPU-FAMILY"]["numbers"] == {"limit": 20, "used": 4, "needed": 32}
    assert rules["GW-VCPU-FAMILY"]["status"] == "fail"
    assert rules["GW-VCPU-REGIONAL"]["numbers"] == {"limit": 100, "used": 4, "needed": 32}
    assert "numbers" not in rules["GW-POLICY"]


def test_tags_entered_in_the_plan_satisfy_the_tag_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    _, rules = _check(tmp_path, monkeypatch, capsys, SCENARIOS["tag"][0], tags={"CostCenter": "4711"})
    assert rules["GW-POLICY"]["status"] == "pass"


def test_a_new_group_is_validated_at_subscription_scope(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _, rules = _check(tmp_path, monkeypatch, capsys, SCENARIOS["location"][0], resource_group="cmg-new",
                      use_existing_resource_group=False)
    assert rules["GW-POLICY"]["status"] == "fail"
    assert "'Allowed locations' (deny) denies every CMG resource" in rules["GW-POLICY"]["message"]


def test_the_default_tenant_passes_the_deployment_checks(capsys: pytest.CaptureFixture[str]) -> None:
    profile = plan()
    profile.gateway.resource_group = "cmg-new"
    profile.gateway.use_existing_resource_group = False
    ProfileStore().save(profile)
    main(["check", "--sandbox", "--format", "json"])
    rules = {r["rule"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    for rule in NEW_RULES:
        assert rules[rule]["status"] == "pass", (rule, rules[rule]["message"])
