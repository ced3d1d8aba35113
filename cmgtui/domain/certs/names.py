"""DNS-name facts about a certificate: its CN, its SAN DNS names, the CMG prefix.

The CMG takes its service name from the certificate's CN; ConfigMgr builds the Azure
resource names from the first label (the prefix). With a wildcard CN the administrator
supplies the prefix that replaces ``*`` (domain sheet §1, §3.1, D6). The prefix rule itself
lives in :mod:`cmgtui.domain.azure.names`, shared with the profile-level rules.
"""

from __future__ import annotations

import re

from cryptography import x509
from cryptography.x509.oid import NameOID

_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def is_fqdn(name: str) -> bool:
    """True for an ASCII DNS name of at least two labels whose last label is not numeric."""
    if not name or len(name) > 253 or not name.isascii():
        return False
    labels = name.rstrip(".").split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return False
    return not labels[-1].isdigit()


def is_wildcard(name: str) -> bool:
    """True for ``*.`` followed by an FQDN (the only wildcard form CMG supports)."""
    return name.startswith("*.") and is_fqdn(name[2:])


def first_label(name: str) -> str:
    """The first DNS label of ``name``."""
    return name.split(".", 1)[0]


def parent_domain(name: str) -> str:
    """Everything after the first label of ``name`` ('' when there is none)."""
    return name.split(".", 1)[1] if "." in name else ""


def covers(pattern: str, host: str) -> bool:
    """True when the certificate name ``pattern`` (maybe ``*.x``) matches ``host``, ignoring case."""
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern == host:
        return True
    if pattern.startswith("*.") and "." in host:
        label, rest = host.split(".", 1)
        return bool(label) and label != "*" and rest == pattern[2:]
    return False


def common_name(certificate: x509.Certificate) -> str | None:
    """The first CN of the subject as text, or None when there is none."""
    attributes = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not attributes:
        return None
    value = attributes[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def dns_names(certificate: x509.Certificate) -> list[str] | None:
    """The SAN dNSName entries in order, or None when there is no SAN extension."""
    try:
        extension = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return None
    return extension.value.get_values_for_type(x509.DNSName)


def effective_service_name(cn: str | None, override: str | None) -> str | None:
    """The service name the CMG will use: the CN, or the administrator's override.

    ``override`` may be a full name or just the prefix; a bare prefix is joined to the CN's
    parent domain (``GraniteFalls`` + ``*.contoso.com`` gives ``GraniteFalls.contoso.com``).
    Returns None when the CN is a wildcard and no override was given, or there is no CN.
    """
    override = (override or "").strip().rstrip(".")
    if not cn:
        return override if override and "." in override else None
    if not override:
        return None if cn.startswith("*") else cn
    if "." not in override:
        return f"{override}.{parent_domain(cn)}" if parent_domain(cn) else override
    return override
