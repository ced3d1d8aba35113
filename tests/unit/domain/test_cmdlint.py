"""V46/V47 lint on pasted command lines."""

from __future__ import annotations

import pytest

from cmgtui.domain.clients.cmdlint import INTUNE_MAX_CHARS, lint_command_line, split_command_line
from cmgtui.domain.rules.results import Status

H = "cmg.contoso.com/CCM_Proxy_MutualAuth/72186325152220500"
GOOD = f"ccmsetup.exe /mp:https://{H} CCMHOSTNAME={H} SMSSITECODE=ABC"


def _by_rule(text: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in lint_command_line(text):
        out.setdefault(r.rule, []).append(r)
    return out


def _failed(text: str) -> set[str]:
    return {r.rule for r in lint_command_line(text) if r.status in (Status.FAIL, Status.WARN)}


def test_good_line_passes() -> None:
    assert _failed(GOOD) == set()


def test_split_keeps_quotes() -> None:
    tokens, open_quote = split_command_line('a CCMCERTSEL="SubjectStr:Contoso Ltd" b')
    assert tokens == ["a", 'CCMCERTSEL="SubjectStr:Contoso Ltd"', "b"]
    assert not open_quote
    assert split_command_line('x "y')[1] is True


@pytest.mark.parametrize(
    ("text", "rule", "words"),
    [
        (f"ccmsetup.exe CCMHOSTNAME={H} /mp:https://{H} SMSSITECODE=ABC", "CMD-ORDER", "/mp comes after"),
        (f"ccmsetup.exe /mp:http://{H} CCMHOSTNAME={H} SMSSITECODE=ABC", "CMD-MP-HTTPS", "https://"),
        (f"ccmsetup.exe /mp:https://{H} CCMHOSTNAME=https://{H} SMSSITECODE=ABC", "CMD-CCMHOSTNAME",
         "must not include https://"),
        (f"ccmsetup.exe /mp:https://{H} CCMHOSTNAME={H} SMSSITECODE=AUTO", "CMD-SITECODE", "AUTO"),
        (f"ccmsetup.exe /mp:https://{H} CCMHOSTNAME={H}", "CMD-SITECODE", "missing"),
        (f"ccmsetup.exe /mp:https://{H} CCMHOSTNAME={H} SMSSITECODE=AB1X", "CMD-SITECODE", "three"),
        (f"ccmsetup.exe /mp:https://{H} /regtoken:abc CCMHOSTNAME={H} SMSSITECODE=ABC", "CMD-REGTOKEN", "SMSMP"),
        (f"ccmsetup.exe /regtoken: CCMHOSTNAME={H} SMSSITECODE=ABC SMSMP=mp.contoso.com", "CMD-REGTOKEN",
         "the token"),
        (f"ccmsetup.exe /mp:https://{H} /UsePKICert CCMHOSTNAME={H} SMSSITECODE=ABC AADTENANTID="
         "72f988bf-86f1-41af-91ab-2d7cd011db47", "CMD-PKI-AAD", "AADTENANTID"),
        (f"ccmsetup.exe /mp:https://{H} CCMHOSTNAME={H} SMSSITECODE=ABC AADCLIENTAPPID=xyz", "CMD-AAD-GUIDS",
         "AADCLIENTAPPID"),
        (f"ccmsetup.exe /mp:https://other.contoso.com CCMHOSTNAME={H} SMSSITECODE=ABC", "CMD-MP-MATCH",
         "different"),
        (f"ccmsetup.exe /mp:https://{H} stray CCMHOSTNAME={H} SMSSITECODE=ABC", "CMD-SYNTAX", "stray"),
        (f'ccmsetup.exe /mp:https://{H} CCMHOSTNAME={H} SMSSITECODE=ABC CCMCERTSEL="x', "CMD-SYNTAX",
         "never closed"),
    ],
)
def test_each_rule_fails(text: str, rule: str, words: str) -> None:
    found = [r for r in _by_rule(text).get(rule, []) if r.status in (Status.FAIL, Status.WARN)]
    assert found, f"{rule} did not fire"
    assert words in found[0].message
    assert found[0].fix and found[0].source.startswith("cmg-domain §9 V")


def test_documented_token_example_order_is_flagged() -> None:
    text = f"ccmsetup.exe /mp:https://{H} CCMHOSTNAME={H} SMSSiteCode=ABC SMSMP=https://mp1.contoso.com /regtoken:eyJ0"
    assert _failed(text) == {"CMD-ORDER"}


def test_intune_length_limit() -> None:
    inner = f"/mp:https://{H} CCMHOSTNAME={H} SMSSITECODE=ABC"
    ok = f'ccmsetup.msi CCMSETUPCMD="{inner}"'
    assert _failed(ok) == set()
    pad = "x" * (INTUNE_MAX_CHARS - len(f'CCMSETUPCMD="{inner} AADRESOURCEURI=https://c.com/"'))
    exact = f'ccmsetup.msi CCMSETUPCMD="{inner} AADRESOURCEURI=https://c.com/{pad}"'
    assert _failed(exact) == set()
    over = exact.replace(pad, pad + "y")
    assert _failed(over) == {"CMD-INTUNE-LENGTH"}


def test_intune_inner_line_is_linted() -> None:
    text = f'ccmsetup.msi CCMSETUPCMD="/mp:https://{H} CCMHOSTNAME=https://{H} SMSSITECODE=ABC"'
    assert "CMD-CCMHOSTNAME" in _failed(text)


def test_msi_without_ccmsetupcmd() -> None:
    assert "CMD-SYNTAX" in _failed(f"ccmsetup.msi /mp:https://{H}")


def test_empty_and_path_to_executable() -> None:
    assert _failed("   ") == {"CMD-SYNTAX"}
    assert _failed(f"C:\\Temp\\ccmsetup.exe /mp:https://{H} CCMHOSTNAME={H} SMSSITECODE=ABC") == set()
