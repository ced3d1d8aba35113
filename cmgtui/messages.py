"""Messages that screens and widgets send to change the shared profile, the one the App
publishes after each change, and those the cloud bridge posts to the App and to the panes.

Widgets never modify the profile themselves: they post one of these, it bubbles up to the
App, and the App applies it, records drafts, schedules a save and publishes one
:class:`ProfileChange` (what changed, with the rule results computed once) to every pane.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from cmgtui.cloud.app_registration import CreationFailed
    from cmgtui.domain.rules.results import RuleResult
    from cmgtui.model import Profile
    from cmgtui.services.entra_apps import CreateResult, VerifyResult
    from cmgtui.services.entra_roles import RolesRead
    from cmgtui.services.preflight import PreflightResult

ACTIVITY = "activity"


@dataclass(frozen=True, slots=True)
class ProfileChange:
    """Published once per change of the open profile (the App's ``profile_changed`` signal).

    ``what`` is the dotted path of a field edit, the description of a multi-field change, or
    :data:`ACTIVITY` when only the activity log grew. ``results`` are every rule's results
    after the change, computed once for all subscribers.
    """

    what: str
    results: list[RuleResult]

    @property
    def activity_only(self) -> bool:
        """True when nothing in the profile changed, only its activity log."""
        return self.what == ACTIVITY


class FieldEdited(Message):
    """The user changed the field at ``path`` to ``value`` (``raw`` is the text typed)."""

    def __init__(self, path: str, value: Any, raw: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.value = value
        self.raw = raw


class ProfileMutation(Message):
    """Apply ``change`` to the profile (for edits that are not one field, e.g. list items)."""

    def __init__(self, change: Callable[[Profile], None], description: str) -> None:
        super().__init__()
        self.change = change
        self.description = description


@dataclass(frozen=True, slots=True)
class ProfileKey:
    """The identity of one opening of a profile: a job's result belongs to exactly this.

    ``opening`` counts the profiles opened in this App, so a result for profile "a" that
    arrives after "a" was closed and opened again is still recognised as stale.
    """

    name: str
    opening: int
    read_only: bool = False


class JobLogLine(Message):
    """One progress line of the cloud job ``description``, posted to the pane that started it."""

    def __init__(self, description: str, line: str) -> None:
        super().__init__()
        self.description = description
        self.line = line


class LiveChecksRead(Message):
    """The live checks after a sign-in (roles, tenant, Owner role, regions) read ``result``; the
    App records it (posted to the pane that asked, it bubbles up to the App)."""

    def __init__(self, result: PreflightResult) -> None:
        super().__init__()
        self.result = result


class CloudJobFailed(Message):
    """A cloud job failed: what happened (``error``), what to do, and the error's kind."""

    def __init__(self, profile: ProfileKey | None, description: str, error: str, what_to_do: str,
                 kind: str) -> None:
        super().__init__()
        self.profile = profile
        self.description = description
        self.error = error
        self.what_to_do = what_to_do
        self.kind = kind


class DeviceCodeRequested(Message):
    """Sign-in needs the user to enter ``code`` at ``url`` before ``expires``."""

    def __init__(self, url: str, code: str, expires: datetime,
                 on_cancel: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.url = url
        self.code = code
        self.expires = expires
        self.on_cancel = on_cancel


class DeviceCodeFinished(Message):
    """The sign-in that may have asked for a device code ended.

    ``error`` and ``what_to_do`` are empty when it succeeded; ``code`` is the failure's kind
    (``"cancelled"`` when the user cancelled, ``"expired_token"``, ``"authorization_declined"`` …).
    """

    def __init__(self, error: str = "", what_to_do: str = "", code: str = "") -> None:
        super().__init__()
        self.error = error
        self.what_to_do = what_to_do
        self.code = code


class EntraRolesRead(Message):
    """Part 2's roles check read the account's roles and the tenant; ``then_create`` goes on to the
    creation (posted to the Part 2 pane)."""

    def __init__(self, read: RolesRead, then_create: bool) -> None:
        super().__init__()
        self.read = read
        self.then_create = then_create


class EntraAppsCreated(Message):
    """Part 2's creation (or resume) finished: both apps, read back (posted to the Part 2 pane)."""

    def __init__(self, result: CreateResult) -> None:
        super().__init__()
        self.result = result


class EntraCreationStopped(Message):
    """Part 2's creation failed after adding a client secret: the error, and the secret to keep."""

    def __init__(self, failure: CreationFailed) -> None:
        super().__init__()
        self.failure = failure


class EntraAppsVerified(Message):
    """Part 2's verification read the two apps (posted to the Part 2 pane)."""

    def __init__(self, result: VerifyResult) -> None:
        super().__init__()
        self.result = result
