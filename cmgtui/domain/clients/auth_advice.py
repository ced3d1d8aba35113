"""Which client authentication method fits the devices (Part 3, domain sheet §3.3).

Three questions decide it: are the devices Microsoft Entra joined or hybrid joined, does an
enterprise PKI issue client authentication certificates, and will new devices be installed
that never see the intranet? :func:`recommend` turns the answers into recommended methods,
each with the reason, and :func:`choice_concerns` says where the methods the administrator
picked do not fit the answers. The rules here (``CA-METHOD-FIT``, ``CA-CMGCP-CERT``) are
collected by :mod:`cmgtui.domain.rules.profile_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cmgtui.domain.rules.results import Phase, RuleResult, Severity
from cmgtui.domain.rules.rulebook import ProfileRule, Verdicts, rule
from cmgtui.model.enums import ClientAuthMethod, ManagementPointMode
from cmgtui.model.profile import ClientAuthPart, Profile

__all__ = ["METHOD_LABELS", "QUESTIONS", "RULES", "Advice", "Suggestion", "advice_for", "choice_concerns", "recommend"]

RULES: list[ProfileRule] = []

METHOD_LABELS: dict[ClientAuthMethod, str] = {
    ClientAuthMethod.ENTRA: "Microsoft Entra ID",
    ClientAuthMethod.PKI: "PKI client certificate",
    ClientAuthMethod.TOKEN: "Site-issued token",
}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One recommended method and why it fits."""

    method: ClientAuthMethod
    reason: str


@dataclass(frozen=True, slots=True)
class Advice:
    """The recommendation for a set of answers.

    ``unanswered`` lists the questions still open (the advice is provisional while it is
    not empty); ``notes`` are facts worth knowing whatever is chosen.
    """

    suggestions: list[Suggestion] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def methods(self) -> list[ClientAuthMethod]:
        """The recommended methods, in the order Microsoft prefers them."""
        return [s.method for s in self.suggestions]

    @property
    def complete(self) -> bool:
        """True when every question is answered."""
        return not self.unanswered

    @property
    def summary(self) -> str:
        """One line: 'Recommended: …' (or what to answer first)."""
        if not self.suggestions:
            return "Answer the questions to get a recommendation."
        names = [METHOD_LABELS[m] for m in self.methods]
        mix = " (a mix: clients needn't all use the same method)" if len(names) > 1 else ""
        return "Recommended: " + " + ".join(names) + mix + "."


QUESTIONS = {
    "devices_entra_joined": "Are the devices Microsoft Entra joined or hybrid joined?",
    "has_client_pki": "Does an enterprise PKI issue client authentication certificates to the devices?",
    "new_internet_only_devices": "Will new devices be installed that never connect to the intranet?",
}


def recommend(entra_joined: bool | None, has_pki: bool | None, new_internet_only: bool | None) -> Advice:
    """Recommended methods with reasons for the three answers (None = not answered yet)."""
    answers = {"devices_entra_joined": entra_joined, "has_client_pki": has_pki,
               "new_internet_only_devices": new_internet_only}
    unanswered = [QUESTIONS[key] for key, value in answers.items() if value is None]
    suggestions: list[Suggestion] = []
    notes: list[str] = []
    if entra_joined:
        suggestions.append(Suggestion(
            ClientAuthMethod.ENTRA,
            "Devices are Entra joined or hybrid joined: Microsoft recommends Entra ID. It is the only "
            "method that also authenticates users (needed for user-targeted software) and needs no "
            "certificates on the CMG. Devices must run Windows 10 or later."))
    if has_pki:
        reason = ("Your PKI already issues client authentication certificates: the CMG accepts them "
                  "once the root and intermediate CA certificates are uploaded.")
        if entra_joined:
            reason = ("Use PKI for devices that aren't Entra joined (workgroup or AD-only); " + reason[0].lower()
                      + reason[1:] + " Don't give Entra-joined devices /UsePKICert.")
        suggestions.append(Suggestion(ClientAuthMethod.PKI, reason))
    if entra_joined is False and has_pki is False:
        suggestions.append(Suggestion(
            ClientAuthMethod.TOKEN,
            "Without Entra join or client certificates, a site-issued token is the way in: devices that "
            "reach an on-premises management point once register automatically, others need a bulk "
            "registration token."))
    elif new_internet_only and not entra_joined:
        suggestions.append(Suggestion(
            ClientAuthMethod.TOKEN,
            "New internet-only devices can't enrol for a certificate or register on the intranet first: "
            "install them with a bulk registration token (valid up to 7 days, issued on the site server)."))
    if new_internet_only and entra_joined:
        notes.append("New internet-only Entra-joined devices can get the client as an Intune app "
                     "(ccmsetup.msi with CCMSETUPCMD), authenticated with Entra ID.")
    if has_pki:
        notes.append("PKI clients need the whole CA chain on the CMG, and a CRL reachable from the internet "
                     "if revocation is checked.")
    if ClientAuthMethod.TOKEN in [s.method for s in suggestions]:
        notes.append("Token authentication needs Configuration Manager 2002 or later; a client token lasts "
                     "90 days and renews only when the client restarts.")
    return Advice(suggestions, unanswered, notes)


def advice_for(part: ClientAuthPart) -> Advice:
    """:func:`recommend` for the answers stored in a profile's Part 3."""
    return recommend(part.devices_entra_joined, part.has_client_pki, part.new_internet_only_devices)


def choice_concerns(part: ClientAuthPart) -> list[str]:
    """Where the chosen methods don't fit the answers (empty when they fit or nothing is chosen)."""
    chosen = set(part.methods)
    if not chosen:
        return []
    concerns: list[str] = []
    usable = {ClientAuthMethod.ENTRA: part.devices_entra_joined, ClientAuthMethod.PKI: part.has_client_pki}
    if all(usable.get(m) is False for m in chosen):
        concerns.append("None of the chosen methods works for these devices.")
    if ClientAuthMethod.ENTRA in chosen and part.devices_entra_joined is False:
        concerns.append("Microsoft Entra ID is chosen but the devices aren't Entra joined or hybrid joined; "
                        "they can't authenticate that way.")
    if ClientAuthMethod.PKI in chosen and part.has_client_pki is False:
        concerns.append("PKI is chosen but no PKI issues client authentication certificates to the devices.")
    return concerns


@rule(RULES, "CA-METHOD-FIT", Phase.CLIENT_AUTH, Severity.WARNING, "cmg-domain §3.3")
def method_fit(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    part = p.client_auth
    if not part.methods:
        return v.needs("Choose the client authentication method(s) after answering the three questions.")
    advice = advice_for(part)
    if len(advice.unanswered) == len(QUESTIONS):
        return v.not_needed("The device questions aren't answered, so the choice isn't compared with them.")
    concerns = choice_concerns(part)
    chosen = ", ".join(m.value for m in part.methods)
    if concerns:
        return v.failed(concerns[0], "Choose methods that fit the devices: " + advice.summary, chosen)
    return v.passed("The chosen methods fit the devices as far as the answers go.", chosen)


@rule(RULES, "CA-CMGCP-CERT", Phase.CLIENT_AUTH, Severity.ERROR, "V39")
def cmgcp_client_cert(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    part = p.client_auth
    if ClientAuthMethod.PKI not in part.methods:
        return v.not_needed("The CMG connection point needs a client certificate only for PKI clients.")
    if part.management_point_mode is not ManagementPointMode.HTTPS:
        if part.management_point_mode is None:
            return v.needs("Choose the management point mode (HTTPS or Enhanced HTTP).")
        return v.not_needed("With Enhanced HTTP the CMG connection point needs no client certificate.")
    if part.cmgcp_client_cert_confirmed:
        return v.passed("The CMG connection point server has a client authentication certificate.")
    return v.needs("PKI with an HTTPS management point: give the CMG connection point server a client "
                   "authentication certificate (else 403 CMGConnector_Clientcertificaterequired), then tick it.")
