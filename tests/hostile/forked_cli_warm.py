"""Imported by the fork server of :mod:`tests.hostile.forked_cli` only: what ``cmgtui entra create``
and ``cmgtui sandbox`` runs import, and the Graph models a first response parse imports (no
network: the warm-up parses a local payload)."""

from __future__ import annotations

import azure.identity  # noqa: F401 - the sign-in
import msal  # noqa: F401 - the sign-in's token cache

import cmgtui.cli  # noqa: F401 - the front every forked run calls
import cmgtui.cloud.app_registration  # noqa: F401 - what entra create runs
import cmgtui.commands.entra  # noqa: F401
import cmgtui.sandbox.server  # noqa: F401 - an embedded sandbox
from cmgtui.cloud.graph import warm_up_graph

warm_up_graph()
