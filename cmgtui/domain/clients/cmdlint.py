"""Lint any ccmsetup command line against the CMG client-install rules (§8.3, §9 V46/V47).

Administrators paste command lines from old runbooks and forum posts; this reads one the
way ccmsetup does (parameters ``/x``, then properties ``NAME=value``; double quotes group
text) and says what will break through a CMG. The command lines that
:mod:`cmgtui.domain.clients.command_lines` generates are checked with the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cmgtui.domain.rules.results import Phase, RuleResult, Severity, Status
from cmgtui.domain.validate import guid_problem, site_code_problem

#: Intune's limit on a line-of-business app's command line (V47).
INTUNE_MAX_CHARS = 1024
_EXECUTABLES = ("ccmsetup.exe", "ccmsetup", "ccmsetup.msi")
_SOURCE_V46 = "cmg-domain §9 V46"


def split_command_line(text: str) -> tuple[list[str], bool]:
    """Whitespace-separated tokens, keeping double-quoted text together (quotes kept).

    The flag is True when a double quote is left open.
    """
    tokens: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            current.append(ch)
        elif ch.isspace() and not quoted:
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        tokens.append("".join(current))
    return tokens, quoted


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


@dataclass
class _Parsed:
    params: dict[str, str] = field(default_factory=dict)  # lower-case name -> value
    props: dict[str, str] = field(default_factory=dict)  # upper-case name -> value
    late_params: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _parse(tokens: list[str]) -> _Parsed:
    parsed = _Parsed()
    seen_property = False
    for token in tokens:
        if token.startswith("/"):
            name, _, value = token[1:].partition(":")
            parsed.params[name.lower()] = _unquote(value)
            if seen_property:
                parsed.late_params.append("/" + name)
        elif "=" in token and not token.startswith("="):
            name, _, value = token.partition("=")
            parsed.props[name.upper()] = _unquote(value)
            seen_property = True
        else:
            parsed.unknown.append(token)
    return parsed


def _result(rule: str, ok: bool, message: str, fix: str = "", evidence: str = "",
            severity: Severity = Severity.ERROR, source: str = _SOURCE_V46) -> RuleResult:
    if ok:
        status = Status.PASS
    else:
        status = Status.FAIL if severity is Severity.ERROR else Status.WARN
    return RuleResult(rule, Phase.CLIENTS, status, severity, message, "" if ok else fix, evidence, source)


def _lint_tokens(tokens: list[str]) -> list[RuleResult]:
    p = _parse(tokens)
    out: list[RuleResult] = []
    if p.unknown:
        out.append(_result("CMD-SYNTAX", False, f"Unrecognised text '{p.unknown[0]}'.",
                           "Parameters start with / (e.g. /mp:https://…); properties are NAME=value; "
                           "quote values with spaces.", " ".join(p.unknown)))
    if p.late_params:
        out.append(_result("CMD-ORDER", False, f"{p.late_params[0]} comes after a property.",
                           "Put every /parameter before the NAME=value properties.", ", ".join(p.late_params)))
    elif p.params and p.props:
        out.append(_result("CMD-ORDER", True, "Parameters come before properties."))
    if "mp" in p.params:
        mp = p.params["mp"]
        out.append(_result("CMD-MP-HTTPS", mp.lower().startswith("https://"),
                           "/mp starts with https://." if mp.lower().startswith("https://")
                           else f"/mp:{mp} must start with https:// for a CMG.",
                           "Write /mp:https://<service name>/CCM_Proxy_MutualAuth/<MP ID>.", mp))
    host = p.props.get("CCMHOSTNAME")
    if host is not None:
        ok = "://" not in host and bool(host)
        out.append(_result("CMD-CCMHOSTNAME", ok, "CCMHOSTNAME has no scheme." if ok
                           else "CCMHOSTNAME must not include https:// (or be empty).",
                           "Write CCMHOSTNAME=<service name>/CCM_Proxy_MutualAuth/<MP ID>.", host))
        mp = p.params.get("mp", "")
        if mp.lower().startswith("https://") and ok:
            same = mp[len("https://"):].rstrip("/").lower() == host.rstrip("/").lower()
            out.append(_result("CMD-MP-MATCH", same, "/mp and CCMHOSTNAME name the same CMG MP." if same
                               else "/mp and CCMHOSTNAME point at different places.",
                               "Use the same <service name>/CCM_Proxy_MutualAuth/<MP ID> in both.",
                               f"{mp} | {host}", Severity.WARNING))
    code = p.props.get("SMSSITECODE")
    if code is not None or host is not None:
        problem = "SMSSITECODE is missing; automatic site assignment doesn't work through a CMG." \
            if code is None else site_code_problem(code)
        out.append(_result("CMD-SITECODE", problem is None, problem or f"SMSSITECODE={code}.",
                           "Add SMSSITECODE=<your three-character site code>.", code or ""))
    if "regtoken" in p.params:
        needed = [n for n, present in (("/mp", "mp" in p.params), ("CCMHOSTNAME", host is not None),
                                       ("SMSSITECODE", code is not None), ("SMSMP", "SMSMP" in p.props))
                  if not present]
        if not p.params["regtoken"]:
            needed.insert(0, "the token after /regtoken:")
        out.append(_result("CMD-REGTOKEN", not needed, "/regtoken has everything it needs." if not needed
                           else f"/regtoken also needs {', '.join(needed)}.",
                           "Add the missing values; a bulk token install needs /mp, CCMHOSTNAME, "
                           "SMSSITECODE and SMSMP.", ", ".join(needed)))
    aad = sorted(k for k in p.props if k.startswith("AAD"))
    if "usepkicert" in p.params:
        out.append(_result("CMD-PKI-AAD", not aad, "/UsePKICert isn't mixed with Entra properties." if not aad
                           else f"/UsePKICert with {', '.join(aad)} stops Entra authentication.",
                           "Use /UsePKICert for PKI clients only; drop it for Entra-authenticated devices.",
                           ", ".join(aad)))
    for name in ("AADTENANTID", "AADCLIENTAPPID"):
        if name in p.props:
            problem = guid_problem(p.props[name])
            message = f"{name} is a GUID." if problem is None else f"{name}: {problem}"
            out.append(_result("CMD-AAD-GUIDS", problem is None, message,
                               f"Copy {name} from the Entra admin center.", p.props[name],
                               source="cmg-domain §9 V30"))
    return out


def lint_command_line(text: str) -> list[RuleResult]:
    """Every applicable CMG rule's verdict on a ccmsetup (or Intune ccmsetup.msi) command line."""
    line = text.strip()
    if not line:
        return [_result("CMD-SYNTAX", False, "The command line is empty.",
                        "Paste or build a ccmsetup command line.")]
    tokens, open_quote = split_command_line(line)
    out: list[RuleResult] = []
    if open_quote:
        out.append(_result("CMD-SYNTAX", False, "A double quote is never closed.", "Close the quoted value."))
    is_msi = bool(tokens) and tokens[0].strip('"').lower().replace("\\", "/").endswith("ccmsetup.msi")
    if tokens and tokens[0].strip('"').lower().replace("\\", "/").split("/")[-1] in _EXECUTABLES:
        tokens = tokens[1:]
    wrapped = next((t for t in tokens if t.upper().startswith("CCMSETUPCMD=")), None)
    if wrapped is None:
        if is_msi:
            out.append(_result("CMD-SYNTAX", False, "ccmsetup.msi takes its options in CCMSETUPCMD=\"…\".",
                               "Put the ccmsetup parameters and properties inside CCMSETUPCMD=\"…\"."))
        return out + _lint_tokens(tokens)
    arguments = " ".join(tokens)
    fits = len(arguments) <= INTUNE_MAX_CHARS
    out.append(_result("CMD-INTUNE-LENGTH", fits,
                       f"Intune command line is {len(arguments):,} characters (limit {INTUNE_MAX_CHARS:,})."
                       if fits else f"Intune command line exceeds {INTUNE_MAX_CHARS:,} characters "
                       f"({len(arguments):,}).", "Drop optional properties (e.g. SMSMP) to shorten it.",
                       str(len(arguments)), source="cmg-domain §9 V47"))
    inner, inner_open = split_command_line(_unquote(wrapped.partition("=")[2]))
    if inner_open:
        out.append(_result("CMD-SYNTAX", False, "A double quote inside CCMSETUPCMD is never closed.",
                           "Close the quoted value."))
    return out + _lint_tokens(inner)
