"""Property tests: validators and the command-line lint take any text without raising."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmgtui.domain.azure.names import prefix_problem
from cmgtui.domain.clients.cmdlint import lint_command_line
from cmgtui.domain.clients.command_lines import build_entra, build_pki
from cmgtui.domain.rules.results import Status
from cmgtui.domain.validate import (
    app_id_uri_problem,
    fqdn_problem,
    guid_problem,
    int_range_problem,
    region_problem,
    resource_group_problem,
    site_code_problem,
    site_version_problem,
)

from .factories import TENANT, complete_profile

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
#: What a one-line input field can hold: no control characters or line and paragraph breaks.
typed = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Zl", "Zp")), max_size=200)
pieces = st.sampled_from(["ccmsetup.exe", "ccmsetup.msi", "/mp:https://a.b/x", "/UsePKICert", "/regtoken:",
                          "CCMHOSTNAME=a.b/x", "SMSSITECODE=ABC", "SMSSITECODE=AUTO", 'CCMSETUPCMD="',
                          '"', "AADTENANTID=x", "=", "/", "SMSMP=mp"])


def _one_line_or_none(value: str | None) -> None:
    """A validator's answer: no problem, or one non-empty line that fits under a field."""
    assert value is None or (isinstance(value, str) and value.strip() and "\n" not in value
                             and "\r" not in value), repr(value)


def test_one_line_check_refuses_what_a_field_cannot_show() -> None:
    _one_line_or_none(None)
    _one_line_or_none("Enter a GUID.")
    for bad in ("", "  ", "two\nlines", "carriage\rreturn", 42):
        with pytest.raises(AssertionError):
            _one_line_or_none(bad)  # type: ignore[arg-type]


@given(typed)
@settings(max_examples=200)
def test_validators_never_raise(text: str) -> None:
    """Whatever is typed into a field, each validator answers with nothing or one line."""
    for problem in (fqdn_problem(text), guid_problem(text), site_code_problem(text),
                    site_version_problem(text), int_range_problem(text, 1, 16),
                    resource_group_problem(text, 2103), app_id_uri_problem(text, TENANT),
                    region_problem(text, ["westus"]), prefix_problem(text)):
        _one_line_or_none(problem)


@given(st.lists(st.one_of(pieces, texts), max_size=12))
@settings(max_examples=200)
def test_lint_never_raises(parts: list[str]) -> None:
    for r in lint_command_line(" ".join(parts)):
        assert r.status in (Status.PASS, Status.WARN, Status.FAIL)
        assert r.message


@given(st.from_regex(r"[A-Za-z][A-Za-z0-9]{2,23}", fullmatch=True),
       st.from_regex(r"[A-Za-z0-9]{3}", fullmatch=True), st.from_regex(r"[0-9]{1,18}", fullmatch=True))
@settings(max_examples=100)
def test_generated_lines_always_pass_their_lint(prefix: str, code: str, role_id: str) -> None:
    p = complete_profile()
    p.certificate.service_name = f"{prefix}.contoso.com"
    p.site.site_code = code
    p.clients.mp_role_id = role_id
    for line in (build_entra(p), build_pki(p)):
        if line.ready:
            assert all(r.status is Status.PASS for r in lint_command_line(line.text))
        else:
            assert line.text == "" and line.missing
