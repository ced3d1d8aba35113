"""safe_read's streaming side: files in bounded chunks, what a path is, folders, zips under limits.

A FIFO with no writer, ``/dev/zero`` and a socket are refused at the first chunk with a plain
reason, before anything is read (bounded in time: a hang fails the test instead of stalling it).
"""

from __future__ import annotations

import os
import socket
import zipfile
from pathlib import Path

import pytest

from cmgtui.safe_read import ReadRefused, ZipLimits, ZipReader, kind_of, list_folder, read_chunks, read_head
from tests.hostile.corpus import bounded

LIMITS = ZipLimits(entries=10, total=1024 * 1024, ratio=50, ratio_from=64 * 1024)


def test_a_file_comes_in_chunks_no_larger_than_asked(tmp_path: Path) -> None:
    path = tmp_path / "CloudMgr.log"
    path.write_bytes(b"x" * 10_000)
    chunks = list(read_chunks(path, chunk=4096))
    assert [len(c) for c in chunks] == [4096, 4096, 1808]
    assert read_head(path, 3) == b"xxx"


@pytest.mark.parametrize("kind, words", [("fifo", "named pipe"), ("zero", "device"), ("socket", "socket"),
                                         ("folder", "folder")])
def test_special_files_are_refused_at_the_first_chunk(kind: str, words: str, tmp_path: Path) -> None:
    path = tmp_path / "special.log"
    if kind == "fifo":
        os.mkfifo(path)  # nothing ever writes to it: opening it for reading would block
    elif kind == "zero":
        path = Path("/dev/zero")
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
    else:
        path.mkdir()

    def first_chunk() -> str:
        try:
            next(read_chunks(path))
        except ReadRefused as exc:
            return exc.reason
        return "read"

    assert words in bounded(first_chunk, 10)
    assert kind == "folder" or kind_of(path).problem is not None


def test_kind_of_tells_files_folders_and_links(tmp_path: Path) -> None:
    (tmp_path / "a.log").write_text("abc")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "sub")
    assert kind_of(tmp_path / "a.log").size == 3
    assert kind_of(tmp_path / "sub").folder and not kind_of(tmp_path / "sub").link
    assert kind_of(tmp_path / "link").folder and kind_of(tmp_path / "link").link
    assert list_folder(tmp_path) == sorted(tmp_path.iterdir())
    with pytest.raises(ReadRefused, match="does not exist"):
        kind_of(tmp_path / "gone.log")


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def test_a_zip_is_listed_once_and_its_members_streamed(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "logs.zip", {"Logs/b.log": b"second", "Logs/a.log": b"first", "readme.md": b"no"})
    with ZipReader.open(archive, lambda name: name.endswith(".log"), LIMITS) as reader:
        assert [m.name for m in reader.members] == ["Logs/a.log", "Logs/b.log"]
        assert b"".join(reader.chunks("Logs/b.log", chunk=2)) == b"second"
    with pytest.raises(ReadRefused, match="closed"):
        next(reader.chunks("Logs/a.log"))


def test_zip_limits_refuse_the_archive_or_skip_the_member(tmp_path: Path) -> None:
    many = _zip(tmp_path / "many.zip", {f"{i}.log": b"x" for i in range(11)})
    with pytest.raises(ReadRefused) as refused:
        ZipReader.open(many, lambda name: True, LIMITS)
    assert refused.value.code == "zip-entries" and refused.value.size == 11
    big = _zip(tmp_path / "big.zip", {"a.log": os.urandom(600 * 1024), "b.log": os.urandom(600 * 1024)})
    with pytest.raises(ReadRefused) as refused:
        ZipReader.open(big, lambda name: True, LIMITS)
    assert refused.value.code == "zip-total"
    bomb = _zip(tmp_path / "bomb.zip", {"bomb.log": b"\0" * (512 * 1024), "ok.log": b"fine"})
    with ZipReader.open(bomb, lambda name: True, LIMITS) as reader:
        assert [m.name for m in reader.skipped] == ["bomb.log"]
        assert [m.name for m in reader.members] == ["ok.log"]


def test_a_damaged_member_is_refused_with_what_is_wrong(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "logs.zip", {"a.log": b"A" * 5000})
    data = bytearray(archive.read_bytes())
    at = data.index(b"a.log") + len(b"a.log")  # the compressed bytes follow the local header's name
    data[at + 10] ^= 0xFF
    archive.write_bytes(bytes(data))
    with ZipReader.open(archive, lambda name: True, LIMITS) as reader, pytest.raises(ReadRefused) as refused:
        b"".join(reader.chunks("a.log"))
    assert refused.value.code == "zip-damaged" and refused.value.reason.startswith("damaged in the zip (")


def test_a_file_that_is_not_a_zip_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "logs.zip"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(ReadRefused) as refused:
        ZipReader.open(path, lambda name: True, LIMITS)
    assert refused.value.code == "not-zip" and "not a readable zip file" in refused.value.reason
