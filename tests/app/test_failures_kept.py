"""A failure outlives its toast: it is kept in the profile's Activity pane, in plain words."""

from __future__ import annotations

import socket

import pytest
import requests

from cmgtui import activity
from cmgtui.app import CmgApp
from cmgtui.cloud.errors import map_exception
from cmgtui.store import ProfileStore

from .conftest import ready, screen_text, until


async def test_a_sign_in_failure_is_in_the_activity_pane_after_its_toast(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_answer(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_answer)
    with pytest.raises(requests.RequestException) as caught:
        requests.get("https://login.microsoftonline.com/common/v2.0", timeout=5)
    error = map_exception(caught.value, "sign in")
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.notify(f"{error.message}\n{error.what_to_do}", title="Sign-in", severity="error", timeout=1)
        app.clear_notifications()  # the toast is gone
        await pilot.pause()
        kept = [e for e in activity.read_tail("plan", 20) if e.kind == "error"]
        assert [e.message for e in kept] == [f"Sign-in: {error.message} {error.what_to_do}"]
        app.screen.show_entry("activity", True)
        await until(pilot, lambda: "cannot resolve login.microsoftonline.com" in _pane_text(app))
        assert "Could not sign in: cannot resolve login.microsoftonline.com (DNS has no answer for it)." \
            in _pane_text(app)


def _pane_text(app: CmgApp) -> str:
    """The shown pane's text, lines joined (the navigation column left out)."""
    return " ".join(" ".join(line.split("▎", 1)[-1].replace("▌", " ").split()) for line in screen_text(app).splitlines())
