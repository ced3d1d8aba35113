"""Which ConfigMgr log a file is, from its name.

Rotated copies (``CloudMgr.lo_``, ``LocationServices-20201028-130505.log``) and the synced
Azure logs (``CMG-<ServiceName>-<RoleInstanceID>-CMGSetup.log``, logs-cmg.md note 1) are the
same log as far as signatures are concerned.
"""

from __future__ import annotations

import re

_ROTATED_STAMP = re.compile(r"-\d{8}-\d{6}$")
_SYNCED = re.compile(r"^CMG-.+-(?P<log>CMG[A-Za-z]+)$", re.IGNORECASE)


def base_log_name(path: str) -> str:
    """``CloudMgr`` for ``…/CloudMgr.lo_``; the stem without rotation or CMG prefix."""
    name = path.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    stem = re.sub(r"\.(log|lo_|txt)$", "", name, flags=re.IGNORECASE)
    stem = _ROTATED_STAMP.sub("", stem)
    synced = _SYNCED.match(stem)
    return synced.group("log") if synced else stem
