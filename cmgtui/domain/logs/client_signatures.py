"""Signatures of the client side: ccmsetup, location services, messaging, and the management point's token service.

Client logs are CMTrace logs. Each signature quotes, in its test, the line its ``source`` shows.
"""

from __future__ import annotations

import re

from cmgtui.domain.logs import fixes, sources
from cmgtui.domain.logs.entries import LogEntry
from cmgtui.domain.logs.facts import ProfileFacts
from cmgtui.domain.logs.signature import Area, Evidence, Severity, Signature, patterns

#: Client logs that write [CCMHTTP] errors for requests to the CMG.
CCMHTTP_LOGS = ("LocationServices", "ccmsetup", "ClientLocation", "CcmMessaging", "DataTransferService")

_STATUS = re.compile(r"StatusCode\s*=\s*(\d{3})")


def _status_beside(entry: LogEntry) -> str:
    found = _STATUS.search(entry.message)
    return f"The HTTP status beside it is {found.group(1)}." if found else ""


def _wam_fix(f: ProfileFacts) -> str:
    tenant = f"its tenant ({f.tenant_id.strip()})" if f.tenant_id.strip() else "its tenant"
    return ("Check that the device is Entra joined (dsregcmd /status, Device State) and that "
            f"{tenant} is onboarded in Configuration Manager; a following 'Retrieved AAD token' entry means "
            "the fallback worked. " + fixes.client_entra_log(f))


CLIENT_SIGNATURES: tuple[Signature, ...] = (
    Signature(
        id="LOG-CLIENT-WINHTTP-SECURE-FAILURE",
        logs=CCMHTTP_LOGS,
        severity=Severity.FAIL,
        title="WinHTTP 12175 (0x2f8f) secure failure",
        meaning="The client couldn't validate the CMG's server certificate (missing root CA, wrong "
                "certificate presented, or CRL not reachable); the WINHTTP_CALLBACK_STATUS_FLAG_* entries "
                "before it say which.",
        fix=lambda f: (fixes.certificate_presented(f) + " Make sure clients trust its root CA. "
                       + fixes.crl_for_clients(f)),
        source=sources.CMG_COMMUNICATION,
        patterns=patterns(r"Code=12175\b", r"ERROR_WINHTTP_SECURE_FAILURE", r"\b0x(?:8007)?2f8f\b"),
        area=Area.CLIENTS,
    ),
    Signature(
        id="LOG-CLIENT-CERT-REV-FAILED",
        logs=CCMHTTP_LOGS,
        severity=Severity.WARN,
        title="Client can't check the CMG certificate's revocation",
        meaning="WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED: the CRL isn't published on the internet and "
                "the client is made to check it.",
        fix=fixes.crl_for_clients,
        source=sources.CMG_COMMUNICATION,
        patterns=patterns(r"WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED"),
        area=Area.CLIENTS,
    ),
    Signature(
        id="LOG-CLIENT-INVALID-CA",
        logs=CCMHTTP_LOGS,
        severity=Severity.FAIL,
        title="Client doesn't trust the CMG certificate's root CA",
        meaning="WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA: the root CA of the CMG server authentication "
                "certificate is missing from the client's Trusted Root Certification Authorities store.",
        fix=lambda f: (f"Deploy the root CA of the server certificate for {f.cmg} to the client's "
                       "Trusted Root Certification Authorities store (needed even with Entra or token "
                       "authentication)."),
        source=sources.CMG_COMMUNICATION,
        patterns=patterns(r"WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA"),
        area=Area.CLIENTS,
    ),
    Signature(
        id="LOG-CLIENT-CERT-CN-INVALID",
        logs=CCMHTTP_LOGS,
        severity=Severity.FAIL,
        title="CMG certificate name doesn't match",
        meaning="WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID: the host name in the certificate common name "
                "is not the name the client connected to.",
        fix=fixes.certificate_presented,
        source=sources.CMG_COMMUNICATION,
        patterns=patterns(r"WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID"),
        area=Area.CLIENTS,
    ),
    Signature(
        id="LOG-CLIENT-CERT-DATE-INVALID",
        logs=CCMHTTP_LOGS,
        severity=Severity.FAIL,
        title="CMG server certificate expired or not yet valid",
        meaning="WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID: the certificate the CMG presents is outside "
                "its validity period (or the client's clock is wrong).",
        fix=lambda f: (f"Renew the CMG server authentication certificate (same CN, letter case included: "
                       f"{f.cmg}) and update the CMG with it: 'cmgtui script --runbook renew-certificate'. Check "
                       "the client's clock too."),
        source=sources.BLOG_WINHTTP_FLAGS,
        patterns=patterns(r"WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID"),
        evidence=Evidence.ERROR_CODE,
        area=Area.CLIENTS,
    ),
    Signature(
        id="LOG-CLIENT-INVALID-TOKEN",
        logs=("ccmsetup", "LocationServices", "ClientLocation", "CcmMessaging"),
        severity=Severity.FAIL,
        title="401 CMGService_Invalid_Token",
        meaning="The CMG refused the client's token: it expired or wasn't added (an expired client token, "
                "or ccmsetup used an expired /regtoken).",
        fix=fixes.client_token,
        source=sources.CMG_COMMUNICATION + "; " + sources.TOKEN_AUTH,
        patterns=patterns(r"CMGService_Invalid_Token"),
        area=Area.CLIENTS,
    ),
    Signature(
        id="LOG-STS-TOKEN-EXPIRED",
        logs=("CCM_STS",),
        severity=Severity.FAIL,
        title="Pre-auth token expired (IDX10223)",
        meaning="The management point refused the client's token because its lifetime ended.",
        fix=fixes.client_token,
        source=sources.CMG_COMMUNICATION,
        patterns=patterns(r"IDX10223", r"PreAuth token validation failed"),
        area=Area.TOKEN_SERVICE,
    ),
    Signature(
        id="LOG-CLIENT-BAD-HTTP-STATUS",
        logs=CCMHTTP_LOGS,
        severity=Severity.WARN,
        title="0x87d0027e: the server answered with an HTTP error",
        meaning="0x87d0027e is CCM_E_BAD_HTTP_STATUS_CODE, the generic code for an HTTP error answer; the "
                "StatusCode logged with it (or in the [CCMHTTP] ERROR INFO entry before it) decides the cause.",
        fix=lambda f: ("Find the status: 403 CMGConnector_Clientcertificaterequired or CMGConnector_Forbidden "
                       "point at the connection point or the management point's IIS binding, 401 "
                       "CMGService_Invalid_Token at the client's token, 500 at the management point itself; "
                       "triage lists those entries with their own fixes."),
        source=sources.BLOG_0X87D0027E + "; " + sources.BLOG_CMG_CONNECTED,
        patterns=patterns(r"\b0x87d0027e\b"),
        detail=_status_beside,
        area=Area.CLIENTS,
    ),
    Signature(
        id="LOG-CCMSETUP-WAM-TOKEN-FAILED",
        logs=("ccmsetup",),
        severity=Severity.WARN,
        title="ccmsetup couldn't get the device's Entra token from WAM",
        meaning="The device token request failed; ccmsetup falls back to a user token, and stops only when "
                "it gets neither.",
        fix=_wam_fix,
        source=sources.AZURE_CCMSETUP,
        patterns=patterns(r"WAM token request failed", r"from WAM API\. Error 0x[0-9a-f]+"),
        area=Area.SIGN_IN,
    ),
)
