"""Wrapping between tokens: identifiers stay whole; an over-long URI breaks only after '/'."""

from __future__ import annotations

from cmgtui.widgets.token_wrap import token_lines

GUID = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def test_tokens_that_fit_are_never_split() -> None:
    line = f"ccmsetup.exe /mp:https://GraniteFalls.contoso.com SMSSITECODE=ABC AADTENANTID={GUID} SMSMP=mp01"
    for width in range(50, 90):
        lines = token_lines(line, width)
        assert all(len(part) <= width for part in lines)
        assert " ".join(part.strip() for part in lines) == line
        assert any(f"AADTENANTID={GUID}" in part for part in lines)


def test_a_uri_longer_than_the_line_breaks_after_a_slash() -> None:
    lines = token_lines(f"api://{GUID}/ConfigMgrService", 46)
    assert lines == [f"api://{GUID}/", "ConfigMgrService"]


def test_continuation_lines_are_indented_and_paragraphs_kept() -> None:
    lines = token_lines("first line is long enough to wrap here\nsecond", 20, indent=2)
    assert lines[0] == "first line is long"
    assert lines[1].startswith("  ") and lines[-1] == "second"
