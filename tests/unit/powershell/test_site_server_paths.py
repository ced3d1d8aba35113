"""Paths for the machine that uses them (issue 20): the setup script and every runbook run on the
site server (Windows), which never sees a file of the machine cmgtui runs on. Every path they hand
it is a separate Windows-path value; a POSIX path never appears in what they write."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from cmgtui.domain.powershell import generate_script, missing_values
from cmgtui.domain.runbooks import renew_certificate, rotation_runbook, scale
from cmgtui.domain.validate import site_server_file, site_server_folder_problem
from cmgtui.model import Profile
from tests.unit.certs import cert_factory as cf
from tests.unit.powershell.profiles import SCENARIOS, public_entra_2309, public_pki_entra_2503_wildcard, usgov_pki_2207

#: A quoted PowerShell string that starts like a path of a Linux or macOS machine.
POSIX_PATH = re.compile(r"""['"](?:/|~/)[^'"]*['"]""")
JUMP_HOST = "/home/admin/certs"


def _on_the_jump_host(profile: Profile) -> Profile:
    """The files were read on a Linux jump host: every local path is a POSIX one."""
    profile.certificate.pfx_path = f"{JUMP_HOST}/GraniteFalls.pfx"
    for cert in profile.client_auth.trusted_certificates:
        cert.path = f"{JUMP_HOST}/{Path(cert.path.replace(chr(92), '/')).name}"
    return profile


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_setup_script_never_holds_a_posix_path(scenario: str) -> None:
    profile = _on_the_jump_host(SCENARIOS[scenario]())
    script = generate_script(profile, tool_version="test")
    assert JUMP_HOST not in script
    assert POSIX_PATH.findall(script) == []


def test_trusted_ca_files_are_named_in_the_site_server_folder() -> None:
    profile = _on_the_jump_host(usgov_pki_2207())
    script = generate_script(profile, tool_version="test")
    assert r"[string[]]$TrustedRootCertPaths = @('C:\certs\ContosoRoot.cer')" in script
    assert r"@('C:\certs\ContosoIssuing.cer')" in script
    share = _on_the_jump_host(public_pki_entra_2503_wildcard())
    assert r"@('\\pki01\certs\Root CA.cer')" in generate_script(share, tool_version="test")


def test_the_site_server_folder_is_asked_for_and_must_be_a_windows_path() -> None:
    profile = usgov_pki_2207()
    profile.client_auth.site_ca_folder = ""
    label = "Part 3: folder of the trusted CA certificate files on the site server (a Windows path)"
    assert label in missing_values(profile)
    profile.client_auth.site_ca_folder = JUMP_HOST
    problems = [m for m in missing_values(profile) if m.startswith(label)]
    assert problems and "is a path on this machine, not on the site server" in problems[0]
    assert site_server_folder_problem(r"C:\CMG") is None
    assert "isn't a full Windows path" in (site_server_folder_problem("certs") or "")


def test_a_file_name_goes_to_the_site_server_folder_never_the_local_folder() -> None:
    assert site_server_file("C:\\CMG\\", "/home/admin/root.cer") == r"C:\CMG\root.cer"
    assert site_server_file(r"\\cm01\share", r"C:\Users\admin\root.cer") == r"\\cm01\share\root.cer"


def test_no_runbook_holds_a_posix_path(tmp_path: Path) -> None:
    profile = _on_the_jump_host(public_entra_2309())
    profile.certificate.not_after = cf.NOW + timedelta(days=20)
    profile.entra.server_app.object_id = "0a0a0a0a-1111-4222-8333-444444444444"
    profile.entra.server_app.secret_key_id = "5b5b5b5b-1111-4222-8333-444444444444"
    spec = cf.Leaf()
    pfx = tmp_path / "new.pfx"
    pfx.write_bytes(cf.pfx_bytes(spec.build(), spec.leaf_key(), (cf.intermediate(), cf.root())))
    books = [renew_certificate(profile, pfx, cf.PASSWORD, now=cf.NOW), scale(profile, instances=4),
             rotation_runbook(profile)]
    for book in books:
        assert book.script is not None, (book.name, book.blockers)
        assert POSIX_PATH.findall(book.script) == [], book.name
        assert str(tmp_path) not in book.script and JUMP_HOST not in book.script
