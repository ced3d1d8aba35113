"""The runbook use case: ``cmgtui script --runbook NAME`` builds the runbook the Day two pane shows."""

from __future__ import annotations

import pytest

from cmgtui.domain.runbooks import rotation_runbook, scale
from cmgtui.model.enums import VmSize
from cmgtui.services.runbook import RUNBOOKS, RunbookRequest, build_runbook
from tests.unit.powershell.profiles import public_entra_2309


def test_each_name_builds_the_domains_runbook() -> None:
    profile = public_entra_2309()
    assert build_runbook(profile, RunbookRequest("rotate-secret")) == rotation_runbook(profile)
    assert build_runbook(profile, RunbookRequest("scale", instances=4)) == scale(profile, 4)
    sized = build_runbook(profile, RunbookRequest("scale", vm_size=VmSize.LARGE))
    assert sized == scale(profile, None, None, VmSize.LARGE)


def test_renewal_without_a_pfx_says_which_file_it_needs() -> None:
    book = build_runbook(public_entra_2309(), RunbookRequest("renew-certificate"))
    assert book.script is None
    assert book.blockers == ("Choose the new PFX file (the renewed certificate with its private key).",)


def test_renewal_with_an_unreadable_pfx_is_blocked_not_raised(tmp_path) -> None:
    book = build_runbook(public_entra_2309(), RunbookRequest("renew-certificate", new_pfx=str(tmp_path / "none.pfx"),
                                                             pfx_password=b"password1"))
    assert book.script is None and book.blockers


def test_an_unknown_runbook_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValueError, match=", ".join(RUNBOOKS)):
        build_runbook(public_entra_2309(), RunbookRequest("migrate"))
