"""Reading a user-named file with a size limit, turning every OS error into one message.

Certificates, keys and PKCS#12 files are a few kilobytes; anything far larger is the wrong
file (a disk image, a log), so it is refused from its size before a byte is read.
"""

from __future__ import annotations

import os

from cmgtui.domain.certs.errors import CertificateInputError
from cmgtui.safe_read import ReadRefused, read_checked

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Largest certificate, key or PKCS#12 file accepted (10 MiB)."""


def read_input_file(path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of ``path``, or :class:`CertificateInputError` saying why they can't be had.

    Read through :func:`cmgtui.safe_read.read_checked`: only a regular file (a FIFO is never
    waited on, a device never read), its size checked on the opened file before reading, and
    at most ``limit + 1`` bytes read in case the file grows in the meantime.
    """
    name = str(path)
    try:
        return read_checked(path, limit=limit)
    except ReadRefused as exc:
        if exc.code == "too-large":
            size = f"{_megabytes(exc.size)} is" if exc.size is not None else f"larger than {_megabytes(limit)},"
            raise CertificateInputError(
                f"{name}: {size} too large for a certificate file (limit {_megabytes(limit)}); "
                "check that this is the right file."
            ) from None
        raise CertificateInputError(f"{name}: {_MESSAGES.get(exc.code, exc.reason)}") from None
    except ValueError:
        raise CertificateInputError(f"{name}: cannot be read (the name is not a usable path).") from None


_MESSAGES = {
    "missing": "file not found; check the path.",
    "denied": "permission denied; check the file's access rights.",
    "folder": "is a folder, not a file; name the certificate file.",
    "fifo": "is not a regular file; name the certificate file.",
    "device": "is not a regular file; name the certificate file.",
    "socket": "is not a regular file; name the certificate file.",
    "not-a-file": "is not a regular file; name the certificate file.",
}


def _megabytes(size: int) -> str:
    """A size in MiB with one decimal, for messages."""
    return f"{size / (1024 * 1024):.1f} MB"
