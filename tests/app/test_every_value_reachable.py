"""Every value the script can report missing is set from a screen, by keyboard.

The labels are read from :mod:`cmgtui.domain.powershell.plan` itself, so a new required value
without a widget fails here. Each label maps to the pane and the editor that sets it; the
test shows that pane, focuses the editor, types (or picks) a value and checks that the
profile now holds it. A typed value's first character is a key press and the rest a paste, as a
terminal delivers one: every field is shown to take keys, without a refresh per character
(typing a whole value key by key is tested in ``test_keys_follow_the_pane.py`` and the part tests).
"""

from __future__ import annotations

import inspect
import re
from datetime import UTC, datetime

from textual.widgets import Button, Checkbox, Input, OptionList, Select

from cmgtui.app import CmgApp
from cmgtui.domain.powershell import plan
from cmgtui.model import AzureEnvironment, ChildPrimary, ClientAuthMethod, EntraPath, TopLevelSite
from cmgtui.model.edit import get_path
from cmgtui.model.enums import DeploymentMethod
from cmgtui.store import ProfileStore
from cmgtui.widgets.fields import FieldRow

from .conftest import current_entry, paste, read_through, ready, until

#: label prefix -> (pane, profile path, what to type or pick, the value it stores).
BY_FIELD: dict[str, tuple[str, str, str | object, object]] = {
    "Site: site code": ("gateway", "site.site_code", "ABC", "ABC"),
    "Site: site server FQDN": ("gateway", "site.site_server", "cm01.contoso.com", "cm01.contoso.com"),
    "Site: Configuration Manager version": ("checklist", "site.site_version", "2309", 2309),
    "Site: version ": ("gateway", "site.site_version", "2403", 2403),
    "Checklist: Azure environment": ("checklist", "environment", AzureEnvironment.US_GOVERNMENT,
                                     AzureEnvironment.US_GOVERNMENT),
    "Checklist: Azure region": ("checklist", "region", "usgovtexas", "usgovtexas"),
    "Part 4: deployment method must be virtual machine scale set": (
        "gateway", "deployment_method", DeploymentMethod.VMSS, DeploymentMethod.VMSS),
    "Part 1: service name": ("certificate", "certificate.service_name", "contoso.com", "contoso.com"),
    "Part 1: service name (certificate common name)": (
        "certificate", "certificate.service_name", "*.contoso.com", "*.contoso.com"),
    "Part 1: service name prefix replacing": ("certificate", "certificate.wildcard_prefix", "Granite", "Granite"),
    "Part 1: service name the CMG names can be derived from": (
        "certificate", "certificate.service_name", "GraniteFalls.contoso.com", "GraniteFalls.contoso.com"),
    "Part 2: how the Microsoft Entra apps are made": ("entra", "entra.path", EntraPath.IMPORT, EntraPath.IMPORT),
    "Part 2: tenant ID": ("entra", "entra.tenant_id", "72f988bf-86f1-41af-91ab-2d7cd011db47",
                          "72f988bf-86f1-41af-91ab-2d7cd011db47"),
    "Part 2: Azure service name in Configuration Manager": (
        "entra", "entra.azure_service_name", "Contoso CMG", "Contoso CMG"),
    "Part 2: tenant name": ("entra", "entra.tenant_name", "contoso.onmicrosoft.com", "contoso.onmicrosoft.com"),
    "Part 2: server app client ID": ("entra", "entra.server_app.app_id", "11111111-1111-4111-8111-111111111111",
                                     "11111111-1111-4111-8111-111111111111"),
    "Part 2: server app ID URI": ("entra", "entra.server_app.app_id_uri", "api://contoso/ConfigMgrService",
                                  "api://contoso/ConfigMgrService"),
    "Part 2: server app secret expiry date": ("entra", "entra.server_app.secret_expiry", "2027-06-30",
                                              datetime(2027, 6, 30, tzinfo=UTC)),
    "Part 2: client app client ID": ("entra", "entra.client_app.app_id", "22222222-2222-4222-8222-222222222222",
                                     "22222222-2222-4222-8222-222222222222"),
    "Part 2: server app name": ("entra", "entra.server_app.display_name", "CMG Server", "CMG Server"),
    "Part 2: client app name": ("entra", "entra.client_app.display_name", "CMG Client", "CMG Client"),
    "Part 2: Configuration Manager creates the apps from PowerShell only on": (
        "entra", "entra.path", EntraPath.CREATE_HERE, EntraPath.CREATE_HERE),
    "Part 3: folder of the trusted CA certificate files on the site server": (
        "client_auth", "client_auth.site_ca_folder", r"D:\CMG\CA", r"D:\CMG\CA"),
    "Part 4: Azure subscription ID": ("gateway", "gateway.subscription_id", "33333333-3333-4333-8333-333333333333",
                                      "33333333-3333-4333-8333-333333333333"),
    "Part 4: resource group name": ("gateway", "gateway.resource_group", "cmg-rg", "cmg-rg"),
    "Part 4: VM instance count": ("gateway", "gateway.vm_instances", "3", 3),
    "Part 4: 14-day outbound data transfer alert threshold": (
        "gateway", "gateway.traffic_alert.gigabytes", "500", 500),
    "Part 4: storage alert threshold": ("gateway", "gateway.storage_alert.gigabytes", "200", 200),
    "Part 4: description of the CMG": ("gateway", "gateway.description", "Contoso CMG", "Contoso CMG"),
    "Part 4: CMG connection point servers": ("gateway", "site.cmgcp_servers", "cmgcp01.contoso.com",
                                             ["cmgcp01.contoso.com"]),
    "Part 4: primary sites below the CAS": ("gateway", "hierarchy.child_primaries", "SEA 9000 cmgcp.sea.contoso.com",
                                            [ChildPrimary(site_code="SEA", peak_clients=9000,
                                                          cmgcp_server="cmgcp.sea.contoso.com")]),
    "Part 4: CMG connection point server of primary site": (
        "gateway", "hierarchy.child_primaries", "PAR 4000 cmgcp.par.contoso.com",
        [ChildPrimary(site_code="PAR", peak_clients=4000, cmgcp_server="cmgcp.par.contoso.com")]),
    "Part 4: management points that allow CMG traffic": ("gateway", "site.management_points", "mp01.contoso.com",
                                                         ["mp01.contoso.com"]),
    "Part 4: software update points": ("gateway", "site.software_update_points", "sup01.contoso.com",
                                       ["sup01.contoso.com"]),
}
#: Values set by an action rather than a typed field: the pane and the editor plus button.
BY_ACTION: dict[str, tuple[str, str, str]] = {
    "Part 1: path of the server certificate PFX file": ("certificate", "#pfx-path", "#lint"),
    "Part 3: trusted root certificate files": ("client_auth", "#trusted-path", "#trusted-add"),
    "Part 3: a trusted root certificate": ("client_auth", "#trusted-path", "#trusted-add"),
    "Part 3: file of trusted": ("client_auth", "#trusted-path", "#trusted-add"),
}
#: Values fixed by removing an entry from a list: the pane, the list and its Remove button.
BY_REMOVAL: dict[str, tuple[str, str, str]] = {
    "Part 3: trusted certificate ": ("client_auth", "#trusted-list", "#trusted-remove"),
}
METHOD_LABEL = "Part 3: client authentication method"


def plan_labels() -> set[str]:
    """Every label literal :func:`plan.missing_values` can report (read from its source)."""
    source = inspect.getsource(plan)
    return set(re.findall(r'f?"((?:Site|Checklist|Part \d): [^"{]+)', source))


def test_every_label_the_plan_reports_is_mapped_to_an_editor() -> None:
    labels = plan_labels()
    assert len(labels) > 25, labels
    known = [*BY_FIELD, *BY_ACTION, *BY_REMOVAL, METHOD_LABEL]
    unmapped = [label for label in labels if not any(label.startswith(prefix) for prefix in known)]
    assert not unmapped, f"values the script needs that no screen sets: {unmapped}"


async def _show(pilot, app: CmgApp, entry: str) -> None:  # type: ignore[no-untyped-def]
    """Show ``entry`` unless it is shown already (each wait for the App costs a walk over every
    built pane's widgets)."""
    if current_entry(app) != entry:
        app.screen.show_entry(entry)
        await pilot.pause()
        if entry == "checklist":
            await read_through(pilot)


async def _set_field(pilot, app: CmgApp, entry: str, path: str, typed: str | object) -> None:  # type: ignore[no-untyped-def]
    await _show(pilot, app, entry)
    pane = app.screen.query_one(f"#{entry}")
    rows = [row for row in pane.query(FieldRow) if row.path == path]
    assert rows, f"no field for {path} on {entry}"
    row = next((r for r in rows if r.display and all(a.display for a in r.ancestors if a is not app.screen)),
               rows[0])
    assert row.display, f"the field for {path} on {entry} is hidden"
    selects = list(row.query(Select))
    if selects:
        select = selects[0]
        select.focus()  # lands before the key below: both wait in the App's queue, in order
        options = [value for _label, value in select._options]
        assert typed in options, f"{typed!r} is not offered for {path}: {options}"
        await pilot.press("enter")  # returns once the list it opens is drawn
        current = select.value if select.value in options else options[0]
        steps = options.index(typed) - options.index(current)
        await pilot.press(*(["down"] * steps if steps >= 0 else ["up"] * -steps), "enter")
        return
    editor = row.query_one(Input)
    editor.focus()  # lands before the key below: both wait in the App's queue, in order
    editor.value = ""  # typed over what it held
    assert isinstance(typed, str)
    await pilot.press(typed[0])
    if typed[1:]:
        await paste(pilot, typed[1:])


async def _tick_pki(pilot, app: CmgApp) -> None:  # type: ignore[no-untyped-def]
    """Tick PKI client certificates with space on its checkbox (unless it is ticked already)."""
    await _show(pilot, app, "client_auth")
    if ClientAuthMethod.PKI in app.profile.client_auth.methods:
        return
    box = app.screen.query_one(f"#method-{ClientAuthMethod.PKI.value}", Checkbox)
    box.focus()
    await pilot.press("space")
    await until(pilot, lambda: ClientAuthMethod.PKI in app.profile.client_auth.methods)


async def test_each_required_value_is_set_by_keyboard_on_its_screen() -> None:
    store = ProfileStore()
    store.create("reach")
    app = CmgApp(initial_profile="reach")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        # The import path first, so the import fields show; the create path entry last. One pane's
        # values together (in their order above), so each pane is shown once rather than in turns.
        panes = list(dict.fromkeys(entry for entry, *_rest in BY_FIELD.values()))
        order = sorted(BY_FIELD, key=lambda label: ("Configuration Manager creates" in label,
                                                    panes.index(BY_FIELD[label][0])))
        for label in order:
            entry, path, typed, stored = BY_FIELD[label]
            if path == "certificate.wildcard_prefix":
                await _set_field(pilot, app, "certificate", "certificate.service_name", "*.contoso.com")
                await until(pilot, lambda: app.profile.certificate.service_name == "*.contoso.com")
            if path.startswith("entra.server_app.") or path.startswith("entra.client_app.app"):
                await until(pilot, lambda: app.profile.entra.path is EntraPath.IMPORT)
            if path.endswith("display_name"):
                await _set_field(pilot, app, "entra", "entra.path", EntraPath.CREATE_HERE)
                await until(pilot, lambda: app.profile.entra.path is EntraPath.CREATE_HERE)
            if path in ("gateway.traffic_alert.gigabytes", "gateway.storage_alert.gigabytes"):
                assert get_path(app.profile, path.replace("gigabytes", "enabled")) is True
            if path == "client_auth.site_ca_folder":  # the PKI section shows it
                await _tick_pki(pilot, app)
            if path == "hierarchy.child_primaries":  # the primaries' line is shown for a CAS
                await _set_field(pilot, app, "gateway", "hierarchy.top_level", TopLevelSite.CAS)
                await until(pilot, lambda: app.profile.hierarchy.top_level is TopLevelSite.CAS)
            await _set_field(pilot, app, entry, path, typed)
            await until(pilot, lambda path=path, stored=stored: get_path(app.profile, path) == stored)
            if path == "hierarchy.child_primaries":
                await _set_field(pilot, app, "gateway", "hierarchy.top_level", TopLevelSite.STANDALONE_PRIMARY)
                await until(pilot, lambda: app.profile.hierarchy.top_level is TopLevelSite.STANDALONE_PRIMARY)
            if path.endswith("display_name"):
                await _set_field(pilot, app, "entra", "entra.path", EntraPath.IMPORT)
                await until(pilot, lambda: app.profile.entra.path is EntraPath.IMPORT)
        # Methods are ticked with space on their checkboxes.
        await _tick_pki(pilot, app)
        # Files are given by path and taken by their button (the journey test checks real files).
        for entry, list_id, button_id in BY_REMOVAL.values():
            await _show(pilot, app, entry)
            pane = app.screen.query_one(f"#{entry}")
            assert pane.query_one(list_id, OptionList).focusable
            assert pane.query_one(button_id, Button).label.plain.startswith("Remove")
        for entry, editor_id, button_id in BY_ACTION.values():
            await _show(pilot, app, entry)
            pane = app.screen.query_one(f"#{entry}")
            editor = pane.query_one(editor_id, Input)
            button = pane.query_one(button_id, Button)
            assert editor.focusable and button.focusable, f"{editor_id} / {button_id} on {entry}"
