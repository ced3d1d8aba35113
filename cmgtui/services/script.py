"""``script``: the PowerShell script for the Configuration Manager side of the setup.

The Automation pane and ``cmgtui script`` both call :func:`setup_script`, so they offer the
same script, or the same list of what the profile still lacks, and save it the same way
(:data:`SCRIPT_ENCODING`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmgtui.domain.powershell import ScriptIncomplete, generate_script, script_file_name

if TYPE_CHECKING:
    from cmgtui.model import Profile

#: Scripts are saved as UTF-8 with a BOM: Windows PowerShell 5.1 misreads non-ASCII characters
#: in a UTF-8 file without one.
SCRIPT_ENCODING = "utf-8-sig"


@dataclass(frozen=True, slots=True)
class SetupScript:
    """The script for a profile (``text``), or what the profile still lacks (``missing``, each
    saying where to enter it; then ``text`` is None); ``file_name`` is the suggested name."""

    text: str | None
    missing: tuple[str, ...]
    file_name: str

    def encoded(self) -> bytes:
        """The script as the bytes a file holds (:data:`SCRIPT_ENCODING`); ValueError when incomplete."""
        if self.text is None:
            raise ValueError("The script is not complete: " + "; ".join(self.missing))
        return self.text.encode(SCRIPT_ENCODING)


def setup_script(profile: Profile) -> SetupScript:
    """The script for ``profile``, or the values it still lacks."""
    try:
        text: str | None = generate_script(profile)
        missing: tuple[str, ...] = ()
    except ScriptIncomplete as exc:
        text, missing = None, tuple(exc.missing)
    return SetupScript(text, missing, script_file_name(profile))
