"""A part's headline names what its pane's tables show from other parts (issue 20)."""

from __future__ import annotations

from cmgtui.domain.rules import checks
from cmgtui.domain.rules.part4 import PREFLIGHT_EXTRA
from cmgtui.domain.rules.results import Phase
from tests.unit.domain.factories import NOW, complete_profile, evidence


def test_part4_stays_done_but_names_the_part1_name_check_its_preflight_shows() -> None:
    profile = complete_profile()
    evidence(profile, "arm.names", dns=True, storage=True, prefix="granitefalls",
             not_registered={"keyvault": "Microsoft.KeyVault"})
    results = checks.evaluate(profile, NOW)
    assert checks.part_status(profile, Phase.GATEWAY, results=results).state is checks.PartState.DONE
    alone = checks.status_line(profile, Phase.GATEWAY, results)
    assert alone == "Status: done. Nothing missing: every check of this part passes."
    line = checks.status_line(profile, Phase.GATEWAY, results, PREFLIGHT_EXTRA)
    assert line.startswith(alone + " Also shown here, from Part 1 (server certificate): The key vault name "
                           "can't be checked until Microsoft.KeyVault is registered")


def test_nothing_is_added_when_the_rules_shown_from_other_parts_pass() -> None:
    profile = complete_profile()
    results = checks.evaluate(profile, NOW)
    assert checks.status_line(profile, Phase.GATEWAY, results, PREFLIGHT_EXTRA) == \
        "Status: done. Nothing missing: every check of this part passes."
