"""The report's Cost section: the figures of ``cmgtui cost`` and Part 4, each with its source.

The hand-computed example is the one of ``tests/unit/domain/test_cost.py`` (memdocs
``memdocs/configmgr/core/clients/manage/cmg/cost.md``: "expect approximately 100-300 MB per client
per month for internet-based clients"): a Standard CMG of 2 instances on 2509 (Standard_A2_v2 at
0.133 USD an hour) for 5,000 clients at 100 MB.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from cmgtui.domain.azure.cost import planned_cost
from cmgtui.domain.report import build_report, render
from cmgtui.model import Profile
from tests.unit.domain.test_cost import PRICES
from tests.unit.powershell.profiles import public_entra_2309

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
CACHED = PRICES.__class__(PRICES.region, PRICES.currency, PRICES.read_at, "cached copy of the Azure Retail Prices API",
                          PRICES.vm_hourly, PRICES.egress_tiers, PRICES.storage_gb_month)


def _profile() -> Profile:
    profile = public_entra_2309()
    profile.region = "westus"
    profile.site.site_version = 2509
    profile.gateway.vm_instances = 2
    profile.gateway.peak_concurrent_clients = 5_000
    profile.gateway.content_enabled = False
    return profile


def test_the_markdown_cost_section_by_hand_with_its_sources() -> None:
    markdown = render(build_report(_profile(), None, [], now=NOW, tool_version="test", prices=CACHED), "md")
    section = markdown.split("## Cost\n", 1)[1].split("\n## ", 1)[0]
    # 2 × 0.133 × 730 h = 194.18; 5,000 × 100 MB = 488.28 GB × 0.087 = 42.48; total 236.66.
    assert "| Compute: 2 × Standard\\_A2\\_v2 | 1,460 VM hours | 194.18 USD |" in section
    assert "| Outbound data transfer | 488.3 GB (5,000 clients × 100 MB) | 42.48 USD |" in section
    assert "| **Total of the priced lines** |  | 236.66 USD |  |" in section
    assert "Prices: cached copy of the Azure Retail Prices API, westus, USD, read 2026-12-01 00:00 UTC." in section
    assert "5,000 internet clients × 100 MB each a month (memdocs cmg/cost.md" in section
    # 5,000 × 300 MB = 1,464.8 GB a month; over 14 of 30 days 683.6 → 684 GB.
    assert "Suggested 14-day outbound data alert: 684 GB" in section
    assert section.count("memdocs cmg/cost.md") >= 4  # every line names its source


def test_json_and_html_carry_the_same_figures_as_the_one_evaluation() -> None:
    profile = _profile()
    planned = planned_cost(profile, CACHED)
    assert planned is not None and planned.estimate is not None
    report = build_report(profile, None, [], now=NOW, tool_version="test", prices=CACHED)
    data = json.loads(render(report, "json"))["cost"]
    assert data["estimate"]["total"] == planned.estimate.total == 236.66
    assert [line["monthly"] for line in data["estimate"]["lines"][:2]] == [194.18, 42.48]
    assert data["recommended_outbound_alert_gb"] == planned.alert_gb == 684
    assert data["estimate"]["prices"]["read_at"] == "2026-12-01T00:00:00+00:00"
    html = render(report, "html")
    assert "<h2>Cost</h2>" in html and "<td>194.18 USD</td>" in html and "684 GB" in html


def test_without_prices_or_clients_the_section_says_what_to_do() -> None:
    profile = _profile()
    markdown = render(build_report(profile, None, [], now=NOW, tool_version="test"), "md")
    assert "No list prices read yet: fetch them in Part 4's Cost section" in markdown
    assert "Suggested 14-day outbound data alert: 684 GB" in markdown
    profile.gateway.peak_concurrent_clients = None
    markdown = render(build_report(profile, None, [], now=NOW, tool_version="test", prices=CACHED), "md")
    assert "The estimate needs the peak concurrent internet clients (Part 4, Settings)." in markdown
    assert json.loads(render(build_report(profile, None, [], now=NOW, tool_version="test"), "json"))["cost"] is None
