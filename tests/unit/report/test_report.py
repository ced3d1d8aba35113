"""Tests of the readiness report (model, Markdown, HTML, JSON)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from cmgtui.domain.report import build_report, render
from cmgtui.domain.rules.results import Phase, RuleResult, Severity, Status
from cmgtui.model import Profile
from tests.unit.powershell.profiles import public_entra_2309, usgov_pki_2207

NOW = datetime(2026, 1, 15, 8, 30, tzinfo=UTC)
RESULTS = [
    RuleResult("CERT-EKU", Phase.CERTIFICATE, Status.PASS, Severity.ERROR,
               "The certificate is valid for server authentication.", "", "EKU 1.3.6.1.5.5.7.3.1", "cmg-domain §9 V03"),
    RuleResult("GW-HA", Phase.GATEWAY, Status.WARN, Severity.WARNING,
               "A single VM has no redundancy.", "Use 2 or more VM instances.", "vm_instances=1", "cmg-domain §9 V19"),
    RuleResult("ENTRA-GUID", Phase.ENTRA, Status.FAIL, Severity.ERROR,
               "The tenant ID is not a GUID.", "Copy the tenant ID from the Entra admin center.", "tenant_id=abc", "V30"),
]
COMMANDS = [("Microsoft Entra joined devices",
             "ccmsetup.exe /mp:https://GraniteFalls.contoso.com/CCM_Proxy_MutualAuth/72186325152220500 SMSSITECODE=ABC")]
HOSTILE = '<script>alert("x")</script> | `` ``` & <img src=x onerror=alert(1)> [l](javascript:x)\n# heading'


def report_for(profile: Profile, results: list[RuleResult] | None = RESULTS):
    return build_report(profile, results, COMMANDS, now=NOW, tool_version="test")


def test_report_holds_design_results_script_commands_and_calendar() -> None:
    report = report_for(public_entra_2309())
    topics = {d.topic: d for d in report.design}
    assert topics["Deployment name"].choice == "GraniteFalls.westus2.cloudapp.azure.com"
    assert topics["DNS CNAME"].choice == "GraniteFalls.contoso.com → GraniteFalls.westus2.cloudapp.azure.com"
    assert "9,000 peak clients ÷ 6,000 per Standard A2_v2 VM = 1.50, rounded up to 2 VMs" in topics["VM size and instances"].why
    assert "2 needed for 2 instance(s), 2 planned" in topics["CMG connection points"].why
    assert [r.rule for r in report.results] == ["ENTRA-GUID", "GW-HA", "CERT-EKU"]
    assert report.script is not None and report.script.startswith("<#") and report.missing == []
    assert [e.what for e in report.expiry] == [
        "Bulk registration token (kiosks)", "Server authentication certificate (GraniteFalls.contoso.com)",
        "Server app client secret (CMG-ServerApp)"]
    assert report.verdict == "1 failed, 1 warning, 1 passed, 0 skipped; the setup script is ready."


def test_incomplete_profile_lists_missing_values_instead_of_a_script() -> None:
    report = report_for(Profile(name="draft"), results=None)
    assert report.script is None and "Part 2: tenant ID" in report.missing
    markdown = render(report, "md")
    assert "The script can't be generated yet. Still missing:" in markdown
    assert "- Part 2: tenant ID" in markdown and "```powershell" not in markdown
    assert "The rule results were not included in this report." in markdown
    assert "not chosen yet" in markdown


def test_markdown_sections_and_tables() -> None:
    markdown = render(report_for(usgov_pki_2207()), "md")
    headings = re.findall(r"^## (.+)$", markdown, re.MULTILINE)
    assert headings == ["Design", "Cost", "Rule results", "Configuration Manager setup script",
                        "Client command lines", "Expiry calendar"]
    assert "| ❌ fail | ENTRA-GUID | entra | The tenant ID is not a GUID. | Copy the tenant ID" in markdown
    assert "```powershell\n<#" in markdown
    assert "| 2026-02-15 | Trusted intermediate CA certificate (CN=Contoso Issuing CA) | 30 | within 30 days |" in markdown
    assert "Azure US Government (AzureUSGovernmentCloud)" in markdown


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _hostile_profile() -> Profile:
    profile = public_entra_2309()
    profile.name = "hostile"
    profile.entra.azure_service_name = HOSTILE.replace("\n", " ")
    profile.entra.server_app.display_name = HOSTILE
    profile.client_auth.bulk_tokens[0].note = HOSTILE
    return profile


def test_html_escapes_hostile_values() -> None:
    results = [RuleResult("X-1", Phase.GATEWAY, Status.FAIL, Severity.ERROR, HOSTILE, HOSTILE, HOSTILE, HOSTILE)]
    page = build_report(_hostile_profile(), results, [(HOSTILE, HOSTILE)], now=NOW, tool_version="test")
    html = render(page, "html")
    parsed = _Collector()
    parsed.feed(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not any(name.startswith("on") for name, _ in parsed.attrs)
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    # The hostile text survives as text, so the reviewer sees exactly what the profile holds.
    assert any('<script>alert("x")</script>' in chunk for chunk in parsed.text)
    assert "default-src 'none'" in html
    assert set(parsed.tags) <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p",
                                "strong", "table", "tr", "th", "td", "span", "pre", "code", "ul", "li"}


def test_markdown_escapes_hostile_values() -> None:
    results = [RuleResult("X-1", Phase.GATEWAY, Status.FAIL, Severity.ERROR, HOSTILE, "", "", "")]
    markdown = build_report(_hostile_profile(), results, [("purpose", "cmd ``` x")], now=NOW, tool_version="test")
    text = render(markdown, "md")
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert "\n# heading" not in text  # the line break was flattened, so no new heading
    assert "\\[l\\]" in text  # no link syntax survives
    # Each table row keeps its column count: escaped pipes don't split cells.
    row = next(line for line in text.splitlines() if line.startswith("| ❌ fail | X-1"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 8
    # A command with ``` is fenced with a longer fence.
    assert "````text\ncmd ``` x\n````" in text


def test_json_is_complete_and_parsable() -> None:
    data = json.loads(render(report_for(usgov_pki_2207()), "json"))
    assert data["format_version"] == 1 and data["profile"] == "usgov-pki-2207"
    assert data["summary"] == {"pass": 1, "warn": 1, "fail": 1, "skip": 0, "error": 0}
    assert data["results"][0] == {"rule": "ENTRA-GUID", "phase": "entra", "status": "fail", "severity": "error",
                                  "message": "The tenant ID is not a GUID.",
                                  "fix": "Copy the tenant ID from the Entra admin center.",
                                  "evidence": "tenant_id=abc", "source": "V30"}
    assert data["script"].startswith("<#") and data["missing_values"] == []
    assert data["client_commands"] == [{"purpose": COMMANDS[0][0], "command": COMMANDS[0][1]}]
    assert data["expiry_calendar"][0]["level"] == "within_30_days"
    assert {d["topic"] for d in data["design"]} >= {"Azure environment", "Region", "Microsoft Entra apps"}


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown report format 'pdf'"):
        render(report_for(Profile(name="x")), "pdf")


def test_report_inputs_follow_the_client_authentication_methods() -> None:
    from cmgtui.domain.report.inputs import client_command_lines, report_inputs

    results, commands, notes = report_inputs(public_entra_2309(), NOW)
    assert results and all(isinstance(r, RuleResult) for r in results)
    titles = [title for title, _ in commands]
    assert titles[:3] == ["Microsoft Entra ID devices", "Intune app (ccmsetup.msi)", "Issue a bulk registration token"]
    assert any("never stored" in note for note in notes)
    pki_commands, pki_notes = client_command_lines(usgov_pki_2207())
    assert "PKI client certificate" not in [t for t, _ in pki_commands]
    assert any(n.startswith("PKI client certificate: not available yet; missing management point role ID") for n in pki_notes)


def test_a_live_check_that_could_not_run_is_in_the_verdict_and_listed_first() -> None:
    """Issue 13.4: the report's verdict says a live check errored, as ``cmgtui check`` exits 2."""
    errored = RuleResult("GW-PROVIDERS", Phase.GATEWAY, Status.ERROR, Severity.ERROR,
                         "The live check (arm.providers) could not run: the service answered 500.",
                         "Try again.", "", "V25")
    report = report_for(public_entra_2309(), [*RESULTS, errored])
    assert report.verdict.startswith("1 could not run (live check error), 1 failed,")
    assert report.exit_code == 2 and report_for(public_entra_2309()).exit_code == 1
    assert report.results[0].rule == "GW-PROVIDERS"
    data = json.loads(render(report, "json"))
    assert data["summary"]["error"] == 1
    assert "⛔ error" in render(report, "md")
    assert '<span class="error">error</span>' in render(report, "html")
