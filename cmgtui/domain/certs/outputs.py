"""Creating output files safely: never overwriting, private files born with mode 0600.

A private key or PFX must never exist, even for an instant, with looser permissions, so
the mode is given to ``os.open`` at creation instead of being changed afterwards; and an
existing file (perhaps the only copy of a key) is never replaced.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from cmgtui.domain.certs.errors import CertificateOutputError, ParameterError

PRIVATE_MODE = 0o600
PUBLIC_MODE = 0o600
"""Certificates and CSRs are not secret, but like every file cmgtui writes they start private."""
MIN_SECRET_LENGTH = 8


def output_dir(path: str | os.PathLike[str]) -> Path:
    """``path`` as a folder that exists (created 0700 when missing)."""
    folder = Path(path).expanduser()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        raise CertificateOutputError(
            f"{folder}: exists and is not a folder; choose an output folder."
        ) from None
    except OSError as exc:
        raise CertificateOutputError(f"{folder}: cannot create the folder ({exc.strerror or exc}).") from None
    if not folder.is_dir():
        raise CertificateOutputError(f"{folder}: is not a folder; choose an output folder.")
    return folder


def ensure_absent(paths: Iterable[Path]) -> None:
    """Refuse before writing anything if any of ``paths`` already exists."""
    for path in paths:
        if path.exists() or path.is_symlink():
            raise CertificateOutputError(
                f"{path}: already exists; choose another folder or move the file away (files are never overwritten)."
            )


def write_new_file(path: Path, data: bytes, *, private: bool) -> None:
    """Create ``path`` exclusively and write ``data``; private files get mode 0600 at creation."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, PRIVATE_MODE if private else PUBLIC_MODE)
    except FileExistsError:
        raise CertificateOutputError(
            f"{path}: already exists; choose another folder or move the file away (files are never overwritten)."
        ) from None
    except OSError as exc:
        raise CertificateOutputError(f"{path}: cannot be created ({exc.strerror or exc}).") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise CertificateOutputError(f"{path}: could not be written ({exc.strerror or exc}).") from None


def file_stem(service_name: str) -> str:
    """A file-name-safe stem for a service name (``*`` becomes ``wildcard``)."""
    return re.sub(r"[^A-Za-z0-9.-]", "_", service_name.replace("*", "wildcard")).strip(".") or "certificate"


def check_secret(secret: bytes, what: str) -> None:
    """Refuse an empty or short passphrase/password for something this tool creates."""
    if len(secret) < MIN_SECRET_LENGTH:
        raise ParameterError(f"The {what} must have at least {MIN_SECRET_LENGTH} characters.")
