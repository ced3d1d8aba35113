"""The exceptions the certificate toolkit raises, each carrying a one-line message.

Callers (the CLI, the Part 1 screen) show ``str(error)`` as it is: the message already says
what went wrong and what to do, and never contains a password or key material.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm


class CertToolError(Exception):
    """Base of every expected failure of the certificate toolkit."""


class CertificateInputError(CertToolError):
    """A certificate, key or PKCS#12 file (or its bytes) could not be used.

    Raised for unreadable, oversized, empty, truncated, unrecognised or damaged input, for a
    missing or wrong password, and for a key that does not belong to the certificate.
    """


class ServiceNameError(CertToolError):
    """A CMG service name that cannot be put in a certificate request."""


class CertificateOutputError(CertToolError):
    """A file the toolkit was asked to write could not be created."""


class ParameterError(CertToolError):
    """A key size, passphrase or other parameter the toolkit cannot work with."""


class PasswordRequiredError(CertificateInputError):
    """The input is password-protected and no password was given (a caller may ask for one)."""


PARSE_ERRORS: tuple[type[Exception], ...] = (
    ValueError,
    UnsupportedAlgorithm,
    x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
    x509.InvalidVersion,
)
"""What ``cryptography`` raises when a certificate field cannot be parsed (some lazily)."""

PARSE_OR_TYPE_ERRORS: tuple[type[Exception], ...] = (*PARSE_ERRORS, TypeError)
"""The same, plus ``TypeError`` (raised for key types an operation does not support)."""
