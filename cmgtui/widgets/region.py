"""The Azure environment and region pickers, shared by the checklist and Part 4.

The region list always belongs to the chosen cloud: the subscription's live list when it was
read in that cloud, else the built-in one, each region shown by its display name. Switching
the cloud revalidates the region at once: a region of the other cloud is cleared with a
message that says what to choose, never left behind as an invalid draft.
"""

from __future__ import annotations

from textual.widgets import Select

from cmgtui.domain.azure.compute import regions_without_size
from cmgtui.domain.azure.locations import region_after_switch, region_label, region_offer
from cmgtui.messages import ProfileMutation
from cmgtui.model import AzureEnvironment, Profile
from cmgtui.widgets.fields import SelectField

ENVIRONMENT_CHOICES = [
    ("Azure public cloud (AzurePublicCloud)", AzureEnvironment.PUBLIC),
    ("Azure US Government (AzureUSGovernmentCloud)", AzureEnvironment.US_GOVERNMENT),
]


def region_choices(profile: Profile) -> list[tuple[str, str]]:
    """``(label, name)`` pairs to offer for the profile's cloud; a region that doesn't offer the
    plan's VM size to the subscription (pre-flight evidence) says so."""
    offered, _live = region_offer(profile)
    sku, missing = regions_without_size(profile)
    return [(region_label(name, display) + (f" · {sku.removeprefix('Standard_')} not offered" if name in missing else ""), name)
            for name, display in offered]


class EnvironmentField(SelectField):
    """The cloud picker; choosing another cloud also revalidates the region."""

    def __init__(self, label: str = "Azure environment", *, id: str | None = None) -> None:
        super().__init__(label, "environment", ENVIRONMENT_CHOICES, id=id)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        environment = None if event.value is Select.NULL else event.value
        if not isinstance(environment, AzureEnvironment | None):
            return
        notify = self.notify

        def switch(profile: Profile) -> None:
            problem = region_after_switch(profile, environment)
            profile.environment = environment
            if problem:
                profile.region = ""
                profile.drafts.pop("region", None)
                notify(problem, severity="warning", timeout=12)

        self.post_message(ProfileMutation(switch, "Azure environment"))


class RegionField(SelectField):
    """Region picker whose choices follow the environment (or the subscription's live list)."""

    def __init__(self, label: str = "Azure region", *, id: str | None = None) -> None:
        super().__init__(label, "region", [], blank="", id=id)

    def sync(self, profile: Profile) -> None:
        choices = region_choices(profile)
        select = self.query_one(Select)
        if choices != self.options and select.query("SelectOverlay"):
            # (a Select still composing, or torn down while the App exits, has no overlay
            # to fill yet; the next sync sets the options)
            self.options = choices
            with select.prevent(Select.Changed):
                select.set_options(choices)
        super().sync(profile)

    def unfinished(self, profile: Profile) -> bool:
        """No region of the profile's cloud chosen yet (asked before the row is first drawn too:
        the checklist's items below the fold are built only when reached)."""
        return profile.region not in {name for _label, name in region_choices(profile)}
