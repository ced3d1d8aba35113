"""Where the management point role ID (the number after ``CCM_Proxy_MutualAuth/``) comes from.

Once a client uses the CMG, its ``SMS_ActiveMPCandidate`` Internet entry shows it. Before any
client does, the site knows it already: the site database's ``vProxy_Roles`` view holds it as
``MutualAuthPath``, and the co-management properties' Enablement tab shows it inside the
CCMHOSTNAME of the client command line (domain sheet §7.4; MicrosoftDocs/memdocs
comanage/how-to-prepare-Win10.md).
"""

from __future__ import annotations

import re

#: The query to run on the site database (SQL Server) before any client uses the CMG.
FIRST_TIME_QUERY = "SELECT MutualAuthPath FROM vProxy_Roles"

_ROLE_ID = re.compile(r"CCM_Proxy_MutualAuth/(\d+)", re.IGNORECASE)


def role_id_from(text: str) -> str | None:
    """The role ID in a ``MutualAuthPath``, a CCMHOSTNAME or an MP value (None when none is)."""
    found = _ROLE_ID.search(text)
    return found.group(1) if found else None
