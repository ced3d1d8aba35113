"""The certificate toolkit for Part 1 (server certificate) and Part 3 (trusted CA files).

Load any certificate container (:func:`load_certificate_file`), describe it for the UI
(:func:`describe_bundle`), lint it (:func:`lint_server_certificate`,
:func:`lint_certificate_file`), make a key and CSR (:func:`key_and_csr_pem`), assemble a
PFX (:func:`assemble_pfx`), make a lab set (:func:`lab_output`) and check trusted
root/intermediate ``.cer`` files (:func:`check_trusted_ca_files`). Every expected failure
raises a :class:`CertToolError` subclass with a one-line message. What is made comes back as
bytes: :mod:`cmgtui.services.certificate_files` writes the files.
"""

from cmgtui.domain.certs.bundle import CertificateBundle, SourceFormat
from cmgtui.domain.certs.csr import build_csr, check_csr_request, csr_file_names, generate_rsa_key, key_and_csr_pem
from cmgtui.domain.certs.errors import (
    CertificateInputError,
    CertificateOutputError,
    CertToolError,
    ParameterError,
    PasswordRequiredError,
    ServiceNameError,
)
from cmgtui.domain.certs.info import CertificateInfo, describe_bundle, describe_certificate, thumbprint
from cmgtui.domain.certs.lab import LabOutput, check_lab_request, lab_file_names, lab_output
from cmgtui.domain.certs.lint import (
    RULE_IDS,
    LintReport,
    lint_certificate_file,
    lint_server_certificate,
    previous_common_name,
)
from cmgtui.domain.certs.loading import load_certificate_bytes, load_certificate_file, load_private_key_file
from cmgtui.domain.certs.pfx import AssembledPfx, assemble_pfx, build_pfx
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
    "LabOutput",
    "LintReport",
    "ParameterError",
    "PasswordRequiredError",
    "ServiceNameError",
    "SourceFormat",
    "TrustedCa",
    "AssembledPfx",
    "assemble_pfx",
    "build_csr",
    "build_pfx",
    "check_trusted_ca_files",
    "check_trusted_cas",
    "check_csr_request",
    "check_lab_request",
    "csr_file_names",
    "describe_bundle",
    "describe_certificate",
    "generate_rsa_key",
    "key_and_csr_pem",
    "lab_file_names",
    "lab_output",
    "lint_certificate_file",
    "lint_server_certificate",
    "load_certificate_bytes",
    "load_certificate_file",
    "load_private_key_file",
    "load_trusted_ca_file",
    "previous_common_name",
    "thumbprint",
]
