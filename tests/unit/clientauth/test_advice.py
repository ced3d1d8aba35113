"""The Part 3 decision: answers -> recommended methods with reasons, and choice concerns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cmgtui.domain.clients.auth_advice import advice_for, choice_concerns, recommend
from cmgtui.domain.rules.checks import evaluate
from cmgtui.domain.rules.results import Severity, Status
from cmgtui.model import Profile
from cmgtui.model.enums import ClientAuthMethod as M
from cmgtui.model.enums import ManagementPointMode

NOW = datetime(2026, 11, 26, tzinfo=UTC)


@pytest.mark.parametrize(
    ("entra", "pki", "new", "expected"),
    [
        (True, False, False, [M.ENTRA]),
        (True, True, False, [M.ENTRA, M.PKI]),
        (True, False, True, [M.ENTRA]),
        (False, True, False, [M.PKI]),
        (False, True, True, [M.PKI, M.TOKEN]),
        (False, False, False, [M.TOKEN]),
        (False, False, True, [M.TOKEN]),
        (True, True, True, [M.ENTRA, M.PKI]),
    ],
)
def test_each_answer_combination_gives_its_methods(entra: bool, pki: bool, new: bool, expected: list[M]) -> None:
    advice = recommend(entra, pki, new)
    assert advice.methods == expected
    assert advice.complete
    assert all(s.reason for s in advice.suggestions)


def test_entra_reason_mentions_users_and_windows_version() -> None:
    reason = recommend(True, False, False).suggestions[0].reason
    assert "users" in reason and "Windows 10" in reason


def test_mix_says_so_and_warns_against_usepkicert_on_entra_devices() -> None:
    advice = recommend(True, True, False)
    assert "a mix" in advice.summary
    assert "/UsePKICert" in advice.suggestions[1].reason


def test_new_internet_only_entra_devices_get_the_intune_note() -> None:
    advice = recommend(True, False, True)
    assert any("Intune" in n and "CCMSETUPCMD" in n for n in advice.notes)


def test_token_recommendation_notes_version_and_renewal() -> None:
    notes = " ".join(recommend(False, False, False).notes)
    assert "2002" in notes and "90 days" in notes


def test_unanswered_questions_make_the_advice_provisional() -> None:
    advice = recommend(True, None, None)
    assert advice.methods == [M.ENTRA]
    assert not advice.complete
    assert len(advice.unanswered) == 2
    empty = recommend(None, None, None)
    assert empty.methods == [] and empty.summary.startswith("Answer the questions")


def _part(entra: bool | None, pki: bool | None, new: bool | None, methods: list[M]) -> Profile:
    profile = Profile(name="t")
    part = profile.client_auth
    part.devices_entra_joined, part.has_client_pki, part.new_internet_only_devices = entra, pki, new
    part.methods = methods
    return profile


def test_concerns_name_the_method_that_does_not_fit() -> None:
    part = _part(False, True, False, [M.ENTRA, M.PKI]).client_auth
    concerns = choice_concerns(part)
    assert len(concerns) == 1 and "aren't Entra joined" in concerns[0]
    none_fit = choice_concerns(_part(False, False, False, [M.ENTRA, M.PKI]).client_auth)
    assert none_fit[0] == "None of the chosen methods works for these devices."


def test_recommended_choice_has_no_concern() -> None:
    for entra in (True, False):
        for pki in (True, False):
            profile = _part(entra, pki, True, [])
            profile.client_auth.methods = advice_for(profile.client_auth).methods
            assert choice_concerns(profile.client_auth) == []


def _result(profile: Profile, rule: str):  # type: ignore[no-untyped-def]
    return next(r for r in evaluate(profile, NOW) if r.rule == rule)


def test_method_fit_rule_ignores_unanswered_then_warns_then_passes() -> None:
    profile = _part(None, None, None, [M.ENTRA])
    assert _result(profile, "CA-METHOD-FIT").severity is Severity.INFO
    profile = _part(False, None, None, [M.ENTRA])
    assert _result(profile, "CA-METHOD-FIT").status is Status.WARN
    profile = _part(False, False, False, [M.ENTRA])
    fit = _result(profile, "CA-METHOD-FIT")
    assert fit.status is Status.WARN and fit.severity is Severity.WARNING
    assert "Site-issued token" in fit.fix
    profile.client_auth.methods = [M.TOKEN]
    assert _result(profile, "CA-METHOD-FIT").status is Status.PASS


def test_cmgcp_certificate_rule_only_for_pki_with_https_mp() -> None:
    profile = _part(False, True, False, [M.PKI])
    profile.client_auth.management_point_mode = ManagementPointMode.ENHANCED_HTTP
    assert _result(profile, "CA-CMGCP-CERT").severity is Severity.INFO
    profile.client_auth.management_point_mode = ManagementPointMode.HTTPS
    waiting = _result(profile, "CA-CMGCP-CERT")
    assert waiting.status is Status.SKIP and "CMGConnector_Clientcertificaterequired" in waiting.message
    profile.client_auth.cmgcp_client_cert_confirmed = True
    assert _result(profile, "CA-CMGCP-CERT").status is Status.PASS
