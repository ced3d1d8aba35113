"""Property tests: whatever bytes arrive, loaders and the linter answer cleanly.

Every outcome must be a bundle (that the linter and the describer then handle without an
exception) or a CertificateInputError with a one-line message.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmgtui.domain.certs import (
    CertificateBundle,
    CertificateInputError,
    describe_bundle,
    lint_server_certificate,
    load_certificate_bytes,
)
from cmgtui.domain.rules.results import Status

from .cert_factory import PASSWORD, Leaf, der, intermediate, key_pem, pem, pfx_bytes, root, rsa_key

FIXED_NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _samples() -> dict[str, bytes]:
    leaf = Leaf().build()
    return {
        "der": der(leaf),
        "pem": pem(leaf, intermediate(), root()) + key_pem(rsa_key(2048, 0)),
        "pfx": pfx_bytes(leaf, rsa_key(2048, 0), [intermediate(), root()]),
    }


SAMPLES = _samples()
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(data: bytes, password: bytes | None = PASSWORD) -> CertificateBundle | None:
    """Load ``data``; on success lint and describe it too. None means a clean refusal."""
    try:
        loaded = load_certificate_bytes(data, password, name="input")
    except CertificateInputError as error:
        message = str(error)
        assert message and "\n" not in message and "Traceback" not in message
        return None
    results = lint_server_certificate(loaded, now=FIXED_NOW)
    assert len(results) == 14 and all(r.status in Status for r in results)
    describe_bundle(loaded)
    return loaded


@QUICK
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    outcome(data)


@QUICK
@given(st.binary(max_size=2048).map(lambda tail: b"\x30" + tail))
def test_random_bytes_that_look_like_der(data: bytes) -> None:
    outcome(data)


@QUICK
@given(st.sampled_from(sorted(SAMPLES)), st.data())
def test_every_truncation(kind: str, data: st.DataObject) -> None:
    sample = SAMPLES[kind]
    cut = data.draw(st.integers(min_value=0, max_value=len(sample) - 1))
    outcome(sample[:cut])


@QUICK
@given(st.sampled_from(sorted(SAMPLES)), st.data())
def test_single_byte_corruption(kind: str, data: st.DataObject) -> None:
    sample = bytearray(SAMPLES[kind])
    index = data.draw(st.integers(min_value=0, max_value=len(sample) - 1))
    sample[index] = data.draw(st.integers(min_value=0, max_value=255))
    outcome(bytes(sample))


@QUICK
@given(
    st.text(st.characters(blacklist_characters="-", codec="utf-8"), max_size=200),
    st.text(st.characters(blacklist_characters="-", codec="utf-8"), max_size=200),
)
def test_pem_with_text_junk_around_it_still_loads_the_same_certificate(before: str, after: str) -> None:
    certificate_pem = x509.load_der_x509_certificate(SAMPLES["der"]).public_bytes(serialization.Encoding.PEM)
    data = before.encode("utf-8") + b"\n" + certificate_pem + b"\n" + after.encode("utf-8")
    loaded = outcome(data)
    assert loaded is not None
    assert loaded.certificate.public_bytes(serialization.Encoding.DER) == SAMPLES["der"]


@QUICK
@given(st.binary(min_size=1, max_size=64))
def test_wrong_pfx_password_is_always_a_clean_error(password: bytes) -> None:
    if password == PASSWORD:
        return
    assert outcome(SAMPLES["pfx"], password) is None
