"""The report use case: the Automation pane's Save report and ``cmgtui report`` write the same report."""

from __future__ import annotations

import json
from pathlib import PurePath

import pytest

from cmgtui.domain.rules.checks import evaluate
from cmgtui.services.report import format_for, readiness_report, report_file_name
from tests.unit.domain.factories import NOW, complete_profile


def test_the_report_carries_the_rules_engines_results_at_the_same_moment() -> None:
    profile = complete_profile()
    body = json.loads(readiness_report(profile, "json", NOW))
    assert body["profile"] == "complete"
    reported = sorted(r["rule"] for r in body["results"])
    assert reported == sorted(r.rule for r in evaluate(profile, NOW))
    assert body["generated_at"].startswith("2026-11-26")


@pytest.mark.parametrize(("name", "fmt", "start"), [
    ("plan.md", "md", "# "), ("plan.HTML", "html", "<!DOCTYPE html>"), ("plan.htm", "html", "<!DOCTYPE html>"),
    ("plan.json", "json", "{"), ("plan.txt", "md", "# "),
])
def test_the_file_name_chooses_the_format(name: str, fmt: str, start: str) -> None:
    assert format_for(PurePath(name)) == fmt
    assert readiness_report(complete_profile(), format_for(PurePath(name)), NOW).startswith(start)


def test_an_unknown_format_is_refused_in_plain_words() -> None:
    with pytest.raises(ValueError, match="use one of md, html, json"):
        readiness_report(complete_profile(), "pdf", NOW)


def test_the_suggested_file_name_has_no_spaces() -> None:
    profile = complete_profile()
    profile.name = "contoso lab"
    assert report_file_name(profile) == "cmg-contoso-lab-readiness.md"
