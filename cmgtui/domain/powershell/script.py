"""Build the complete PowerShell script for the Configuration Manager side of a CMG setup.

:func:`generate_script` refuses an incomplete profile (:class:`ScriptIncomplete` lists what is
missing) instead of writing placeholders, so every script it returns can be run as is.
"""

from __future__ import annotations

from cmgtui.domain.powershell import prelude, steps
from cmgtui.domain.powershell.plan import build_inputs
from cmgtui.model.profile import Profile


def generate_script(profile: Profile, tool_version: str = "") -> str:
    """The whole script as text (CRLF-free; PowerShell accepts LF line ends).

    Raises :class:`~cmgtui.domain.powershell.plan.ScriptIncomplete` when
    :func:`~cmgtui.domain.powershell.plan.missing_values` is not empty.
    """
    if not tool_version:
        from cmgtui import __version__ as tool_version
    x = build_inputs(profile)
    ind = prelude.IND
    body = [
        *prelude.checks(x), "",
        *steps.apps(x), "",
        *steps.azure_service(x), "",
        *steps.gateway(x), "",
        *steps.connection_points(x), "",
        *steps.roles(x), "",
        *steps.client_settings(x),
    ]
    lines = [
        *prelude.header(x, tool_version),
        *prelude.param_block(x),
        "",
        "$ErrorActionPreference = 'Stop'",
        "",
        *prelude.helpers(),
        "",
        *prelude.open_site(),
        "try {",
        *[(ind + line) if line else "" for line in body],
        "} finally {",
        f"{ind}Pop-Location",
        "}",
    ]
    return "\n".join(lines) + "\n"


def script_file_name(profile: Profile) -> str:
    """A suggested file name, e.g. ``cmg-setup-ABC.ps1`` (site code, else ``site``)."""
    code = "".join(c for c in profile.site.site_code if c.isascii() and c.isalnum())[:3]
    return f"cmg-setup-{code.upper() or 'site'}.ps1"
