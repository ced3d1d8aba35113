"""Success markers: public lines that show a part of the CMG working, for the health timeline.

A marker never becomes a finding; triage records its time so the timeline can say "the
connection point last forwarded a request at 10:42" before the first failure after it.
"""

from __future__ import annotations

from cmgtui.domain.logs import sources
from cmgtui.domain.logs.signature import Area, Severity, Signature, patterns


def _nothing(_facts: object) -> str:
    return "Nothing to fix: the component worked here."


MARKERS: tuple[Signature, ...] = (
    Signature(
        id="OK-CP-FORWARDED",
        logs=("SMS_Cloud_ProxyConnector",),
        severity=Severity.INFO,
        title="Connection point forwarded a request (HTTP 200)",
        meaning="The connection point passed a client request from the CMG to a site role and got 200 OK.",
        fix=_nothing,
        source=sources.AZURE_CCMSETUP,
        patterns=patterns(r"ResponseHeader: HTTP/1\.1 200 OK"),
        area=Area.CONNECTION_POINT,
        success=True,
    ),
    Signature(
        id="OK-CP-TRAFFIC-REPORT",
        logs=("SMS_Cloud_ProxyConnector",),
        severity=Severity.INFO,
        title="Connection point reported CMG traffic",
        meaning="The connection point collected the CMG's traffic report, so its channel to the CMG works.",
        fix=_nothing,
        source=sources.COMANAGE_BOOTSTRAP,
        patterns=patterns(r"ReportTrafficData - state message to send"),
        area=Area.CONNECTION_POINT,
        success=True,
    ),
    Signature(
        id="OK-CMG-SERVICE-REQUESTS",
        logs=("CMGService",),
        severity=Severity.INFO,
        title="CMG service answered client requests",
        meaning="The CMG service in Azure counted requests and responses for a client endpoint.",
        fix=_nothing,
        source=sources.AZURE_CCMSETUP,
        patterns=patterns(r"RequestUri: \S+\s+RequestCount: \d+[\s\S]*?ResponseCount: [1-9]"),
        area=Area.SERVICE,
        success=True,
    ),
    Signature(
        id="OK-STS-ISSUED-TOKEN",
        logs=("CCM_STS",),
        severity=Severity.INFO,
        title="Management point issued a client token",
        meaning="CCM_STS validated the client's token request and issued a Configuration Manager token.",
        fix=_nothing,
        source=sources.AZURE_CCMSETUP,
        patterns=patterns(r"^Issued token$", r"Created SCCM token, token type:"),
        area=Area.TOKEN_SERVICE,
        success=True,
    ),
    Signature(
        id="OK-CLIENT-REGISTERED",
        logs=("ClientIDManagerStartup",),
        severity=Severity.INFO,
        title="Client registered",
        meaning="The client's registration was approved by the site.",
        fix=_nothing,
        source=sources.AZURE_CCMSETUP,
        patterns=patterns(r"\[RegTask\] - Client is registered\. Server assigned ClientID is"),
        area=Area.CLIENTS,
        success=True,
    ),
    Signature(
        id="OK-CLIENT-INTERNET-MP",
        logs=("ClientLocation",),
        severity=Severity.INFO,
        title="Client uses the CMG as its internet management point",
        meaning="The client rotated to the CMG's management point URL.",
        fix=_nothing,
        source=sources.TOKEN_AUTH,
        patterns=patterns(r"Rotating internet management point, new management point \[\d+\] is: https://\S+/CCM_Proxy"),
        area=Area.CLIENTS,
        success=True,
    ),
    Signature(
        id="OK-ENTRA-TOKEN",
        logs=("ccmsetup", "CcmAad", "ADALOperationProvider"),
        severity=Severity.INFO,
        title="Client got an Entra token",
        meaning="The client retrieved a Microsoft Entra token for the Configuration Manager service.",
        fix=_nothing,
        source=sources.AZURE_CCMSETUP,
        patterns=patterns(r"Retrieved AAD token for AAD user"),
        area=Area.SIGN_IN,
        success=True,
    ),
)
