"""Client command lines for installing and pointing clients at the CMG (§3.5, §8.3, §8.4).

Each builder returns a :class:`CommandLine`: either the text, built only from real profile
values, or the list of values still missing (never a line with placeholders in it). Every
generated line passes :func:`cmgtui.domain.clients.cmdlint.lint_command_line`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cmgtui.domain.azure.names import effective_service_name, is_wildcard
from cmgtui.domain.clients.cmdlint import lint_command_line
from cmgtui.domain.validate import fqdn_problem, guid_problem, int_range_problem, site_code_problem
from cmgtui.model.enums import ManagementPointMode
from cmgtui.model.profile import Profile

__all__ = [
    "CommandLine",
    "build_entra",
    "build_intune",
    "build_pki",
    "build_token",
    "bulk_token_tool_command",
    "cmg_mp_path",
    "cmgfqdns_command",
    "lint_command_line",
    "verification_command",
]

MAX_TOKEN_MINUTES = 10_080
VERIFY_COMMAND = (
    "Get-WmiObject -Namespace Root\\Ccm\\LocationServices -Class SMS_ActiveMPCandidate | "
    'Where-Object {$_.Type -eq "Internet"}'
)


@dataclass(frozen=True, slots=True)
class CommandLine:
    """A generated command, or what is missing before it can be generated."""

    kind: str
    title: str
    text: str = ""
    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """True when the command could be built."""
        return not self.missing and bool(self.text)


def _service(profile: Profile, missing: list[str]) -> str:
    cert = profile.certificate
    if not cert.service_name.strip():
        missing.append("CMG service name (Part 1)")
        return ""
    if is_wildcard(cert.service_name) and not cert.wildcard_prefix.strip():
        missing.append("service name prefix replacing '*' (Part 1)")
        return ""
    name = effective_service_name(cert.service_name, cert.wildcard_prefix)
    problem = fqdn_problem(name)
    if problem:
        missing.append(f"a valid CMG service name: {problem}")
        return ""
    return name


def cmg_mp_path(profile: Profile, missing: list[str] | None = None) -> str:
    """``<service name>/CCM_Proxy_MutualAuth/<MP role ID>``, or "" (with reasons in ``missing``)."""
    missing = [] if missing is None else missing
    service = _service(profile, missing)
    role_id = profile.clients.mp_role_id.strip()
    if not role_id:
        missing.append("management point role ID (the number after CCM_Proxy_MutualAuth/)")
    elif not re.fullmatch(r"\d+", role_id):
        missing.append(f"a numeric management point role ID ('{role_id}' isn't)")
        role_id = ""
    return f"{service}/CCM_Proxy_MutualAuth/{role_id}" if service and role_id else ""


def _site_code(profile: Profile, missing: list[str]) -> str:
    code = profile.site.site_code.strip()
    if not code:
        missing.append("site code")
        return ""
    problem = site_code_problem(code)
    if problem:
        missing.append(f"a valid site code: {problem}")
        return ""
    return code.upper()


def _smsmp(profile: Profile, missing: list[str] | None) -> str:
    """On-premises MP for SMSMP (https:// for an HTTPS MP); reports into ``missing`` if given."""
    mp = profile.clients.onprem_mp.strip()
    if not mp:
        if missing is not None:
            missing.append("on-premises management point FQDN (SMSMP)")
        return ""
    host = mp.split("://", 1)[-1]
    problem = fqdn_problem(host)
    if problem:
        if missing is not None:
            missing.append(f"a valid on-premises management point: {problem}")
        return ""
    if "://" in mp:
        return mp
    https = profile.client_auth.management_point_mode is ManagementPointMode.HTTPS
    return f"https://{host}" if https else host


def _guid(value: str, label: str, missing: list[str]) -> str:
    if not value.strip():
        missing.append(label)
        return ""
    if guid_problem(value):
        missing.append(f"a valid {label}: {guid_problem(value)}")
        return ""
    return value.strip().strip("{}")


def _entra_props(profile: Profile, missing: list[str]) -> list[str]:
    e = profile.entra
    tenant = _guid(e.tenant_id, "tenant ID", missing)
    client = _guid(e.client_app.app_id, "client app ID", missing)
    uri = e.server_app.app_id_uri.strip()
    if not uri:
        missing.append("server app's Application ID URI")
    elif any(c.isspace() or c == '"' for c in uri):
        missing.append("an Application ID URI without spaces or quotes")
        uri = ""
    return [f"AADTENANTID={tenant}", f"AADCLIENTAPPID={client}", f"AADRESOURCEURI={uri}"]


def _finish(kind: str, title: str, text: str, missing: list[str]) -> CommandLine:
    return CommandLine(kind, title, "" if missing else text, missing)


def build_entra(profile: Profile) -> CommandLine:
    """ccmsetup for Entra-joined or hybrid-joined devices (SMSMP added when known)."""
    missing: list[str] = []
    path = cmg_mp_path(profile, missing)
    code = _site_code(profile, missing)
    props = [f"CCMHOSTNAME={path}", f"SMSSITECODE={code}"]
    smsmp = _smsmp(profile, None)
    if smsmp:
        props.append(f"SMSMP={smsmp}")
    props += _entra_props(profile, missing)
    text = " ".join(["ccmsetup.exe", f"/mp:https://{path}", *props])
    return _finish("entra", "Microsoft Entra ID devices", text, missing)


def build_pki(profile: Profile) -> CommandLine:
    """ccmsetup for internet-only devices with a PKI client authentication certificate."""
    missing: list[str] = []
    path = cmg_mp_path(profile, missing)
    code = _site_code(profile, missing)
    params = [f"/mp:https://{path}", "/UsePKICert"]
    if profile.clients.no_crl_check:
        params.append("/NoCRLCheck")
    props = [f"CCMHOSTNAME={path}", f"SMSSITECODE={code}"]
    if profile.clients.always_internet:
        props.append("CCMALWAYSINF=1")
    text = " ".join(["ccmsetup.exe", *params, *props])
    return _finish("pki", "PKI client certificate", text, missing)


def build_token(profile: Profile, token: str = "") -> CommandLine:
    """ccmsetup with a bulk registration token (the token is pasted, never stored)."""
    missing: list[str] = []
    path = cmg_mp_path(profile, missing)
    code = _site_code(profile, missing)
    smsmp = _smsmp(profile, missing)
    jwt = token.strip()
    if not jwt:
        missing.append("bulk registration token (paste it; cmgtui never stores it)")
    elif any(c.isspace() or c == '"' for c in jwt):
        missing.append("a bulk registration token without spaces or quotes")
    params = [f"/mp:https://{path}", f"/regtoken:{jwt}"]
    props = [f"CCMHOSTNAME={path}", f"SMSSITECODE={code}", f"SMSMP={smsmp}"]
    text = " ".join(["ccmsetup.exe", *params, *props])
    return _finish("token", "Bulk registration token", text, missing)


def build_intune(profile: Profile) -> CommandLine:
    """Intune line-of-business app command line: ccmsetup.msi CCMSETUPCMD="…" (Entra).

    A line over Intune's 1,024-character limit is still returned; lint it to see (V47).
    """
    missing: list[str] = []
    path = cmg_mp_path(profile, missing)
    code = _site_code(profile, missing)
    inner = " ".join([f"/mp:https://{path}", f"CCMHOSTNAME={path}", f"SMSSITECODE={code}",
                      *_entra_props(profile, missing)])
    text = f'ccmsetup.msi CCMSETUPCMD="{inner}"'
    return _finish("intune", "Intune app (ccmsetup.msi)", text, missing)


def bulk_token_tool_command(lifetime_minutes: int) -> CommandLine:
    """The BulkRegistrationTokenTool call that issues a token valid for ``lifetime_minutes``."""
    problem = int_range_problem(str(lifetime_minutes), 1, MAX_TOKEN_MINUTES)
    missing = [f"a token lifetime in minutes: {problem}"] if problem else []
    text = f"BulkRegistrationTokenTool.exe /new /lifetime {lifetime_minutes}"
    return _finish("token-tool", "Issue a bulk registration token", text, missing)


def cmgfqdns_command(profile: Profile) -> CommandLine:
    """PowerShell that points an existing internet-only client at the CMG (CMGFQDNs value)."""
    missing: list[str] = []
    service = _service(profile, missing)
    text = (
        "New-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\CCM' -Name 'CMGFQDNs' -PropertyType String "
        f"-Value 'https://{service}' -Force | Out-Null; Restart-Service -Name CcmExec"
    )
    return _finish("cmgfqdns", "Point an existing client at the CMG", text, missing)


def verification_command() -> CommandLine:
    """PowerShell run on a client: lists the CMG when the client knows it as an internet MP."""
    return CommandLine("verify", "Check that the client knows the CMG", VERIFY_COMMAND)
