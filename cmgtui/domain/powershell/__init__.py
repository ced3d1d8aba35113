"""The PowerShell script that performs the Configuration Manager side of a CMG setup."""

from cmgtui.domain.powershell.plan import ScriptIncomplete, missing_values
from cmgtui.domain.powershell.script import generate_script, script_file_name

__all__ = ["ScriptIncomplete", "generate_script", "missing_values", "script_file_name"]
