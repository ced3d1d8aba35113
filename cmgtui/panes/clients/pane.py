"""Part 5 pane: get clients onto the CMG (domain sheet §3.5, §8.3, §8.4).

The Cloud Services client settings checklist; the values the command lines need, validated
as they are typed; one ccmsetup command line per chosen authentication method (plus the
Intune bootstrap for Entra), each linted and copyable; the CMGFQDNs fix-up for existing
clients off the network; the verification command; and the live probe of the service name.
The bulk registration token is pasted into a field that is never saved.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from cmgtui.domain.clients.command_lines import (
    build_entra,
    build_intune,
    build_pki,
    build_token,
    cmgfqdns_command,
    verification_command,
)
from cmgtui.domain.clients.mp_role_id import FIRST_TIME_QUERY
from cmgtui.domain.rules import checks
from cmgtui.domain.rules.results import Phase
from cmgtui.domain.rules.rulebook import is_not_applicable
from cmgtui.domain.validate import management_point_problem, mp_role_id_problem, site_code_problem
from cmgtui.model.enums import ClientAuthMethod
from cmgtui.panes.clients.commands import CommandBlock
from cmgtui.panes.clients.probe import ProbePanel, probe_results
from cmgtui.widgets.base import Pane, PaneTitle, show_if_changed
from cmgtui.widgets.fields import CheckField, FieldRow, TextBox, TextField
from cmgtui.widgets.rule_report import RuleReport

#: What the MP role ID field takes: its digits, or a pasted CCM_Proxy_MutualAuth/<ID> (explained).
MP_ROLE_ID_CHARACTERS = r"[0-9A-Za-z_/ ]*"

MP_ID_HINT = (
    "The role ID is the number after CCM_Proxy_MutualAuth/. Before any client uses the CMG, run "
    f"{FIRST_TIME_QUERY} on the site database, or copy CCMHOSTNAME from the command line on the "
    "Enablement tab of the co-management properties (Administration > Cloud Services > Co-management). "
    "On a client that already uses the CMG run: (Get-WmiObject -Namespace Root\\Ccm\\LocationServices "
    "-Class SMS_ActiveMPCandidate | Where-Object {$_.Type -eq \"Internet\"}).MP."
)


class ClientsPane(Pane):
    """Part 5: client settings, command lines, fix-ups and the live probe."""

    ENTRY = "clients"
    TITLE = "Configure clients"

    def compose(self) -> ComposeResult:
        yield PaneTitle("Part 5 · Configure clients", classes="pane-title")
        yield Static(id="cl-status")
        yield Static("Client settings (Cloud Services), deployed to device collections", classes="section-title")
        yield CheckField("Enable clients to use a CMG = Yes", "clients.enable_cmg_setting")
        yield CheckField("Allow access to cloud DP = Yes", "clients.allow_cloud_dp_setting")
        yield CheckField("Auto-register with Entra ID = Yes",
                         "clients.auto_register_entra_setting")
        yield CheckField("User policy from internet = Yes",
                         "clients.user_policy_setting")
        yield Static("In the console: 'Enable clients to use a cloud management gateway', 'Allow access to cloud "
                     "distribution point', 'Automatically register new Windows 10 or later domain joined devices "
                     "with Microsoft Entra ID' (hybrid join) and, in Client Policy, 'Enable user policy requests from "
                     "internet clients' (user-targeted software). With 'Download delta content when available' on, "
                     "third-party update content doesn't download through the CMG.", classes="hint")
        yield Static("Values for the command lines", classes="section-title")
        yield TextField("Site code (explicit, never AUTO)", "site.site_code", validator=site_code_problem,
                        placeholder="e.g. ABC")
        yield TextField("Management point role ID (CCM_Proxy_MutualAuth/<ID>)", "clients.mp_role_id",
                        validator=mp_role_id_problem, placeholder="e.g. 72186325152220500",
                        restrict=MP_ROLE_ID_CHARACTERS)
        yield Static(MP_ID_HINT, classes="hint")
        yield TextField("On-premises management point (SMSMP)", "clients.onprem_mp",
                        validator=management_point_problem, placeholder="e.g. mp01.contoso.com")
        yield CheckField("Always internet (CCMALWAYSINF=1)", "clients.always_internet",
                         id="cl-always-internet")
        yield CheckField("CRL not reachable from the internet (/NoCRLCheck)",
                         "clients.no_crl_check", id="cl-no-crl")
        yield Static("Install command lines", classes="section-title")
        yield Static(id="cl-no-methods", classes="hint")
        with Vertical(id="cl-commands"):
            yield CommandBlock("entra", "Microsoft Entra ID devices (ccmsetup.exe)", id="cmd-entra")
            yield CommandBlock("intune", "Intune line-of-business app (ccmsetup.msi, 1,024-character limit)",
                               id="cmd-intune")
            yield CommandBlock("pki", "PKI client certificate devices (ccmsetup.exe)", id="cmd-pki")
            with Vertical(id="cl-token"):
                yield Static("Bulk registration token (pasted here for this line only; never saved)",
                             classes="field-label")
                yield TextBox(placeholder="paste the token printed by BulkRegistrationTokenTool.exe", id="token-input",
                            password=True, compact=True)
                yield CommandBlock("token", "Bulk registration token devices (ccmsetup.exe)",
                                   "If ccmsetup returns 0x87d0027e, try again without /mp.", id="cmd-token")
        yield Static("Existing clients", classes="section-title")
        yield CommandBlock("cmgfqdns", "Point an existing client that can't reach the intranet at the CMG",
                           "Run elevated on the client (PowerShell); needs a valid client certificate or Entra join.",
                           id="cmd-cmgfqdns")
        yield CommandBlock("verify", "Check that a client knows the CMG",
                           "Lists the CMG as an internet management point once the client has learned it.",
                           id="cmd-verify")
        yield ProbePanel(id="cl-probe")
        yield Static("Rules for this part (the probe's are above)", classes="section-title")
        yield RuleReport(id="cl-rules")

    def _token(self) -> str:
        return self.query_one("#token-input", Input).value

    def sync(self) -> None:
        profile = self.profile
        for row in self.query(FieldRow):
            row.sync(profile)
        chosen = set(profile.client_auth.methods)
        entra, pki, token = (m in chosen for m in (ClientAuthMethod.ENTRA, ClientAuthMethod.PKI,
                                                   ClientAuthMethod.TOKEN))
        show_if_changed(self.query_one("#cl-no-methods", Static), 
            "" if chosen else "Choose the client authentication method(s) in Part 3; their command lines appear here.")
        self.query_one("#cl-no-methods").display = not chosen
        self.query_one("#cl-always-internet").display = pki
        self.query_one("#cl-no-crl").display = pki
        blocks = {"cmd-entra": (entra, build_entra(profile)), "cmd-intune": (entra, build_intune(profile)),
                  "cmd-pki": (pki, build_pki(profile))}
        for block_id, (shown, line) in blocks.items():
            block = self.query_one(f"#{block_id}", CommandBlock)
            block.display = shown
            if shown:
                block.show(line)
        self.query_one("#cl-token").display = token
        if token:
            self.query_one("#cmd-token", CommandBlock).show(build_token(profile, self._token()))
        self.query_one("#cmd-cmgfqdns", CommandBlock).show(cmgfqdns_command(profile))
        self.query_one("#cmd-verify", CommandBlock).show(verification_command())
        results = self.results  # one evaluation for the headline and the tables
        self.query_one(ProbePanel).sync(profile, results)
        show_if_changed(self.query_one("#cl-status", Static), Text(
            f"{checks.status_line(profile, Phase.CLIENTS, results)} Tick the client settings once they are set "
            "in the console, fill in the values, then copy the command lines.", style="italic"))
        shown_above = set(probe_results(results))
        mine = [r for r in results if r.phase is Phase.CLIENTS and not is_not_applicable(r) and r not in shown_above]
        self.query_one("#cl-rules", RuleReport).show(mine, "No rule of this part applies yet.")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "token-input":
            event.stop()
            self.query_one("#cmd-token", CommandBlock).show(build_token(self.profile, event.value))
