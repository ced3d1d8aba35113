"""What Part 1's output files are called and what their secrets must be.

The files themselves are written by :mod:`cmgtui.services.certificate_files` through the one
writer (:mod:`cmgtui.private_files`): new files only, born 0600, fsynced. This module decides
names and refuses weak secrets; it never touches the file system.
"""

from __future__ import annotations

import re

from cmgtui.domain.certs.errors import ParameterError

MIN_SECRET_LENGTH = 8


def file_stem(service_name: str) -> str:
    """A file-name-safe stem for a service name (``*`` becomes ``wildcard``)."""
    return re.sub(r"[^A-Za-z0-9.-]", "_", service_name.replace("*", "wildcard")).strip(".") or "certificate"


def check_secret(secret: bytes, what: str) -> None:
    """Refuse an empty or short passphrase/password for something this tool creates."""
    if len(secret) < MIN_SECRET_LENGTH:
        raise ParameterError(f"The {what} must have at least {MIN_SECRET_LENGTH} characters.")
