"""Part 1's files go through the one new-file writer: folders 0700, files 0600, nothing replaced,
and a write that fails is one line naming the file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from cmgtui.domain.certs import CertificateOutputError
from cmgtui.services.certificate_files import create_lab_files, output_dir, write_new_file

PASSWORD = b"lab-password-1"


def test_missing_folders_are_made_private_parents_included(tmp_path: Path) -> None:
    folder = output_dir(tmp_path / "certs" / "cmg")
    assert folder.is_dir()
    for made in (tmp_path / "certs", tmp_path / "certs" / "cmg"):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(CertificateOutputError, match="not a folder; choose an output folder"):
        output_dir(tmp_path / "out")


def test_a_refused_lab_set_writes_neither_file(tmp_path: Path) -> None:
    (tmp_path / "granitefalls.contoso.com-lab.pfx").write_bytes(b"precious")
    with pytest.raises(CertificateOutputError, match="already exists"):
        create_lab_files(tmp_path, "granitefalls.contoso.com", PASSWORD)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["granitefalls.contoso.com-lab.pfx"]
    assert (tmp_path / "granitefalls.contoso.com-lab.pfx").read_bytes() == b"precious"


def test_a_write_that_fails_is_one_line_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "gone" / "cmg.pfx"
    with pytest.raises(CertificateOutputError) as failure:
        write_new_file(target, b"data")
    assert str(failure.value) == f"{target}: could not be written (No such file or directory)."
    assert not target.exists()


def test_written_files_are_0600_and_hold_every_byte(tmp_path: Path) -> None:
    target = tmp_path / "cmg.csr.pem"
    data = b"-----BEGIN CERTIFICATE REQUEST-----\n" + b"A" * 70_000 + b"\n"
    write_new_file(target, data)
    assert target.read_bytes() == data
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(CertificateOutputError, match="already exists"):
        write_new_file(target, b"other")
    assert target.read_bytes() == data
