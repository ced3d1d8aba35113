"""Every X.509 and PKCS#12 file of the cryptography-vectors package, through loader and linter.

Thousands of real-world and deliberately broken files: each must load and lint, or be
refused with a one-line CertificateInputError. Files over 256 KB (huge CRLs) are skipped
to keep the run to a few seconds; the loader's size limit has its own test.
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import cryptography_vectors
import pytest

from cmgtui.domain.certs import (
    CertificateInputError,
    describe_bundle,
    lint_server_certificate,
    load_certificate_file,
)

VECTORS = Path(os.path.dirname(cryptography_vectors.__file__))
SIZE_CAP = 256 * 1024
NOW = datetime(2026, 1, 1, tzinfo=UTC)
PKCS12_PASSWORDS = (None, b"cryptography", b"password")


def _files(folder: str) -> list[Path]:
    return sorted(p for p in (VECTORS / folder).rglob("*") if p.is_file() and p.stat().st_size <= SIZE_CAP)


def _check(path: Path, password: bytes | None, outcomes: Counter[str]) -> None:
    try:
        loaded = load_certificate_file(path, password)
    except CertificateInputError as error:
        message = str(error)
        assert message.startswith(str(path)) and "\n" not in message, message
        outcomes["refused"] += 1
        return
    results = lint_server_certificate(loaded, now=NOW)
    assert [r.rule for r in results][:2] == ["CERT-FORMAT", "CERT-PRIVATE-KEY"]
    assert describe_bundle(loaded).thumbprint
    outcomes["linted"] += 1
    if loaded.has_private_key:
        outcomes["with key"] += 1


@pytest.mark.parametrize(("folder", "passwords"), [("x509", (None,)), ("pkcs12", PKCS12_PASSWORDS)])
def test_every_vector_loads_and_lints_or_is_refused_cleanly(
    folder: str, passwords: tuple[bytes | None, ...]
) -> None:
    files = _files(folder)
    assert len(files) > 20
    outcomes: Counter[str] = Counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            for password in passwords:
                _check(path, password, outcomes)
    # Both branches ran on real data: plenty of certificates linted and plenty refused.
    assert outcomes["linted"] > (300 if folder == "x509" else 10), outcomes
    assert outcomes["refused"] > 10, outcomes
    if folder == "pkcs12":
        assert outcomes["with key"] > 5, outcomes
