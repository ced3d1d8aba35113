"""The prefilter's helpers: literals grouped by a shared start, and any-character classes made quicker.

Both must leave what triage finds unchanged: a group's start is found wherever one of its literals
is, and a rewritten pattern matches exactly where the catalogue's pattern matches.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from cmgtui.domain.logs.prefilter import quicker, search_plan
from cmgtui.domain.logs.signatures import CATALOGUE
from tests.unit.logs import public_lines as L

FLAGS = ("winhttp_callback_status_flag_cert_cn_invalid", "winhttp_callback_status_flag_cert_date_invalid",
         "winhttp_callback_status_flag_invalid_ca", "2f8f", "cmgconnector_forbidden",
         "cmgconnector_clientcertificaterequired")


def test_literals_sharing_a_long_start_are_looked_for_once() -> None:
    plan = dict(search_plan(FLAGS))
    assert plan["winhttp_callback_status_flag_"] == FLAGS[:2] + FLAGS[2:3]
    assert plan["cmgconnector_"] == ("cmgconnector_clientcertificaterequired", "cmgconnector_forbidden")
    assert plan["2f8f"] == ("2f8f",)
    assert sorted(member for _, members in plan.items() for member in members) == sorted(FLAGS)


def test_a_literal_with_a_line_break_stays_alone() -> None:
    assert search_plan(("first line\nsecond", "first line\nthird")) == (
        ("first line\nsecond", ("first line\nsecond",)), ("first line\nthird", ("first line\nthird",)))


@given(st.text(alphabet="ab_\n", max_size=60), st.lists(st.text(alphabet="ab_", min_size=1, max_size=12),
                                                        min_size=1, max_size=5, unique=True))
def test_every_literal_is_found_where_its_group_start_is(text: str, literals: list[str]) -> None:
    for start, members in search_plan(tuple(literals)):
        for member in members:
            assert member.startswith(start)
            if member in text:
                assert start in text


def test_any_character_classes_become_dotall_and_other_patterns_stay() -> None:
    gap = re.compile(r"RequestUri: \S+\s+RequestCount: \d+[\s\S]*?ResponseCount: [1-9]", re.IGNORECASE)
    assert quicker(gap).pattern == r"RequestUri: \S+\s+RequestCount: \d+(?s:.)*?ResponseCount: [1-9]"
    assert quicker(gap).flags == gap.flags
    for untouched in (r"\[\s\S]x", r"[a[\s\S]]", r"plain"):
        pattern = re.compile(untouched)
        assert quicker(pattern) is pattern


def test_rewritten_catalogue_patterns_match_exactly_where_the_catalogue_s_do() -> None:
    # The public lines the catalogue is tested on, joined so that the gaps cross line breaks too.
    texts = [value.text for value in vars(L).values() if hasattr(value, "text")]
    # The last text is a probe of the gap across line breaks, not a log line.
    texts += [L.CMGSERVICE_RAW, "\n".join(texts), "RequestUri: /x RequestCount: 2\nResponseCount: 0\nResponseCount: 3"]
    rewritten = [p for s in CATALOGUE for p in s.patterns if quicker(p) is not p]
    assert rewritten, "the catalogue has patterns that cross line breaks"
    for pattern in rewritten:
        for text in texts:
            expected = pattern.search(text)
            got = quicker(pattern).search(text)
            assert (got and got.span()) == (expected and expected.span())
