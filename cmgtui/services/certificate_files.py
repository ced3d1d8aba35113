"""Part 1's certificate files: a key and CSR, a lab set, a PFX; the Certificate pane and ``cmgtui cert`` call these.

The certificate toolkit (:mod:`cmgtui.domain.certs`) makes them as bytes; they are written here
through the one writer, :func:`cmgtui.private_files.write_new_private`: a new file only (an
existing one, perhaps the only copy of a key, is never replaced), born 0600, every byte written
and fsynced with its folder. Every file is checked to be absent before anything is made, so a
refused run writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cmgtui.domain.certs.csr import check_csr_request, csr_file_names, key_and_csr_pem
from cmgtui.domain.certs.errors import CertificateOutputError
from cmgtui.domain.certs.lab import check_lab_request, lab_file_names, lab_output
from cmgtui.domain.certs.lint import LintReport, lint_certificate_file
from cmgtui.domain.certs.loading import load_certificate_file, load_private_key_file
from cmgtui.domain.certs.outputs import check_secret
from cmgtui.domain.certs.pfx import assemble_pfx
from cmgtui.private_files import make_dirs, write_new_private


@dataclass(frozen=True, slots=True)
class CsrFiles:
    """What :func:`create_csr_files` wrote."""

    key_path: Path
    csr_path: Path
    service_name: str
    key_size: int


@dataclass(frozen=True, slots=True)
class LabFiles:
    """What :func:`create_lab_files` wrote, with the thumbprints to record."""

    root_cer: Path
    pfx: Path
    service_name: str
    root_thumbprint: str
    server_thumbprint: str
    not_after: datetime


@dataclass(frozen=True, slots=True)
class PfxResult:
    """The PFX written, how many CA certificates it carries, and its lint report."""

    path: Path
    chain_count: int
    left_out: int
    report: LintReport


def output_dir(path: str | os.PathLike[str]) -> Path:
    """``path`` as a folder that exists (missing folders are created 0700)."""
    folder = Path(path).expanduser()
    try:
        make_dirs(folder)
    except FileExistsError:
        raise CertificateOutputError(f"{folder}: exists and is not a folder; choose an output folder.") from None
    except OSError as exc:
        raise CertificateOutputError(f"{folder}: cannot create the folder ({exc.strerror or exc}).") from None
    if not folder.is_dir():
        raise CertificateOutputError(f"{folder}: is not a folder; choose an output folder.")
    return folder


def _exists_message(path: Path) -> str:
    return f"{path}: already exists; choose another folder or move the file away (files are never overwritten)."


def ensure_absent(paths: Iterable[Path]) -> None:
    """Refuse before anything is made if any of ``paths`` already exists (a dangling link too)."""
    for path in paths:
        if path.exists() or path.is_symlink():
            raise CertificateOutputError(_exists_message(path))


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (0600) holding ``data``; CertificateOutputError (one line) when it can't be."""
    try:
        write_new_private(path, data)
    except FileExistsError:
        raise CertificateOutputError(_exists_message(path)) from None
    except OSError as exc:
        raise CertificateOutputError(f"{path}: could not be written ({exc.strerror or exc}).") from None


def create_csr_files(
    out_dir: str | os.PathLike[str], service_name: str, passphrase: bytes, key_size: int = 2048
) -> CsrFiles:
    """Write ``<name>.key.pem`` (encrypted) and ``<name>.csr.pem`` into ``out_dir``.

    Nothing is written when either file already exists or the inputs are invalid.
    """
    name = check_csr_request(service_name, passphrase, key_size)
    folder = output_dir(out_dir)
    key_name, csr_name = csr_file_names(name)
    key_path, csr_path = folder / key_name, folder / csr_name
    ensure_absent((key_path, csr_path))
    key_pem, csr_pem = key_and_csr_pem(name, passphrase, key_size)
    write_new_file(key_path, key_pem)
    write_new_file(csr_path, csr_pem)
    return CsrFiles(key_path=key_path, csr_path=csr_path, service_name=name, key_size=key_size)


def create_lab_files(
    out_dir: str | os.PathLike[str],
    service_name: str,
    pfx_password: bytes,
    *,
    key_size: int = 2048,
    legacy: bool = False,
    now: datetime | None = None,
) -> LabFiles:
    """Write ``<name>-lab-root.cer`` (DER) and ``<name>-lab.pfx`` into ``out_dir``."""
    name = check_lab_request(service_name, pfx_password)
    folder = output_dir(out_dir)
    root_name, pfx_name = lab_file_names(name)
    root_path, pfx_path = folder / root_name, folder / pfx_name
    ensure_absent((root_path, pfx_path))
    lab = lab_output(name, pfx_password, key_size=key_size, legacy=legacy, now=now)
    write_new_file(root_path, lab.root_cer)
    write_new_file(pfx_path, lab.pfx)
    return LabFiles(root_cer=root_path, pfx=pfx_path, service_name=name, root_thumbprint=lab.root_thumbprint,
                    server_thumbprint=lab.server_thumbprint, not_after=lab.not_after)


def assemble_pfx_file(
    cert_path: str | os.PathLike[str],
    key_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    password: bytes,
    *,
    key_password: bytes | None = None,
    chain_paths: Sequence[str | os.PathLike[str]] = (),
    service_name: str | None = None,
    legacy: bool = False,
    now: datetime | None = None,
) -> PfxResult:
    """Write a PFX from the issued certificate, its chain and key, then lint what was written.

    CA certificates come from the certificate file itself (PEM bundle, PKCS#7) and from
    ``chain_paths``; those that are not part of the certificate's chain are left out.
    """
    target = Path(out_path).expanduser()
    ensure_absent((target,))
    check_secret(password, "PFX password")
    bundle = load_certificate_file(cert_path)
    key = load_private_key_file(key_path, key_password)
    extra = [load_certificate_file(path) for path in chain_paths]
    pfx = assemble_pfx(bundle, key, extra, password, legacy=legacy)
    write_new_file(target, pfx.data)
    report = lint_certificate_file(target, password, service_name=service_name, now=now)
    return PfxResult(path=target, chain_count=pfx.chain_count, left_out=pfx.left_out, report=report)
