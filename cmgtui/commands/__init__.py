"""Headless subcommand groups; each module has ``register(subparsers)``.

A handler is set on the parsed namespace as ``handler`` and returns the exit code.
"""

from types import ModuleType

COMMAND_MODULES: list[ModuleType] = []
