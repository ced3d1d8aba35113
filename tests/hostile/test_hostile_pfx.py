"""A PFX that asks for billions of iterations is refused before any key derivation runs.

The cap is Windows' 600,000 (``MacIterationLimit`` and ``IndividualKdfIterationLimit`` in
dotnet/runtime ``src/libraries/System.Security.Cryptography/src/System/Security/Cryptography/
X509Certificates/X509Certificate.LegacyLimits.cs``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import PrivateFormat, pkcs12
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmgtui.cli import main
from cmgtui.domain.certs.errors import CertificateInputError
from cmgtui.domain.certs.loading import load_certificate_bytes
from cmgtui.domain.certs.pfx_limits import MAX_PFX_ITERATIONS, check_pfx_iterations
from tests.hostile.corpus import bounded
from tests.unit.certs.cert_factory import root, rsa_key

PASSWORD = b"pfx-password"
ATTACK_ITERATIONS = 2**31 - 1
FAST_S = 5.0  # the refusal reads a few hundred bytes; 2^31-1 iterations would take minutes


def _pfx(kdf_rounds: int) -> bytes:
    """A real PFX (a CA certificate and its key) whose encryption uses ``kdf_rounds`` iterations."""
    encryption = (PrivateFormat.PKCS12.encryption_builder().kdf_rounds(kdf_rounds)
                  .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA256())
                  .build(PASSWORD))
    return pkcs12.serialize_key_and_certificates(b"victim", rsa_key(2048, 1), root(), None, encryption)


def _tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    length = bytes([n]) if n < 0x80 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes(
        (n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + length + content


def _children(data: bytes) -> list[tuple[int, bytes]]:
    """The (tag, content) records of definite-length DER ``data``."""
    out, offset = [], 0
    while offset < len(data):
        tag, first = data[offset], data[offset + 1]
        offset += 2
        if first >= 0x80:
            count = first & 0x7F
            length = int.from_bytes(data[offset:offset + count], "big")
            offset += count
        else:
            length = first
        out.append((tag, data[offset:offset + length]))
        offset += length
    return out


def with_mac_iterations(pfx: bytes, iterations: int) -> bytes:
    """``pfx`` with its MacData iteration count replaced (the MAC itself is left as it was)."""
    [(outer_tag, outer)] = _children(pfx)
    version, auth_safe, (mac_tag, mac_data) = _children(outer)
    digest, salt, _count = _children(mac_data)
    count = iterations.to_bytes((iterations.bit_length() + 8) // 8, "big")
    new_mac = _tlv(mac_tag, b"".join(_tlv(t, c) for t, c in (digest, salt, (0x02, count))))
    return _tlv(outer_tag, _tlv(*version) + _tlv(*auth_safe) + new_mac)


@pytest.fixture(scope="module")
def ordinary_pfx() -> bytes:
    return _pfx(2048)


def test_the_crafted_pfx_is_the_attack(ordinary_pfx: bytes) -> None:
    crafted = with_mac_iterations(ordinary_pfx, ATTACK_ITERATIONS)
    assert ordinary_pfx.endswith(b"\x02\x02\x08\x00")  # MacData iterations 2048 as cryptography writes them
    assert crafted.endswith(b"\x02\x04\x7f\xff\xff\xff")
    assert with_mac_iterations(ordinary_pfx, 2048) == ordinary_pfx


def test_cert_lint_refuses_a_pfx_with_2_31_mac_iterations_at_once(
    ordinary_pfx: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "attack.pfx"
    path.write_bytes(with_mac_iterations(ordinary_pfx, ATTACK_ITERATIONS))
    monkeypatch.setenv("PFX_PASSWORD", PASSWORD.decode())
    started = time.monotonic()
    code = bounded(lambda: main(["cert", "lint", str(path), "--password-env", "PFX_PASSWORD"]), FAST_S)
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert "2,147,483,647 MAC iterations" in err and "at most 600,000" in err
    assert "Traceback" not in err
    assert elapsed < FAST_S


def test_a_key_derivation_above_the_cap_is_refused_and_the_cap_itself_loads() -> None:
    above = _pfx(MAX_PFX_ITERATIONS + 1)
    with pytest.raises(CertificateInputError, match="600,001 key-derivation iterations; at most 600,000"):
        bounded(lambda: load_certificate_bytes(above, PASSWORD, name="above.pfx"), FAST_S)
    loaded = load_certificate_bytes(_pfx(MAX_PFX_ITERATIONS), PASSWORD, name="at-cap.pfx")
    assert loaded.private_key is not None


def test_an_ordinary_pfx_still_loads_with_or_without_mac_iterations_written(ordinary_pfx: bytes) -> None:
    assert load_certificate_bytes(ordinary_pfx, PASSWORD).private_key is not None
    with pytest.raises(CertificateInputError, match="wrong password, or the file is damaged"):
        # iterations 1 (the DEFAULT) changes the MAC key: the file no longer verifies, and says so
        load_certificate_bytes(with_mac_iterations(ordinary_pfx, 1), PASSWORD)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.integers(min_value=0, max_value=400))
def test_damaged_pfx_bytes_never_crash_or_hang_the_check(junk: bytes, cut: int) -> None:
    ordinary = _ORDINARY
    for data in (junk, ordinary[:cut] + junk, b"\x30\x80" + junk, ordinary[: len(ordinary) - cut % 50]):
        try:
            bounded(lambda data=data: check_pfx_iterations(data, "junk.pfx"), FAST_S)
        except CertificateInputError as exc:
            assert str(exc).startswith("junk.pfx: the PKCS#12 file ")


def test_deeply_nested_indefinite_records_are_refused_not_recursed() -> None:
    nested = b"\x30\x80" * 10_000 + b"\x00\x00" * 10_000
    with pytest.raises(CertificateInputError, match="nested too deeply"):
        bounded(lambda: check_pfx_iterations(nested, "deep.pfx"), FAST_S)


_ORDINARY = _pfx(2048)
