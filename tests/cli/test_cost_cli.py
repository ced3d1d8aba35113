"""``cmgtui cost``: the estimate on the sandbox's price list, offline from the cache, and its refusals."""

from __future__ import annotations

import json

import pytest

from cmgtui.cli import main
from cmgtui.store import ProfileStore


def _profile(clients: int | None = 5_000, region: str = "westus") -> None:
    store = ProfileStore()
    profile = store.create("lab")
    profile.region = region
    profile.site.site_version = 2509
    profile.gateway.vm_instances = 2
    profile.gateway.peak_concurrent_clients = clients
    profile.gateway.content_enabled = False
    store.save(profile)


def test_the_estimate_on_the_sandbox_then_offline(capsys: pytest.CaptureFixture[str]) -> None:
    _profile()
    assert main(["cost", "--profile", "lab", "--sandbox", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1 and data["currency"] == "USD"
    assert data["prices"]["origin"] == "Azure Retail Prices API"
    assert [line["monthly"] for line in data["lines"][:2]] == [194.18, 42.48]
    assert data["total"] == 236.66 and data["recommended_outbound_alert_gb"] == 684
    assert all(line["source"] for line in data["lines"])
    assert main(["cost", "--profile", "lab", "--offline"]) == 0
    text = capsys.readouterr().out
    assert "cached copy of the Azure Retail Prices API" in text and "194.18" in text and "Source:" in text


def test_offline_with_nothing_read_before_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    _profile()
    assert main(["cost", "--profile", "lab", "--offline"]) == 2
    err = capsys.readouterr().err
    assert "none were read before" in err and "Traceback" not in err


@pytest.mark.parametrize("clients,region,args,fragment", [
    (None, "westus", [], "How many internet clients"),
    (10, "", [], "has no region yet"),
    (10, "westus", ["--currency", "dollars"], "not an ISO currency code"),
    (10, "westus", ["--mb-per-client", "0"], "--mb-per-client must be"),
])
def test_unusable_input_is_one_line_and_exit_2(clients: int | None, region: str, args: list[str], fragment: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    _profile(clients, region)
    assert main(["cost", "--profile", "lab", "--offline", *args]) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1


def test_the_usage_defaults_to_part4s_cost_assumptions(capsys: pytest.CaptureFixture[str]) -> None:
    """``cmgtui cost`` without usage options shows what Part 4's Cost section shows (one evaluation)."""
    _profile()
    store = ProfileStore()
    profile = store.load("lab")
    profile.gateway.cost.mb_per_client = 300  # cost.md's figure for an aggressive client configuration
    store.save(profile)
    assert main(["cost", "--profile", "lab", "--sandbox", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # 5,000 × 300 MB = 1,464.84 GB at 0.087 = 127.44; with compute 194.18: 321.62.
    assert data["usage"]["mb_per_client"] == 300 and data["lines"][1]["monthly"] == 127.44
    assert data["total"] == 321.62
    assert main(["cost", "--profile", "lab", "--offline", "--mb-per-client", "100", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 236.66  # an option still wins
