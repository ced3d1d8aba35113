"""The CMG cost estimate against hand-computed examples from the documented inputs.

Public sources, quoted verbatim:
* memdocs ``memdocs/configmgr/core/clients/manage/cmg/cost.md``: "*For estimating purposes only*,
  expect approximately 100-300 MB per client per month for internet-based clients. The lower
  estimate is for a default client configuration. The upper estimate is for a more aggressive
  client configuration." and "CMG uses Azure locally redundant storage (LRS)."
* memdocs ``memdocs/configmgr/core/plan-design/changes/whats-new-in-version-2609.md`` (2026-09-18),
  the table of new CMG VM sizes.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cmgtui.domain.azure.cost import (
    HOURS_PER_MONTH,
    MB_PER_CLIENT_AGGRESSIVE,
    MB_PER_CLIENT_DEFAULT,
    PriceSheet,
    Usage,
    estimate,
    recommended_outbound_alert_gb,
    tiered_cost,
    vm_sku,
)
from cmgtui.model.enums import VmSize

COST_MD = ("expect approximately 100-300 MB per client per month for internet-based clients. The lower "
           "estimate is for a default client configuration. The upper estimate is for a more aggressive "
           "client configuration.")
SIZES_2609 = """\
| Small | Standard_B2s | 2 | 4 GiB | Standard_D2ads_v6 | 2 | 8 GiB |
| Medium | Standard_A2_v2 | 2 | 4 GiB | Standard_D4ads_v6 | 4 | 16 GiB |
| Large | Standard_A4_v2 | 4 | 16 GiB | Standard_D8ads_v6 | 8 | 32 GiB |"""

PRICES = PriceSheet("westus", "USD", datetime(2026, 12, 1, tzinfo=UTC), "Azure Retail Prices API",
                    {"Standard_A2_v2": 0.133, "Standard_D4ads_v6": 0.39},
                    ((0.0, 0.087), (10240.0, 0.083), (51200.0, 0.07)), 0.0208)


def test_the_per_client_figures_are_cost_mds() -> None:
    low, high = (int(n) for n in COST_MD.split(" MB")[0].rsplit(" ", 1)[1].split("-"))
    assert (MB_PER_CLIENT_DEFAULT, MB_PER_CLIENT_AGGRESSIVE) == (low, high)


@pytest.mark.parametrize("size,row", [(VmSize.LAB, 0), (VmSize.STANDARD, 1), (VmSize.LARGE, 2)])
def test_the_vm_behind_each_size_changes_at_2609(size: VmSize, row: int) -> None:
    cells = [cell.strip() for cell in SIZES_2609.splitlines()[row].strip("|").split("|")]
    assert vm_sku(size, 2509) == cells[1]
    assert vm_sku(size, 2609) == cells[4]
    assert vm_sku(size, None) == cells[4]  # unknown version: today's sizes


def test_graduated_egress_tiers() -> None:
    tiers = PRICES.egress_tiers
    assert tiered_cost(100, tiers) == pytest.approx(100 * 0.087)
    # 12,000 GB: 10,240 at 0.087 and 1,760 at 0.083.
    assert tiered_cost(12_000, tiers) == pytest.approx(10_240 * 0.087 + 1_760 * 0.083)
    # 60,000 GB reaches the third tier.
    assert tiered_cost(60_000, tiers) == pytest.approx(10_240 * 0.087 + 40_960 * 0.083 + 8_800 * 0.07)


def test_a_standard_cmg_for_5000_clients_by_hand() -> None:
    result = estimate(VmSize.STANDARD, 2, 2509, Usage(5_000), PRICES, content_enabled=False)
    compute, egress = result.lines[0], result.lines[1]
    assert compute.item == "Compute: 2 × Standard_A2_v2"
    assert compute.monthly == round(0.133 * 2 * HOURS_PER_MONTH, 2) == 194.18
    # 5,000 × 100 MB = 488.28 GB at 0.087.
    assert egress.monthly == round(5_000 * 100 / 1024 * 0.087, 2) == 42.48
    assert result.total == 236.66
    assert not any(line.item.startswith("Content storage") for line in result.lines)
    assert all(line.source for line in result.lines)
    assert "cost.md" in compute.source and "whats-new-in-version-2609" in compute.source


def test_a_content_enabled_cmg_adds_storage_and_downloads() -> None:
    usage = Usage(2_000, 100, content_stored_gb=250, content_downloads_gb=1_000)
    result = estimate(VmSize.STANDARD, 1, 2609, usage, PRICES, content_enabled=True)
    lines = {line.item.split(":")[0]: line for line in result.lines}
    assert lines["Compute"].monthly == round(0.39 * HOURS_PER_MONTH, 2)
    egress_gb = 2_000 * 100 / 1024 + 1_000
    assert lines["Outbound data transfer"].monthly == round(egress_gb * 0.087, 2)
    assert lines["Content storage (LRS)"].monthly == round(250 * 0.0208, 2)


def test_a_size_without_a_price_is_said_not_guessed() -> None:
    result = estimate(VmSize.LARGE, 1, 2509, Usage(10), PRICES, content_enabled=False)
    assert result.lines[0].monthly is None and "no list price for Standard_A4_v2" in result.lines[0].source


def test_the_suggested_outbound_alert_is_the_aggressive_figure_over_14_days() -> None:
    # 5,000 clients × 300 MB a month = 1,464.8 GB; over 14 of 30 days: 683.6 → 684 GB.
    assert recommended_outbound_alert_gb(Usage(5_000)) == 684
    assert recommended_outbound_alert_gb(Usage(1)) == 1

