"""Opening private keys (PEM or DER, plain or encrypted) with one kind of error.

``cryptography`` says "wrong password", "password missing" and "not a key" through a mix
of ``TypeError``, ``ValueError`` and ``UnsupportedAlgorithm``; this module turns them into
:class:`CertificateInputError` messages that say what to do.
"""

from __future__ import annotations

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from cmgtui.domain.certs.errors import CertificateInputError, PasswordRequiredError


def open_private_key(data: bytes, password: bytes | None, name: str, *, pem: bool) -> PrivateKeyTypes:
    """Decode one private key (a PEM block or DER bytes), decrypting it with ``password``.

    A password given for a key that is not encrypted is ignored rather than refused, so the
    same password option can serve a PFX and a plain key file alike.
    """
    loader = serialization.load_pem_private_key if pem else serialization.load_der_private_key
    try:
        return loader(data, password)
    except TypeError as exc:
        if password is not None and "not encrypted" in str(exc):
            return open_private_key(data, None, name, pem=pem)
        if password is None:
            raise PasswordRequiredError(
                f"{name}: the private key is encrypted; supply its passphrase."
            ) from None
        raise CertificateInputError(f"{name}: the private key could not be read.") from None
    except UnsupportedAlgorithm:
        raise CertificateInputError(
            f"{name}: the private key uses an algorithm or encryption that cannot be read; "
            "export it as PKCS#8 (RSA) instead."
        ) from None
    except ValueError:
        if password is not None:
            raise CertificateInputError(
                f"{name}: could not open the private key: wrong passphrase, or the key is damaged."
            ) from None
        raise CertificateInputError(f"{name}: the private key is damaged or not a supported key.") from None
