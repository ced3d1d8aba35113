"""Runbooks for a running CMG: renew the certificate, rotate the server app secret, scale.

``cmgtui script --runbook NAME`` and the Day two pane both build a :class:`Runbook` here.
"""

from cmgtui.domain.runbooks.common import Runbook, runbook_spec
from cmgtui.domain.runbooks.renew_certificate import renew_certificate
from cmgtui.domain.runbooks.rotate_secret import rotation_runbook
from cmgtui.domain.runbooks.scale import scale

#: Runbook names as ``--runbook`` takes them, with a one-line description.
RUNBOOKS: dict[str, str] = {
    "renew-certificate": "lint the new PFX against the current certificate, then update the CMG",
    "rotate-secret": "renew the server app secret: the console's Renew Secret Key for an app it created; for an "
                     "imported app a new secret (file first), handed to the site, then the old one removed",
    "scale": "change the VM instance count (sizing calculator) or the VM size",
}

#: Expiry-calendar items (by the start of their label) and the runbook that renews them.
_EXPIRY_RUNBOOKS = (("Server authentication certificate", "renew-certificate"),
                    ("Server app client secret", "rotate-secret"))


def runbook_for(expiry_label: str) -> str:
    """The runbook for an expiry-calendar item, or '' (CA certificates and tokens have none)."""
    return next((name for prefix, name in _EXPIRY_RUNBOOKS if expiry_label.startswith(prefix)), "")


__all__ = ["RUNBOOKS", "Runbook", "renew_certificate", "rotation_runbook", "runbook_for", "runbook_spec", "scale"]
