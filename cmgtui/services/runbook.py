"""``runbook``: the day-two runbooks (renew the certificate, rotate the server app secret, scale).

``cmgtui script --runbook NAME`` builds one with :func:`build_runbook` from a
:class:`RunbookRequest`; the Day two pane asks for the same inputs one runbook at a time and
builds it with the same function. A runbook's script is saved like the setup script
(:data:`~cmgtui.services.script.SCRIPT_ENCODING`) under :func:`runbook_file_name`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmgtui.domain.runbooks import RUNBOOKS, Runbook, renew_certificate, rotation_runbook, scale

if TYPE_CHECKING:
    from cmgtui.model import Profile
    from cmgtui.model.enums import VmSize

__all__ = ["RUNBOOKS", "RunbookRequest", "build_runbook"]


@dataclass(frozen=True, slots=True)
class RunbookRequest:
    """The runbook asked for (``name``, a key of :data:`RUNBOOKS`) and the inputs it takes:
    the renewed PFX, its password and the path the site server reads it from (renew-certificate:
    a Windows path, suggested under ``C:\\CMG`` when empty); an instance count, the peak number of
    clients or a VM size (scale). rotate-secret reads everything from the profile."""

    name: str
    new_pfx: str | None = None
    pfx_password: bytes | None = None
    site_pfx_path: str = ""
    instances: int | None = None
    peak_clients: int | None = None
    vm_size: VmSize | None = None


def build_runbook(profile: Profile, request: RunbookRequest) -> Runbook:
    """The runbook ``request`` names for ``profile``; ValueError for a name that is not one of :data:`RUNBOOKS`.

    A runbook with blockers has no script: the blockers say what to fix first.
    """
    if request.name == "renew-certificate":
        return renew_certificate(profile, request.new_pfx, request.pfx_password,
                                 site_pfx_path=request.site_pfx_path)
    if request.name == "scale":
        return scale(profile, request.instances, request.peak_clients, request.vm_size)
    if request.name == "rotate-secret":
        return rotation_runbook(profile)
    raise ValueError(f"There is no runbook '{request.name}'; choose one of {', '.join(RUNBOOKS)}.")

