"""Field validators: each takes the text a user typed and returns None or a one-line reason.

Screens show the reason inline next to the field, and the profile rules reuse the same
functions, so a value is judged the same way everywhere. Every reason says what to enter.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from cmgtui.domain.azure.locations import ARM_LOCATIONS, PUBLIC_LOCATIONS, USGOV_LOCATIONS, locations_for
from cmgtui.domain.rules.results import Severity

__all__ = [
    "ARM_LOCATIONS",
    "PUBLIC_LOCATIONS",
    "USGOV_LOCATIONS",
    "app_id_uri_check",
    "app_id_uri_problem",
    "app_name_clash",
    "app_names_problem",
    "bulk_token_problem",
    "azure_service_name_problem",
    "fqdn_problem",
    "guid_problem",
    "int_range_problem",
    "PathUse",
    "path_problem",
    "tenant_problem",
    "locations_for",
    "management_point_problem",
    "mp_role_id_problem",
    "parse_utc_time",
    "region_problem",
    "resource_group_problem",
    "site_code_problem",
    "site_version_problem",
]

GUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
#: What a PowerShell string in the script can't hold (the same test as powershell.quoting).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]")
_SITE_CODE = re.compile(r"^[A-Za-z0-9]{3}$")
#: Names Windows reserves for devices; Configuration Manager refuses them as site codes.
RESERVED_SITE_CODES = frozenset({"AUX", "CON", "NUL", "PRN", "SMS"})
#: Oldest current-branch version the tool plans for (ARM-only CMG creation, §0.2).
MIN_SITE_VERSION = 1902
_RG_AZURE = re.compile(r"^[\w().-]{1,90}$")
_RG_EARLY_VMSS = re.compile(r"^[a-z0-9-]{1,90}$")
#: The wizard's default App ID URI, which tenants with URI restrictions refuse (V31).
CONFIGMGR_DEFAULT_APP_ID_URI = "https://configmgrservice"


def fqdn_problem(text: str, allow_wildcard: bool = False) -> str | None:
    """None for a fully qualified DNS name (two or more labels), else why not.

    ``allow_wildcard`` accepts ``*.domain`` (a certificate CN may be a wildcard).
    """
    name = text.strip()
    if not name:
        return "Enter a fully qualified domain name, e.g. GraniteFalls.contoso.com."
    if "://" in name:
        return f"'{name}' includes a scheme; enter only the host name, without https://."
    if "/" in name or ":" in name:
        return f"'{name}' includes a path or port; enter only the host name."
    name = name.rstrip(".")
    if len(name) > 253:
        return f"The name is {len(name)} characters; a DNS name has at most 253."
    labels = name.split(".")
    if len(labels) < 2:
        return f"'{name}' is a single label; enter the full name including the domain."
    if allow_wildcard and labels[0] == "*":
        labels = labels[1:]
        if len(labels) < 2:
            return f"'{name}' is too broad; a wildcard needs a domain such as *.contoso.com."
    for label in labels:
        if not label:
            return f"'{name}' has an empty label (two dots in a row); remove the extra dot."
        if len(label) > 63:
            return f"Label '{label[:20]}…' is longer than 63 characters; shorten it."
        if not _LABEL.match(label):
            if "*" in label:
                return f"'{name}': a wildcard is only allowed as the whole first label."
            return (
                f"Label '{label}' may hold only letters, digits and hyphens, "
                "and must not start or end with a hyphen."
            )
    if labels[-1].isdigit():
        return f"'{name}' looks like an IP address; enter a DNS name."
    return None


def tenant_problem(text: str) -> str | None:
    """Why ``text`` cannot name a tenant to sign in to (empty is fine: the account's home tenant).

    A tenant is named by its ID (a GUID) or one of its domains (contoso.onmicrosoft.com).
    """
    value = text.strip()
    if not value or GUID_PATTERN.match(value) or fqdn_problem(value) is None:
        return None
    return "Enter the tenant ID (a GUID) or a domain such as contoso.onmicrosoft.com, or leave it empty."


def guid_problem(text: str) -> str | None:
    """None for a GUID like ``72f988bf-86f1-41af-91ab-2d7cd011db47`` (V30)."""
    value = text.strip().strip("{}")
    if not value:
        return "Enter a GUID (8-4-4-4-12 hexadecimal digits)."
    if GUID_PATTERN.match(value):
        return None
    return f"'{text.strip()}' is not a GUID; copy the 8-4-4-4-12 hexadecimal ID from the portal."


def site_code_problem(text: str) -> str | None:
    """None for an explicit three-character site code (V46: never AUTO through a CMG)."""
    code = text.strip()
    if not code:
        return "Enter the three-character site code, e.g. ABC."
    if code.upper() == "AUTO":
        return "AUTO doesn't work through a CMG; enter the explicit three-character site code."
    if not _SITE_CODE.match(code):
        return f"Site code '{code}' must be exactly three letters or digits, e.g. ABC."
    if code.upper() in RESERVED_SITE_CODES:
        return f"'{code.upper()}' is a reserved name and can't be a site code; check the code."
    return None


def site_version_problem(text: str) -> str | None:
    """None for a current-branch version written YYMM (1902 or later), e.g. 2309."""
    value = text.strip()
    if not value:
        return "Enter the site version as four digits, e.g. 2309."
    if not re.fullmatch(r"\d{4}", value):
        return f"'{value}' isn't a version; enter the four-digit current-branch version, e.g. 2309."
    month = int(value[2:])
    if not 1 <= month <= 12:
        return f"'{value}' isn't a version: the last two digits are a month (01-12)."
    if int(value) < MIN_SITE_VERSION:
        return f"Version {value} is older than {MIN_SITE_VERSION}; update the site before planning a CMG."
    return None


def azure_service_name_problem(text: str) -> str | None:
    """None for a usable name of the Cloud Management Azure service (the script's -Name).

    The script writes the name into a PowerShell string, so the rule is the script's own: not
    empty, and no line break or other control character.
    """
    name = text.strip()
    if not name:
        return "Enter a name for the Azure service, e.g. Contoso cloud management."
    if _CONTROL.search(name):
        return "The name contains a line break or control character; type it on one line."
    return None


def int_range_problem(text: str, lo: int, hi: int) -> str | None:
    """None for a whole number between ``lo`` and ``hi`` inclusive."""
    value = text.strip().replace(",", "").replace("_", "")
    if not value:
        return f"Enter a whole number from {lo:,} to {hi:,}."
    try:
        number = int(value)
    except ValueError:
        return f"'{text.strip()}' isn't a whole number; enter one from {lo:,} to {hi:,}."
    if not lo <= number <= hi:
        return f"{number:,} is out of range; enter a number from {lo:,} to {hi:,}."
    return None


def resource_group_problem(name: str, site_version: int | None) -> str | None:
    """None for a resource group name Azure and this site version accept (V27)."""
    value = name.strip()
    if not value:
        return "Enter a resource group name."
    if len(value) > 90:
        return f"The name is {len(value)} characters; a resource group name has at most 90."
    if value.endswith("."):
        return "A resource group name can't end with a period; remove it."
    if not _RG_AZURE.match(value):
        return (
            "Use only letters, digits, underscores, parentheses, hyphens and periods "
            "in a resource group name."
        )
    if site_version in (2010, 2103) and not _RG_EARLY_VMSS.match(value):
        return (
            f"Version {site_version} needs a resource group name of lowercase letters, "
            "digits and hyphens only."
        )
    return None


def app_id_uri_check(
    uri: str, tenant_id: str, verified_domains: Iterable[str] = ()
) -> tuple[Severity, str] | None:
    """Judge a server app's Application ID URI (V31): None, or (severity, reason).

    An unusable value is an error; a URI that works but is the ConfigMgr default or doesn't
    carry the tenant ID or a verified domain is a warning, because tenants that restrict
    identifier URIs refuse it.
    """
    value = uri.strip()
    recommend = f"api://{tenant_id.strip() or '<tenant ID>'}/ConfigMgrService"
    if not value:
        return Severity.ERROR, f"Enter the server app's Application ID URI, e.g. {recommend}."
    if any(c.isspace() for c in value):
        return Severity.ERROR, "The Application ID URI can't contain spaces."
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc:
        return Severity.ERROR, f"'{value}' isn't an absolute URI; use e.g. {recommend}."
    if value.rstrip("/").lower() == CONFIGMGR_DEFAULT_APP_ID_URI:
        return (
            Severity.WARNING,
            f"https://ConfigMgrService is refused by tenants that restrict App ID URIs; use {recommend}.",
        )
    scheme = parts.scheme.lower()
    host = parts.netloc.lower()
    tenant = tenant_id.strip().lower()
    if scheme == "api":
        if GUID_PATTERN.match(host) and (not tenant or host == tenant or not parts.path.strip("/")):
            return None
        return Severity.WARNING, f"The App ID URI should include the tenant ID, e.g. {recommend}."
    if scheme == "https":
        domains = {d.strip().lower() for d in verified_domains if d.strip()}
        if host.endswith(".onmicrosoft.com") or not domains or host in domains:
            return None
        return (
            Severity.WARNING,
            f"{host} isn't a verified domain of the tenant; use {recommend} or a verified domain.",
        )
    return Severity.WARNING, f"Use an api:// or https:// App ID URI, e.g. {recommend}."


def app_id_uri_problem(
    uri: str, tenant_id: str, verified_domains: Iterable[str] = ()
) -> str | None:
    """The reason from :func:`app_id_uri_check` without its severity (None when fine)."""
    found = app_id_uri_check(uri, tenant_id, verified_domains)
    return None if found is None else found[1]


def region_problem(region: str, known_regions: Iterable[str]) -> str | None:
    """None when ``region`` is an ARM location name in ``known_regions``.

    Accepts a display name typed instead ("West US") by suggesting the ARM name. With no
    known regions only the form is checked.
    """
    value = region.strip()
    if not value:
        return "Choose the Azure region for the CMG, e.g. westus2."
    known = [r.lower() for r in known_regions]
    squashed = value.lower().replace(" ", "")
    if value != squashed and (squashed in known or not known):
        return f"Use the ARM location name '{squashed}' (lowercase, no spaces)."
    if not re.fullmatch(r"[a-z0-9]+", value.lower()):
        return f"'{value}' isn't a location name; use lowercase letters and digits, e.g. westus2."
    if not known or value.lower() in known:
        return None
    close = difflib.get_close_matches(value.lower(), known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"'{value}' isn't a region offered here.{hint}"


def mp_role_id_problem(text: str) -> str | None:
    """None for the MP role ID: the digits after CCM_Proxy_MutualAuth/ (cmg-domain §7.4)."""
    value = text.strip()
    if not value:
        return ("Enter the MP role ID: the number after CCM_Proxy_MutualAuth/ in MutualAuthPath of the site "
                "database's vProxy_Roles view (before any client uses the CMG), or in a client's "
                "SMS_ActiveMPCandidate MP value.")
    if value.isdigit():
        return None
    if "CCM_Proxy_MutualAuth/" in value:
        return "Enter only the number after CCM_Proxy_MutualAuth/, e.g. 72186325152220500."
    return f"'{value}' isn't a number; enter the digits after CCM_Proxy_MutualAuth/."


def management_point_problem(text: str) -> str | None:
    """None for an on-premises MP's FQDN, optionally with http:// or https://, else why not."""
    value = text.strip()
    scheme, sep, host = value.partition("://")
    if sep and scheme.lower() not in ("http", "https"):
        return f"'{scheme}://' isn't a management point scheme; write the FQDN, or https://FQDN for an HTTPS MP."
    return fqdn_problem((host if sep else value).rstrip("/"))


def app_name_clash(name: str, other: str) -> str | None:
    """Why ``name`` can't be one Entra app's display name next to the other app's ``other``."""
    if name.strip() and name.strip().lower() == other.strip().lower():
        return "The server app and the client app need different names."
    return None


def app_names_problem(server: str, client: str) -> str | None:
    """None when both Entra app display names are given and differ (ENTRA-APP-NAMES)."""
    if not server.strip() or not client.strip():
        return "Enter a name for both the server app and the client app."
    return app_name_clash(server, client)


def parse_utc_time(text: str) -> datetime:
    """A UTC time from 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM' (ValueError otherwise)."""
    value = text.strip()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ValueError(value)


def bulk_token_problem(tracking_id: str, expires: str) -> str | None:
    """Why a bulk registration token record can't be kept: its tracking ID (V30) and expiry."""
    if not tracking_id.strip():
        return "Enter the tracking ID the tool printed (a GUID), not the token."
    problem = guid_problem(tracking_id)
    if problem:
        if tracking_id.count(".") >= 2:
            return "That looks like the token itself; enter only its tracking ID (a GUID)."
        return problem
    if expires.strip():
        try:
            parse_utc_time(expires)
        except ValueError:
            return f"'{expires.strip()}' isn't a date; write it as YYYY-MM-DD HH:MM (UTC) or leave it empty."
    return None


#: The start of a full Windows path: a drive (C:\\) or a share (\\\\server\\share, or a path in it).
_WINDOWS_ROOT = re.compile(r"^(?:[A-Za-z]:\\|\\\\[^\\/]+\\[^\\/]+(?:\\|$))")
#: Characters a Windows file name can never hold (after the drive's colon).
_WINDOWS_FORBIDDEN = re.compile(r'[<>"|?*/]')
#: Where the script looks for the PFX on the site server unless told otherwise.
SITE_PFX_FOLDER = "C:\\CMG"


def site_server_path_problem(text: str, what: str = "the PFX", example: str = "C:\\CMG\\cmg.pfx") -> str | None:
    """Why ``text`` is not a full Windows path on the site server (None when it is).

    The script runs on the site server, so a path of the machine cmgtui runs on (``/home/…``,
    ``~/…``) means nothing there. ``what`` and ``example`` name the file (or folder) asked for.
    """
    value = text.strip()
    if not value:
        return f"Enter where {what} is on the site server, e.g. {example}."
    if value.startswith(("/", "~")):
        return (f"'{value}' is a path on this machine, not on the site server where the script runs; "
                f"copy {what} there and enter its Windows path, e.g. {example}.")
    if not _WINDOWS_ROOT.match(value):
        return f"'{value}' isn't a full Windows path; start with a drive (C:\\) or a share (\\\\server\\share\\)."
    if _WINDOWS_FORBIDDEN.search(value[2:]):
        return f"'{value}' holds a character a Windows path can't (< > \" | ? * or /); use backslashes."
    return None


def site_server_folder_problem(text: str) -> str | None:
    """Why ``text`` is not a Windows folder on the site server for the trusted CA files (Part 3)."""
    return site_server_path_problem(text, "the folder of the CA certificate files (.cer)", SITE_PFX_FOLDER)


def site_server_pfx_suggestion(local_path: str) -> str:
    """A place on the site server for the PFX: its file name (never its folder here) under C:\\CMG."""
    name = re.split(r"[\\/]", local_path.strip())[-1]
    return f"{SITE_PFX_FOLDER}\\{name or 'cmg.pfx'}"


def site_server_file(folder: str, local_path: str) -> str:
    """``local_path``'s file name (never its folder here) in the Windows ``folder`` of the site server."""
    name = re.split(r"[\\/]", local_path.strip())[-1]
    return folder.strip().rstrip("\\") + "\\" + name


class PathUse(StrEnum):
    """What a path typed into a field is for; each use looks at the file system its own way."""

    READ = "read"  # an existing file to read
    WRITE = "write"  # a file to write; an existing file is replaced
    CREATE = "create"  # a new file; an existing one is refused (secrets are never overwritten)
    FOLDER = "folder"  # a folder to write into; made when its parent exists


def path_problem(text: str, use: PathUse, what: str = "a file") -> str | None:
    """Why ``text`` can't serve as ``what`` for ``use`` (None when it can).

    The one path check behind every path field and prompt (saving a script or report, the
    hand-off folder, a new secret file, a trusted CA file), so each says the same thing.
    """
    value = text.strip()
    if not value:
        return f"Enter the path of {what}."
    path = Path(value).expanduser()
    if use is PathUse.FOLDER:
        if path.exists() and not path.is_dir():
            return f"{path} is a file; name a folder."
        if not path.exists() and not path.parent.is_dir():
            return f"The folder {path.parent} doesn't exist; name a folder in an existing one."
        return None
    if path.is_dir():
        return f"{value} is a folder; enter the path of {what}."
    if use is PathUse.READ:
        if not path.is_file():
            return f"{value} doesn't exist; check the path."
        if not os.access(path, os.R_OK):
            return f"{value} can't be read; check its permissions."
        return None
    if use is PathUse.CREATE and path.exists():
        return f"{path} already exists; name a new file (this file is never overwritten)."
    if not path.parent.is_dir():
        return f"The folder {path.parent} doesn't exist; create it first or name another."
    return None
