"""Headless subcommand groups; each module has ``register(subparsers)``.

A handler is set on the parsed namespace as ``handler`` and returns the exit code.
"""

from types import ModuleType

from cmgtui.commands import cert, check, completion, cost, entra, logs, profiles, report, sandbox, script, serve, status

COMMAND_MODULES: list[ModuleType] = [cert, check, cost, status, entra, sandbox, script, report, profiles, logs, serve, completion]
