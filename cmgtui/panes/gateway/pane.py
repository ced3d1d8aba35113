"""Part 4 pane: every field of the console's Create Cloud Management Gateway wizard, the site,
its hierarchy, the CMG connection points, the management point and software update point confirmations,
the cost estimate (:mod:`cmgtui.panes.gateway.cost`) and the pre-flight (domain sheet §3.4, §5, §6, §0.2).

Fields are validated as they are typed. Combinations that can't work (an existing resource
group in another region, a US Government scale set on a site older than 2111, the Lab size
for a production client count) are explained right under the fields they involve, from the
same rule results the pre-flight and ``cmgtui check`` show.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Static

from cmgtui.domain.display_text import visible
from cmgtui.domain import validate
from cmgtui.domain.azure import sizing
from cmgtui.domain.azure.dry_run import tags_problem
from cmgtui.domain.azure.locations import region_offer
from cmgtui.domain.hierarchy import total_peak_clients
from cmgtui.domain.rules import checks
from cmgtui.domain.rules.part4 import PREFLIGHT_EXTRA, planned_deployment
from cmgtui.domain.rules.results import Phase
from cmgtui.messages import FieldEdited, ProfileMutation
from cmgtui.model import Profile
from cmgtui.model.enums import DeploymentMethod
from cmgtui.model.profile import DeployedCmg
from cmgtui.panes.gateway.hierarchy import focus_hierarchy, hierarchy_rows, sync_hierarchy
from cmgtui.panes.gateway.cost import CostSection
from cmgtui.panes.gateway.preflight import PreflightPanel
from cmgtui.panes.gateway.widgets import (
    VM_SIZE_CHOICES,
    RuleNotes,
    SubscriptionPicker,
    TagsField,
    cmgcp_text,
    required_tags,
    sizing_text,
    tags_text,
    tenant_text,
    trusted_text,
    version_text,
)
from cmgtui.widgets.base import Pane, PaneTitle, show_if_changed
from cmgtui.widgets.fields import (
    CheckField,
    FieldInput,
    FieldRow,
    GuidField,
    IntField,
    ListField,
    SelectField,
    TextField,
)
from cmgtui.widgets.region import EnvironmentField, RegionField

#: Only a scale set can be created today; classic stays choosable so an old plan says why it can't be scripted.
DEPLOYMENT_CHOICES = [("Virtual machine scale set", DeploymentMethod.VMSS),
                      ("Classic cloud service (retired by Azure on 31 August 2024)", DeploymentMethod.CLASSIC)]
GROUP_CHOICES = [("Create new", False), ("Use existing (must be in the CMG region)", True)]


def _percent(text: str) -> str | None:
    return validate.int_range_problem(text, 1, 100)


def _gigabytes(text: str) -> str | None:
    return validate.int_range_problem(text, 1, 1_000_000)


class GatewayPane(Pane):
    """Part 4: the Create CMG wizard's values, the site roles and the pre-flight."""

    ENTRY = "gateway"
    TITLE = "Set up the CMG"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "preflight", "Pre-flight", id="part4_preflight"),
        Binding("f", "fix", "Fix…", id="part4_fix"),
        Binding("l", "load_subscriptions", "Load subscriptions", id="part4_subscriptions"),
        Binding("h", "hierarchy", "Hierarchy", id="part4_hierarchy", show=False),  # the section title shows it
        Binding("c", "cost", "Cost", id="part4_cost"),
        Binding("r", "read_prices", "Read prices", id="part4_prices", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield PaneTitle("Part 4 · Set up the CMG", classes="pane-title")
        yield Static(id="gw-status", classes="hint")
        with Horizontal(classes="buttons"):
            yield Button("Run pre-flight (p)", id="gw-preflight", compact=True)
            yield Button("Load subscriptions (l)", id="gw-load-subs", compact=True)
        yield Static("General", classes="section-title")
        yield EnvironmentField()
        yield SelectField("Deployment method", "deployment_method", DEPLOYMENT_CHOICES)
        yield RuleNotes("SITE-VERSION-USGOV", "NAME-AZURE-REGION", id="gw-env-notes")
        yield Static(id="gw-tenant", classes="gw-text")
        yield GuidField("Subscription ID", "gateway.subscription_id", validator=validate.guid_problem,
                        placeholder="e.g. 00000000-0000-0000-0000-000000000000")
        yield SubscriptionPicker(id="gw-sub-pick")
        yield RuleNotes("GW-SUBSCRIPTION", "GW-SUBSCRIPTION-LIVE", "GW-OWNER", id="gw-sub-notes")
        yield Static("Settings", classes="section-title")
        yield RegionField("Region")
        yield Static(id="gw-region-source", classes="hint")
        yield RuleNotes("GW-REGION", id="gw-region-notes")
        yield SelectField("Resource group", "gateway.use_existing_resource_group", GROUP_CHOICES)
        yield TextField("Resource group name", "gateway.resource_group", placeholder="e.g. cmg-rg",
                        validator=lambda text: validate.resource_group_problem(text, self._site_version()))
        yield Static(id="gw-rg-live", classes="hint")
        yield RuleNotes("GW-RG-NAME", "GW-RG-REGION", "GW-RG-NEW-EXISTS", id="gw-rg-notes")
        yield SelectField("VM size", "gateway.vm_size", VM_SIZE_CHOICES)
        yield RuleNotes("GW-VM-SIZE", "GW-LAB-SIZE", "GW-VM-SIZE-REGION", id="gw-size-notes")
        yield IntField("Peak concurrent internet clients (also in the checklist)", "gateway.peak_concurrent_clients",
                       validator=sizing.peak_clients_problem, id="gw-peak")
        yield CheckField("High availability (at least 2 VM instances)", "gateway.high_availability")
        yield IntField("VM instances (1-16)", "gateway.vm_instances",
                       validator=sizing.vm_instances_problem)
        yield Static(id="gw-sizing", classes="gw-text")
        yield Button("Use recommended count", id="gw-use-recommended", compact=True)
        yield RuleNotes("GW-VM-INSTANCES", "GW-HA", "GW-CAPACITY", "GW-VCPU-FAMILY", "GW-VCPU-REGIONAL",
                        id="gw-instance-notes")
        yield TextField("Description (optional)", "gateway.description", free_text=True)
        yield TagsField("Tags for the CMG's Azure resources (Name=value, comma separated)", "gateway.tags",
                        validator=tags_problem, placeholder="e.g. CostCenter=4711", id="gw-tags")
        yield Static(id="gw-tags-need", classes="hint")
        yield RuleNotes("GW-POLICY", id="gw-policy-notes")
        yield Static("Trusted root certificates (PKI clients only)", classes="field-label")
        yield Static(id="gw-trusted", classes="gw-text")
        yield RuleNotes("CA-TRUSTED-ROOTS", id="gw-trusted-notes")
        yield CheckField("Verify client certificate revocation (only if the CRL is on the internet)",
                         "gateway.check_client_cert_revocation")
        yield CheckField("Enforce TLS 1.2", "gateway.enforce_tls12")
        yield CheckField("Allow CMG to function as a cloud distribution point and serve content from Azure storage",
                         "gateway.content_enabled")
        yield RuleNotes("GW-CONTENT-EARLY-VMSS", "NAME-STORAGE-FREE", id="gw-content-notes")
        yield Static("Alerts", classes="section-title")
        yield CheckField("Alert on 14-day outbound data transfer", "gateway.traffic_alert.enabled")
        yield IntField("Outbound threshold, GB (the script needs it while this alert is on)",
                       "gateway.traffic_alert.gigabytes", validator=_gigabytes, placeholder="e.g. 10000")
        yield IntField("Outbound warning %", "gateway.traffic_alert.warning_percent", validator=_percent)
        yield IntField("Outbound critical %", "gateway.traffic_alert.critical_percent", validator=_percent)
        yield CheckField("Stop this service when the critical threshold is exceeded", "gateway.traffic_stop_service")
        yield CheckField("Alert on storage use", "gateway.storage_alert.enabled")
        yield IntField("Storage threshold, GB (the script needs it while this alert is on)",
                       "gateway.storage_alert.gigabytes", validator=_gigabytes, placeholder="e.g. 500")
        yield IntField("Storage warning %", "gateway.storage_alert.warning_percent", validator=_percent)
        yield IntField("Storage critical %", "gateway.storage_alert.critical_percent", validator=_percent)
        yield RuleNotes("GW-ALERTS", id="gw-alert-notes")
        yield CostSection(id="gw-cost")
        yield from self._compose_site()
        yield PreflightPanel(id="gw-preflight-panel")

    def _compose_site(self) -> ComposeResult:
        yield Static("Site", classes="section-title")
        yield TextField("Site code", "site.site_code", validator=validate.site_code_problem, placeholder="e.g. ABC")
        yield IntField("Site version", "site.site_version", validator=validate.site_version_problem,
                       placeholder="e.g. 2309")
        yield Static(id="gw-version", classes="gw-text")
        yield CheckField("'Cloud management gateway with virtual machine scale set' feature is turned on",
                         "optional_feature_enabled")
        yield RuleNotes("SITE-CODE", "SITE-VERSION-VMSS", "SITE-VERSION-USGOV", id="gw-site-notes")
        yield TextField("Site server (SMS Provider)", "site.site_server", validator=validate.fqdn_problem,
                        placeholder="e.g. cm01.contoso.com")
        yield TextField("Service connection point server", "site.service_connection_point",
                        validator=validate.fqdn_problem, placeholder="e.g. cm01.contoso.com")
        yield CheckField("The service connection point is in online mode", "site.scp_online")
        yield RuleNotes("GW-SCP", id="gw-scp-notes")
        yield from hierarchy_rows()
        yield Static("CMG connection points", classes="section-title")
        yield ListField("CMG connection point servers, comma separated", "site.cmgcp_servers",
                        validator=validate.fqdn_problem, placeholder="e.g. cmgcp01.contoso.com, cmgcp02.contoso.com",
                        id="gw-cmgcp-servers")
        yield Static(id="gw-cmgcp", classes="gw-text")
        yield RuleNotes("GW-CMGCP-COUNT", id="gw-cmgcp-notes")
        yield Static("Management points and software update points", classes="section-title")
        yield ListField("Management points for internet clients", "site.management_points",
                        validator=validate.fqdn_problem, placeholder="e.g. mp01.contoso.com")
        yield CheckField("They allow Configuration Manager cloud management gateway traffic",
                         "gateway.mp_allows_cmg_traffic")
        yield ListField("Software update points for internet clients (none behind a load balancer)",
                        "site.software_update_points", validator=validate.fqdn_problem,
                        placeholder="e.g. sup01.contoso.com")
        yield CheckField("They allow Configuration Manager cloud management gateway traffic",
                         "gateway.sup_allows_cmg_traffic")
        yield RuleNotes("GW-MP-CMG-TRAFFIC", "GW-SUP-CMG-TRAFFIC", id="gw-roles-notes")
        yield Static("After the CMG exists", classes="section-title")
        yield Static(id="gw-deployed", classes="gw-text")
        yield Button("Record: the CMG was created with these settings", id="gw-record-deployed", compact=True)
        yield RuleNotes("GW-REDEPLOY", id="gw-redeploy-notes")

    def _site_version(self) -> int | None:
        profile = self.cmg.profile
        return profile.site.site_version if profile is not None else None

    def on_mount(self) -> None:
        # Textual runs Pane.on_mount too (a handler per class in the MRO): calling it here
        # as well would draw the pane twice
        self.watch(self.cmg, "sign_in_state", self._sign_in_changed, init=False)

    def _sign_in_changed(self, _state: str) -> None:
        self.query_one("#gw-load-subs", Button).disabled = not self.cmg.cloud.signed_in

    def _profile_changed(self, what: str) -> None:
        if what != "activity":  # a log line changes nothing the pane shows but the live log
            super()._profile_changed(what)

    def sync(self) -> None:
        profile = self.profile
        for row in self.query(FieldRow):
            row.sync(profile)
        results = self.results  # one evaluation for the headline, the notes and the pre-flight's table
        preflight = self.query_one(PreflightPanel)
        for notes in self.query(RuleNotes):
            notes.show(results)
        also = PREFLIGHT_EXTRA if preflight.ran else ()
        show_if_changed(self.query_one("#gw-status", Static), 
            f"{checks.status_line(profile, Phase.GATEWAY, results, also)} The values the console's Create CMG wizard asks for, in its order; "
            "then the site roles. Press p for the pre-flight.")
        show_if_changed(self.query_one("#gw-tenant", Static), tenant_text(profile))
        _choices, live = region_offer(profile)
        show_if_changed(self.query_one("#gw-region-source", Static), 
            "Regions offered by the subscription (live)." if live
            else "Built-in region list: run the pre-flight signed in for the subscription's own list.")
        show_if_changed(self.query_one("#gw-rg-live", Static), self._group_text(profile))
        show_if_changed(self.query_one("#gw-sizing", Static), sizing_text(profile))
        tags_shown = bool(required_tags(profile) or profile.gateway.tags)
        self.query_one("#gw-tags", TagsField).display = tags_shown
        show_if_changed(self.query_one("#gw-tags-need", Static), tags_text(profile))
        self.query_one("#gw-use-recommended", Button).disabled = not total_peak_clients(profile)
        show_if_changed(self.query_one("#gw-trusted", Static), trusted_text(profile))
        show_if_changed(self.query_one("#gw-version", Static), version_text(profile))
        show_if_changed(self.query_one("#gw-cmgcp", Static), cmgcp_text(profile))
        sync_hierarchy(self, profile)
        show_if_changed(self.query_one("#gw-deployed", Static), self._deployed_text(profile))
        self.query_one(CostSection).sync(profile)
        self._sign_in_changed("")
        preflight.sync(profile, results)

    @staticmethod
    def _group_text(profile: Profile) -> Text:
        name = profile.gateway.resource_group.strip()
        found = profile.evidence.get("arm.resource_group")
        if not name:
            return Text("")
        if found is None or str(found.data.get("name", "")).lower() != name.lower():
            return Text(f"Not looked up yet: the pre-flight checks whether {visible(name)} exists and where.")
        when = f"{found.observed_at:%Y-%m-%d %H:%M} UTC"
        if not found.data.get("exists"):
            return Text(f"Live check ({when}): {visible(name)} doesn't exist in the subscription.")
        return Text(f"Live check ({when}): {visible(name)} exists in {visible(found.data.get('location', '?'))}.")

    @staticmethod
    def _deployed_text(profile: Profile) -> str:
        deployed = profile.gateway.deployed
        if deployed is None:
            return ("Once the wizard has created the CMG, record it: changing the subscription, region, "
                    "resource group or service name afterwards needs a redeploy.")
        return (f"Created ({deployed.recorded_at:%Y-%m-%d}): {deployed.service_name or '?'} in "
                f"{deployed.region or '?'}, resource group {deployed.resource_group or '?'}.")

    # -- actions -----------------------------------------------------------------------------

    def action_preflight(self) -> None:
        self.query_one(PreflightPanel).run()

    def action_cost(self) -> None:
        """Go to the Cost section: its first assumption takes the focus."""
        section = self.query_one(CostSection)
        section.query(FieldInput).first().focus(scroll_visible=False)
        self.scroll_to_widget(section, top=True, animate=False)

    def action_read_prices(self) -> None:
        self.query_one(CostSection).fetch()

    def action_fix(self) -> None:
        self.query_one(PreflightPanel).offer_fixes()

    def action_hierarchy(self) -> None:
        """Go to the hierarchy: the top-level site's choice, with the sites' lines below it."""
        focus_hierarchy(self)

    def action_load_subscriptions(self) -> None:
        self.query_one(PreflightPanel).load_subscriptions()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id
        if button == "gw-preflight":
            event.stop()
            self.action_preflight()
        elif button == "gw-load-subs":
            event.stop()
            self.action_load_subscriptions()
        elif button == "gw-use-recommended":
            event.stop()
            g = self.profile.gateway
            if peak := total_peak_clients(self.profile):
                advice = sizing.size_instances(peak, g.vm_size, g.high_availability,
                                               self.profile.site.site_version, self.profile.deployment_method)
                self.post_message(FieldEdited("gateway.vm_instances", advice.recommended, str(advice.recommended)))
        elif button == "gw-record-deployed":
            event.stop()
            plan = planned_deployment(self.profile)

            def record(profile: Profile) -> None:
                profile.gateway.deployed = DeployedCmg(**plan)

            self.post_message(ProfileMutation(record, "Recorded the created CMG's settings"))
