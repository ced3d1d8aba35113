"""The inputs every certificate lint rule reads, gathered once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from cryptography import x509

from cmgtui.domain.certs.bundle import CertificateBundle
from cmgtui.domain.certs.names import common_name, effective_service_name


@dataclass(frozen=True)
class LintContext:
    """A loaded bundle plus what the administrator told us about it.

    ``service_name`` is the administrator's choice (full name or prefix; needed for a
    wildcard CN), ``previous_cn`` the CN of the certificate being renewed, ``region`` the
    chosen Azure region (checked against a ``cloudapp.azure.com`` CN when given), ``now``
    the moment validity is judged at.
    """

    bundle: CertificateBundle
    now: datetime
    service_name: str | None = None
    previous_cn: str | None = None
    region: str | None = None

    @property
    def certificate(self) -> x509.Certificate:
        """The leaf certificate under test."""
        return self.bundle.certificate

    @cached_property
    def cn(self) -> str | None:
        """The leaf's CN (None when absent)."""
        return common_name(self.certificate)

    @cached_property
    def service(self) -> str | None:
        """The service name the CMG would use (CN or override), None when undecided."""
        return effective_service_name(self.cn, self.service_name)
