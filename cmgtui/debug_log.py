"""The debug log (``--log FILE`` or ``CMGTUI_LOG=FILE``): what cmgtui and its SDKs did, never a secret.

Off unless asked for. When on, cmgtui's own loggers and those of the libraries that talk to
Azure (azure-core's HTTP pipeline, azure-identity, MSAL, httpx, the Graph SDK) write to the
file the user named, created 0600 and appended to, one line per record with its time and logger.
That is what a support case needs: which requests went where, what status came back, how long
each took, which job ran for which profile.

Secrets never reach it: every line passes through :class:`Redactor` before it is written, which
replaces bearer and refresh tokens, JWTs, client secrets, passwords and secret texts (in JSON,
form and header spellings) by ``[redacted]``. The SDKs already hide Authorization headers;
the redactor is the second line, for anything that prints a body or a URL with a secret in it.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

from cmgtui.private_files import OutputRefused, open_private_append

ENV_VAR = "CMGTUI_LOG"
LOGGERS = ("cmgtui", "azure", "msal", "httpx", "httpcore", "kiota_http", "msgraph", "msgraph_core")
"""The loggers written to the file: cmgtui's and those of the libraries that talk to the cloud."""

log = logging.getLogger("cmgtui")

_SECRET_PATTERNS = (
    # Authorization: Bearer <token>, and a bare "Bearer <token>".
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9\-._~+/]+=*"),
    # A JWT anywhere (three base64url parts, the first starting with the encoded '{"').
    re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
    # key=value, "key": "value" and key: value for the names that carry secrets.
    re.compile(r"""(?ix)
        ((?:client_secret|secretText|secret_text|password|passphrase|access_token|refresh_token|id_token|
            client_assertion|code_verifier|device_code|assertion)
         ["']?\s*[:=]\s*["']?)
        [^"'&\s,}]+"""),
)
REDACTED = "[redacted]"


class Redactor(logging.Filter):
    """Replace secrets in a record's final text; the record is kept, only its words change."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for pattern in _SECRET_PATTERNS:
            text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + REDACTED, text)
        record.msg, record.args = text, None
        return True


def redact(text: str) -> str:
    """``text`` as the debug log would write it."""
    record = logging.LogRecord("cmgtui", logging.DEBUG, "", 0, text, None, None)
    Redactor().filter(record)
    return str(record.msg)


def start(target: str | None) -> str | None:
    """Start writing the debug log to ``target`` (or ``$CMGTUI_LOG`` when ``target`` is None).

    Returns None when the log is on or was not asked for, else the one-line reason it cannot be
    written (the caller prints it and exits 2, before anything else runs).
    """
    target = target or os.environ.get(ENV_VAR) or None
    if target is None:
        return None
    try:
        fd = open_private_append(target)
    except (OutputRefused, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"cannot write the debug log {target}: {reason}"
    stream = os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace", buffering=1)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redactor())
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    log.info("cmgtui %s started: %s (log %s)", _version(), " ".join(sys.argv[1:]) or "the terminal app",
             Path(target).expanduser())
    return None


def _version() -> str:
    from cmgtui import __version__

    return __version__
