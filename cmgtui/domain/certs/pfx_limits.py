"""Iteration counts of a PKCS#12 (PFX) file, checked before any key derivation runs.

Opening a PFX derives keys from the password once per iteration its file asks for: the MAC
key (``MacData.iterations``, RFC 7292 appendix) and the key of each password-based encryption
(PKCS#12 PBE or PBES2/PBKDF2 parameters). The count is the file's to choose, so a PFX with
2^31-1 MAC iterations keeps a reader busy for minutes. This module reads the DER structure
itself, bounded in depth and in records, and refuses a count above
:data:`MAX_PFX_ITERATIONS` before :mod:`cryptography` is given the file.

The cap is Windows': .NET's ``Pkcs12LoaderLimits`` for PFX files loaded the legacy way set
``MacIterationLimit`` and ``IndividualKdfIterationLimit`` to 600,000 (dotnet/runtime,
``X509Certificate.LegacyLimits.cs``), and BoringSSL notes that "Windows imposes a limit of
600K" (``crypto/pkcs8/pkcs8_x509.cc``). A PFX above it would not import on the Windows
servers a CMG certificate is meant for anyway.

Only counts in the clear can be seen: those of a bag nested inside an encrypted safe are
read by the library after decrypting it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.domain.certs.errors import CertificateInputError

MAX_PFX_ITERATIONS = 600_000
"""The most iterations accepted for the MAC or any key derivation of a PFX (Windows' limit)."""

_MAX_DEPTH = 32
_MAX_RECORDS = 100_000
_SEQUENCE = 0x30
_INTEGER = 0x02
_OCTET_STRING = 0x04
_CONSTRUCTED_OCTET_STRING = 0x24
_CONSTRUCTED = 0x20


class _Malformed(Exception):
    """The bytes are not the DER/BER this reader expects (the library will say more)."""


class _TooComplex(Exception):
    """More records or deeper nesting than any certificate export has."""


@dataclass(frozen=True, slots=True)
class _Record:
    tag: int
    content: bytes
    children: tuple[_Record, ...]


class _Reader:
    """A bounded BER reader: definite and indefinite lengths, at most ``_MAX_RECORDS`` records."""

    def __init__(self) -> None:
        self.records = 0

    def read_all(self, data: bytes, depth: int) -> tuple[_Record, ...]:
        out: list[_Record] = []
        offset = 0
        while offset < len(data):
            record, offset = self.read(data, offset, depth)
            out.append(record)
        return tuple(out)

    def read(self, data: bytes, offset: int, depth: int) -> tuple[_Record, int]:
        self.records += 1
        if self.records > _MAX_RECORDS or depth > _MAX_DEPTH:
            raise _TooComplex
        if offset + 2 > len(data):
            raise _Malformed
        tag, first = data[offset], data[offset + 1]
        if tag & 0x1F == 0x1F:
            raise _Malformed  # high tag numbers are not used by PKCS#12
        offset += 2
        if first == 0x80:
            if not tag & _CONSTRUCTED:
                raise _Malformed
            children: list[_Record] = []
            while data[offset : offset + 2] != b"\x00\x00":
                child, offset = self.read(data, offset, depth + 1)
                children.append(child)
            return _Record(tag, b"", tuple(children)), offset + 2
        if first < 0x80:
            length = first
        else:
            count = first & 0x7F
            if count > 4 or offset + count > len(data):
                raise _Malformed
            length = int.from_bytes(data[offset : offset + count], "big")
            offset += count
        end = offset + length
        if end > len(data):
            raise _Malformed
        content = data[offset:end]
        inner = self.read_all(content, depth + 1) if tag & _CONSTRUCTED else ()
        return _Record(tag, content, inner), end


def _integer(record: _Record) -> int:
    if not record.content or len(record.content) > 16:
        raise _Malformed
    return int.from_bytes(record.content, "big", signed=True)


def _octets(record: _Record) -> bytes:
    if record.tag == _CONSTRUCTED_OCTET_STRING:
        return b"".join(_octets(child) for child in record.children)
    return record.content


def _counts(record: _Record, reader: _Reader, depth: int) -> list[int]:
    """Every iteration count in the clear below ``record``: an INTEGER right after an OCTET STRING
    (the salt) in a SEQUENCE, the shape of MacData, PKCS#12 PBE parameters and PBKDF2 parameters;
    OCTET STRINGs that hold DER (the authenticated safe, the safe contents) are read too."""
    found: list[int] = []
    children = record.children
    if record.tag == _SEQUENCE:
        for salt, count in zip(children, children[1:], strict=False):
            if salt.tag in (_OCTET_STRING, _CONSTRUCTED_OCTET_STRING) and count.tag == _INTEGER:
                found.append(_integer(count))
    for child in children:
        found += _counts(child, reader, depth + 1)
    if record.tag in (_OCTET_STRING, _CONSTRUCTED_OCTET_STRING):
        inner = _octets(record)
        if inner[:1] == bytes([_SEQUENCE]):
            try:
                nested = reader.read_all(inner, depth + 1)
            except _Malformed:
                return found  # plain bytes that happen to start like a SEQUENCE (a salt, a digest)
            for item in nested:
                found += _counts(item, reader, depth + 1)
    return found


def check_pfx_iterations(data: bytes, name: str) -> None:
    """Raise :class:`CertificateInputError` when the PFX ``data`` asks for more than
    :data:`MAX_PFX_ITERATIONS` iterations for its MAC or a key derivation it shows in the clear.

    Bytes this reader can't follow are left to the PKCS#12 loader, which reports them.
    """
    reader = _Reader()
    try:
        pfx, _end = reader.read(data, 0, 0)
        if pfx.tag != _SEQUENCE:
            return
        mac_data = pfx.children[2] if len(pfx.children) > 2 else None
        if mac_data is not None and mac_data.tag == _SEQUENCE and len(mac_data.children) > 2:
            mac_iterations = _integer(mac_data.children[2])
            if mac_iterations > MAX_PFX_ITERATIONS:
                raise CertificateInputError(
                    f"{name}: the PKCS#12 file asks for {mac_iterations:,} MAC iterations; at most "
                    f"{MAX_PFX_ITERATIONS:,} are accepted (Windows' limit). Export it again with the "
                    "default settings.")
        counts = _counts(pfx, reader, 0)
    except _Malformed:
        return
    except _TooComplex:
        raise CertificateInputError(f"{name}: the PKCS#12 file is nested too deeply or holds too many records "
                                    "to be a certificate export; export it again.") from None
    too_many = [count for count in counts if count > MAX_PFX_ITERATIONS]
    if too_many:
        raise CertificateInputError(
            f"{name}: the PKCS#12 file asks for {too_many[0]:,} key-derivation iterations; at most "
            f"{MAX_PFX_ITERATIONS:,} are accepted (Windows' limit). Export it again with the default settings.")
