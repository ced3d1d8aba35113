"""Reading a user-named file with a size limit, turning every OS error into one message.

Certificates, keys and PKCS#12 files are a few kilobytes; anything far larger is the wrong
file (a disk image, a log), so it is refused from its size before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cmgtui.domain.certs.errors import CertificateInputError

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Largest certificate, key or PKCS#12 file accepted (10 MiB)."""


def read_input_file(path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of ``path``, or :class:`CertificateInputError` saying why they can't be had.

    The size is checked with ``stat`` first, so a huge file is refused without reading it;
    at most ``limit + 1`` bytes are read in case the file grows in the meantime.
    """
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise CertificateInputError(f"{name}: file not found; check the path.") from None
    except PermissionError:
        raise CertificateInputError(f"{name}: permission denied; check the file's access rights.") from None
    except (OSError, ValueError) as exc:
        raise CertificateInputError(f"{name}: cannot be read ({_reason(exc)}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise CertificateInputError(f"{name}: is a folder, not a file; name the certificate file.")
    if not stat.S_ISREG(info.st_mode):
        raise CertificateInputError(f"{name}: is not a regular file; name the certificate file.")
    if info.st_size > limit:
        raise CertificateInputError(
            f"{name}: {_megabytes(info.st_size)} is too large for a certificate file "
            f"(limit {_megabytes(limit)}); check that this is the right file."
        )
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(limit + 1)
    except PermissionError:
        raise CertificateInputError(f"{name}: permission denied; check the file's access rights.") from None
    except OSError as exc:
        raise CertificateInputError(f"{name}: cannot be read ({_reason(exc)}).") from None
    if len(data) > limit:
        raise CertificateInputError(
            f"{name}: larger than {_megabytes(limit)}, too large for a certificate file; "
            "check that this is the right file."
        )
    return data


def _megabytes(size: int) -> str:
    """A size in MiB with one decimal, for messages."""
    return f"{size / (1024 * 1024):.1f} MB"


def _reason(exc: BaseException) -> str:
    """The OS's short reason for an error, without the path repeated."""
    return getattr(exc, "strerror", None) or exc.__class__.__name__
