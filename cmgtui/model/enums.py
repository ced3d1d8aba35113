"""Closed sets of values that a profile can hold.

Each enum's value is what is written to the profile file, so values are stable strings
and never renamed without a schema migration.
"""

from __future__ import annotations

from enum import StrEnum


class AzureEnvironment(StrEnum):
    """The two Azure clouds Configuration Manager supports (domain sheet §1)."""

    PUBLIC = "AzurePublicCloud"
    US_GOVERNMENT = "AzureUSGovernmentCloud"


class DeploymentMethod(StrEnum):
    """How the CMG is hosted in Azure; classic is legacy (removed in 2203)."""

    VMSS = "vmss"
    CLASSIC = "classic"


class TopLevelSite(StrEnum):
    """The top-level site of the hierarchy, where the CMG is created (domain sheet §3.4)."""

    STANDALONE_PRIMARY = "standalone_primary"
    CAS = "cas"


class VmSize(StrEnum):
    """The three CMG VM sizes offered since 2107 (domain sheet §3.4, §6)."""

    LAB = "B2s"
    STANDARD = "A2_v2"
    LARGE = "A4_v2"


class CertificateSource(StrEnum):
    """Where the CMG server authentication certificate comes from (Part 1)."""

    PUBLIC_CA = "public_ca"
    ENTERPRISE_PKI = "enterprise_pki"
    EXISTING_PFX = "existing_pfx"
    LAB = "lab"


class EntraPath(StrEnum):
    """How the two Entra app registrations come to exist (Part 2)."""

    CONFIGMGR_CREATES = "configmgr_creates"
    CREATE_HERE = "create_here"
    IMPORT = "import"


class ClientAuthMethod(StrEnum):
    """Client authentication methods for internet clients (Part 3)."""

    ENTRA = "entra"
    PKI = "pki"
    TOKEN = "token"


class ManagementPointMode(StrEnum):
    """How the CMG-enabled management point talks to clients (Part 3/4)."""

    HTTPS = "https"
    ENHANCED_HTTP = "ehttp"
    HTTP = "http"


class EntraRole(StrEnum):
    """Directory roles the seed article accepts for registering apps (checklist item 4)."""

    GLOBAL_ADMINISTRATOR = "Global Administrator"
    CLOUD_APPLICATION_ADMINISTRATOR = "Cloud Application Administrator"
    APPLICATION_ADMINISTRATOR = "Application Administrator"
    APPLICATION_DEVELOPER = "Application Developer"


class SecretLifetime(StrEnum):
    """Client secret lifetimes Entra and the wizard offer (domain sheet D11)."""

    MONTHS_12 = "12"
    MONTHS_24 = "24"
