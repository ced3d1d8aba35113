"""The certificate toolkit for Part 1 (server certificate) and Part 3 (trusted CA files).

Load any certificate container (:func:`load_certificate_file`), describe it for the UI
(:func:`describe_bundle`), lint it (:func:`lint_server_certificate`,
:func:`lint_certificate_file`), make a key and CSR (:func:`create_csr_files`), assemble a
PFX (:func:`assemble_pfx_file`), make a lab set (:func:`create_lab_files`) and check
trusted root/intermediate ``.cer`` files (:func:`check_trusted_ca_files`). Every expected
failure raises a :class:`CertToolError` subclass with a one-line message.
"""

from cmgtui.domain.certs.bundle import CertificateBundle, SourceFormat
from cmgtui.domain.certs.csr import CsrFiles, build_csr, create_csr_files, generate_rsa_key
from cmgtui.domain.certs.errors import (
    CertificateInputError,
    CertificateOutputError,
    CertToolError,
    ParameterError,
    PasswordRequiredError,
    ServiceNameError,
)
from cmgtui.domain.certs.info import CertificateInfo, describe_bundle, describe_certificate, thumbprint
from cmgtui.domain.certs.lab import LabFiles, create_lab_files
from cmgtui.domain.certs.lint import (
    RULE_IDS,
    LintReport,
    lint_certificate_file,
    lint_server_certificate,
    previous_common_name,
)
from cmgtui.domain.certs.loading import load_certificate_bytes, load_certificate_file, load_private_key_file
from cmgtui.domain.certs.pfx import PfxResult, assemble_pfx_file, build_pfx
from cmgtui.domain.certs.reading import MAX_INPUT_BYTES
from cmgtui.domain.certs.trust import (
    TrustedCa,
    check_trusted_ca_files,
    check_trusted_cas,
    load_trusted_ca_file,
)

__all__ = [
    "MAX_INPUT_BYTES",
    "RULE_IDS",
    "CertToolError",
    "CertificateBundle",
    "CertificateInfo",
    "CertificateInputError",
    "CertificateOutputError",
    "CsrFiles",
    "LabFiles",
    "LintReport",
    "ParameterError",
    "PasswordRequiredError",
    "PfxResult",
    "ServiceNameError",
    "SourceFormat",
    "TrustedCa",
    "assemble_pfx_file",
    "build_csr",
    "build_pfx",
    "check_trusted_ca_files",
    "check_trusted_cas",
    "create_csr_files",
    "create_lab_files",
    "describe_bundle",
    "describe_certificate",
    "generate_rsa_key",
    "lint_certificate_file",
    "lint_server_certificate",
    "load_certificate_bytes",
    "load_certificate_file",
    "load_private_key_file",
    "load_trusted_ca_file",
    "previous_common_name",
    "thumbprint",
]
