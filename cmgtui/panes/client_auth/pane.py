"""Part 3 pane: how internet clients authenticate to the CMG (domain sheet §3.3).

Three questions about the devices give a recommendation with reasons (from
:mod:`cmgtui.domain.clients.auth_advice`); the administrator then ticks the methods to use,
several allowed. Sections for the chosen methods follow: Microsoft Entra ID (onboarding,
ASP.NET 4.5, user discovery), PKI (trusted CA certificates, CRL and revocation checking, the
CMG connection point's client certificate) and tokens (lifetime, the tool's command, issued
tokens). The part's rules are shown at the end.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Static

from cmgtui.domain.clients.auth_advice import METHOD_LABELS, advice_for, choice_concerns
from cmgtui.domain.display_text import visible
from cmgtui.domain.rules import checks
from cmgtui.domain.rules.results import Phase
from cmgtui.domain.rules.rulebook import is_not_applicable
from cmgtui.messages import ProfileMutation
from cmgtui.model import Profile
from cmgtui.model.enums import ClientAuthMethod, ManagementPointMode
from cmgtui.panes.client_auth.trusted import TokenPanel, TrustedCertsPanel
from cmgtui.widgets.base import Pane, PaneTitle, show_if_changed
from cmgtui.domain.validate import site_server_folder_problem
from cmgtui.widgets.fields import CheckField, FieldRow, MarkedCheckbox, SelectField, TextField
from cmgtui.widgets.rule_report import RuleReport

YES_NO = [("Yes", True), ("No", False)]
MP_MODES = [
    ("Enhanced HTTP (site-issued certificates)", ManagementPointMode.ENHANCED_HTTP),
    ("HTTPS (PKI server certificate on the MP)", ManagementPointMode.HTTPS),
    ("HTTP only (not supported for a CMG)", ManagementPointMode.HTTP),
]


def revocation_text(profile: Profile) -> Text:
    """What the revocation setting and CRL answer mean together."""
    check = profile.gateway.check_client_cert_revocation
    published = profile.client_auth.crl_published
    if not check:
        return Text("Revocation isn't checked: a revoked client certificate still works through the CMG "
                    "until it expires. Clients install with /NoCRLCheck if the CRL isn't reachable.")
    if published is False:
        return Text("Revocation is checked but the CRL isn't on the internet: clients fail to authenticate and "
                    "retry, which raises CMG traffic and Azure egress cost. Publish the CRL or untick the check.",
                    style="bold")
    if published:
        return Text("Revocation is checked against the published CRL: revoked devices are refused.")
    return Text("Say whether the CRL is published on the internet to judge this setting.", style="italic")


def mp_mode_text(profile: Profile) -> str:
    """What the management point mode means for the chosen methods."""
    mode = profile.client_auth.management_point_mode
    if mode is ManagementPointMode.HTTPS:
        return ("HTTPS: clients first register with a PKI certificate, an Entra token or a bulk token. With PKI "
                "you needn't HTTPS-enable every MP: set the CMG-enabled MPs to allow internet-only clients.")
    if mode is ManagementPointMode.ENHANCED_HTTP:
        return ("Enhanced HTTP: the site issues the MP's certificate; Entra and token clients need no PKI. "
                "The IIS 443 binding must use the 'SMS Role SSL Certificate'.")
    if mode is ManagementPointMode.HTTP:
        return "HTTP-only sites can't serve CMG clients (deprecated since 2103): choose Enhanced HTTP or HTTPS."
    return "Choose the management point's client connection mode."


def entra_text(profile: Profile) -> Text:
    """Tenant onboarding and user discovery notes for Entra clients."""
    entra = profile.entra
    text = Text()
    if entra.tenant_id.strip():
        text.append(f"Tenant {visible(entra.tenant_name or entra.tenant_id)} is onboarded in Part 2 "
                    "(Azure Services > Cloud Management).\n")
    else:
        text.append("Onboard the tenant first (Part 2): the site needs the server and client apps.\n", style="bold")
    text.append("If users are synced or federated, turn on both Active Directory user discovery and Entra user "
                "discovery; Entra user discovery needs Directory.Read.All on the server app. Devices in another "
                "tenant than the CMG subscription need that tenant onboarded too. Check a device with "
                "dsregcmd.exe /status (AzureAdJoined : YES).")
    return text


class MethodChoice(Vertical):
    """One checkbox per client authentication method; several may be ticked."""

    def compose(self) -> ComposeResult:
        for method in ClientAuthMethod:
            yield MarkedCheckbox(METHOD_LABELS[method], id=f"method-{method.value}", compact=True)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if not event.checkbox.has_focus:
            return
        method = ClientAuthMethod((event.checkbox.id or "").removeprefix("method-"))
        on = event.value

        def change(profile: Profile) -> None:
            chosen = set(profile.client_auth.methods)
            chosen = chosen | {method} if on else chosen - {method}
            profile.client_auth.methods = [m for m in ClientAuthMethod if m in chosen]

        self.post_message(ProfileMutation(change, f"{'Choose' if on else 'Drop'} {METHOD_LABELS[method]}"))

    def sync(self, profile: Profile) -> None:
        """Tick the stored methods."""
        for method in ClientAuthMethod:
            box = self.query_one(f"#method-{method.value}", Checkbox)
            value = method in profile.client_auth.methods
            if box.value != value:
                with box.prevent(Checkbox.Changed):
                    box.value = value


class ClientAuthPane(Pane):
    """Part 3: the guided decision, the chosen methods and their settings."""

    ENTRY = "client_auth"
    TITLE = "Client authentication"

    def compose(self) -> ComposeResult:
        yield PaneTitle("Part 3 · Client authentication", classes="pane-title")
        yield Static(id="ca-status")
        yield Static("Your devices", classes="section-title")
        yield SelectField("Are the devices Microsoft Entra joined or hybrid joined?",
                          "client_auth.devices_entra_joined", YES_NO, prompt="Not answered")
        yield SelectField("Does an enterprise PKI issue client authentication certificates to them?",
                          "client_auth.has_client_pki", YES_NO, prompt="Not answered")
        yield SelectField("Will new devices be installed that never connect to the intranet?",
                          "client_auth.new_internet_only_devices", YES_NO, prompt="Not answered")
        yield Static(id="ca-advice", classes="advice")
        yield Button("Use the recommendation", id="ca-use-advice", compact=True)
        yield Static("Methods to use (several allowed)", classes="section-title")
        yield MethodChoice(id="ca-methods")
        yield Static(id="ca-concerns", classes="field-error")
        yield Static("Management point", classes="section-title")
        yield SelectField("How the CMG-enabled management point talks to clients",
                          "client_auth.management_point_mode", MP_MODES)
        yield Static(id="ca-mp-text", classes="hint")
        with Vertical(id="ca-entra", classes="method-section"):
            yield Static("Microsoft Entra ID", classes="section-title")
            yield Static(id="ca-entra-text", classes="hint")
            yield CheckField("ASP.NET 4.5 is enabled on the management point",
                             "client_auth.mp_aspnet45_enabled")
            yield CheckField("Entra user discovery is on", "entra.user_discovery")
        with Vertical(id="ca-pki", classes="method-section"):
            yield Static("PKI client certificates", classes="section-title")
            yield TrustedCertsPanel(id="ca-trusted")
            yield TextField("Folder of these .cer files on the site server (the script uploads them from there)",
                            "client_auth.site_ca_folder", validator=site_server_folder_problem,
                            placeholder="e.g. C:\\CMG", id="ca-site-folder")
            yield SelectField("Is the client certificates' CRL published on the internet?",
                              "client_auth.crl_published", YES_NO, prompt="Not answered")
            yield CheckField("Verify client certificate revocation (CMG setting)",
                             "gateway.check_client_cert_revocation")
            yield Static(id="ca-crl-text", classes="hint")
            yield CheckField("CMG connection point has a client auth certificate",
                             "client_auth.cmgcp_client_cert_confirmed", id="ca-cmgcp-cert")
        with Vertical(id="ca-token", classes="method-section"):
            yield TokenPanel(id="ca-token-panel")
        yield Static("Rules for this part", classes="section-title")
        yield RuleReport(id="ca-rules")

    def sync(self) -> None:
        profile = self.profile
        part = profile.client_auth
        for row in self.query(FieldRow):
            row.sync(profile)
        self.query_one(MethodChoice).sync(profile)
        advice = advice_for(part)
        text = Text(advice.summary + "\n", style="bold")
        for suggestion in advice.suggestions:
            text.append(f"• {METHOD_LABELS[suggestion.method]}: ", style="bold")
            text.append(suggestion.reason + "\n")
        for note in advice.notes:
            text.append(f"Note: {note}\n", style="italic")
        if advice.unanswered and advice.suggestions:
            text.append(f"Still to answer: {advice.unanswered[0]}\n", style="italic")
        show_if_changed(self.query_one("#ca-advice", Static), text)
        use = self.query_one("#ca-use-advice", Button)
        use.disabled = not advice.suggestions or advice.methods == part.methods
        concerns = choice_concerns(part)
        show_if_changed(self.query_one("#ca-concerns", Static), "\n".join(concerns))
        show_if_changed(self.query_one("#ca-mp-text", Static), mp_mode_text(profile))
        chosen = set(part.methods)
        self.query_one("#ca-entra").display = ClientAuthMethod.ENTRA in chosen
        self.query_one("#ca-pki").display = ClientAuthMethod.PKI in chosen
        self.query_one("#ca-token").display = ClientAuthMethod.TOKEN in chosen
        self.query_one("#ca-cmgcp-cert").display = part.management_point_mode is ManagementPointMode.HTTPS
        show_if_changed(self.query_one("#ca-entra-text", Static), entra_text(profile))
        show_if_changed(self.query_one("#ca-crl-text", Static), revocation_text(profile))
        self.query_one(TrustedCertsPanel).sync(profile)
        self.query_one(TokenPanel).sync(profile)
        results = self.results  # one evaluation for the headline and the tables
        mine = [r for r in results if r.phase is Phase.CLIENT_AUTH and not is_not_applicable(r)]
        show_if_changed(self.query_one("#ca-status", Static), 
            Text(f"{checks.status_line(profile, Phase.CLIENT_AUTH, results)} Answer the questions, pick "
                 "methods, then fill in the sections that appear for them.", style="italic"))
        self.query_one("#ca-rules", RuleReport).show(mine, "No rule of this part applies yet.")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ca-use-advice":
            event.stop()
            methods = advice_for(self.profile.client_auth).methods

            def apply(profile: Profile) -> None:
                profile.client_auth.methods = list(methods)

            self.post_message(ProfileMutation(apply, "Use the recommended client authentication"))
            if methods:  # the button turns off once used: focus moves to the result, the first method taken
                self.query_one(f"#method-{methods[0].value}", Checkbox).focus()
