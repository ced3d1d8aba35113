"""The script use case: the Automation pane and ``cmgtui script`` get the same script or the same gaps."""

from __future__ import annotations

import pytest

from cmgtui.domain.powershell import generate_script, missing_values
from cmgtui.model import Profile
from cmgtui.services.script import SCRIPT_ENCODING, setup_script
from tests.unit.powershell.profiles import public_entra_2309


def test_a_complete_profile_gets_the_generators_script_with_a_bom() -> None:
    profile = public_entra_2309()
    script = setup_script(profile)
    assert script.text == generate_script(profile)
    assert script.missing == ()
    assert script.file_name == "cmg-setup-ABC.ps1"
    assert script.encoded() == b"\xef\xbb\xbf" + script.text.encode("utf-8")
    assert SCRIPT_ENCODING == "utf-8-sig"


def test_an_incomplete_profile_gets_no_script_but_what_it_lacks() -> None:
    profile = Profile(name="new")
    script = setup_script(profile)
    assert script.text is None
    assert list(script.missing) == missing_values(profile)
    assert any(item.startswith("Site: site code") for item in script.missing)
    with pytest.raises(ValueError, match="not complete"):
        script.encoded()
