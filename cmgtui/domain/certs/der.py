"""Recognising binary (DER/BER) input from its first bytes, without trusting file names.

Every format the toolkit reads is an ASN.1 SEQUENCE; what follows the outer header tells
them apart: a PKCS#12 file starts with the version INTEGER 3, a private key with version 0
or 1, a PKCS#7 bundle with an OBJECT IDENTIFIER, and a certificate (or CRL, CSR, public key)
with an inner SEQUENCE.
"""

from __future__ import annotations

from enum import StrEnum

from cmgtui.domain.certs.errors import CertificateInputError

_SEQUENCE = 0x30
_INTEGER = 0x02
_OID = 0x06


class DerKind(StrEnum):
    """What binary input looks like from its structure."""

    PKCS12 = "pkcs12"
    PRIVATE_KEY = "private_key"
    PKCS7 = "pkcs7"
    SEQUENCE = "sequence"
    """A certificate, or something shaped like one (CRL, CSR, public key, encrypted key)."""


def _header(data: bytes, offset: int, name: str) -> tuple[int, int | None, int]:
    """Read one tag/length header at ``offset``: (tag, length or None if indefinite, size)."""
    if offset + 2 > len(data):
        raise CertificateInputError(f"{name}: the file is truncated (it ends inside its first record).")
    tag = data[offset]
    first = data[offset + 1]
    if first < 0x80:
        return tag, first, 2
    count = first & 0x7F
    if count == 0:
        return tag, None, 2
    if count > 4:
        raise CertificateInputError(f"{name}: not a certificate, key or PKCS#12 file (bad binary structure).")
    if offset + 2 + count > len(data):
        raise CertificateInputError(f"{name}: the file is truncated (it ends inside its first record).")
    length = int.from_bytes(data[offset + 2 : offset + 2 + count], "big")
    return tag, length, 2 + count


def classify_der(data: bytes, name: str) -> DerKind:
    """Tell what kind of binary structure ``data`` holds, or raise CertificateInputError.

    Also refuses input whose outer record claims more bytes than the file has (truncated)
    or is followed by non-padding bytes (junk appended).
    """
    if not data or data[0] != _SEQUENCE:
        raise CertificateInputError(
            f"{name}: not a certificate, private key or PKCS#12 file (format not recognised)."
        )
    _tag, length, size = _header(data, 0, name)
    if length is not None:
        end = size + length
        if end > len(data):
            raise CertificateInputError(
                f"{name}: the file is truncated ({len(data)} of {end} bytes present); copy it again."
            )
        if data[end:].strip(b"\x00\r\n\t "):
            raise CertificateInputError(
                f"{name}: {len(data) - end} unexpected bytes follow the certificate data; "
                "the file is damaged or two files were joined."
            )
    inner_tag, inner_length, inner_size = _header(data, size, name)
    if inner_tag == _SEQUENCE:
        return DerKind.SEQUENCE
    if inner_tag == _OID:
        return DerKind.PKCS7
    if inner_tag == _INTEGER and inner_length is not None and 0 < inner_length <= 4:
        start = size + inner_size
        value = int.from_bytes(data[start : start + inner_length], "big")
        if value == 3:
            return DerKind.PKCS12
        if value in (0, 1):
            return DerKind.PRIVATE_KEY
    raise CertificateInputError(
        f"{name}: not a certificate, private key or PKCS#12 file (format not recognised)."
    )


def strip_trailing_padding(data: bytes) -> bytes:
    """``data`` without the zero bytes or line ends some tools append after DER."""
    _tag, length, size = _header(data, 0, "input")
    return data if length is None else data[: size + length]
