"""``cmgtui serve``: the app in a real browser (Debian's chromium, headless) and the server's locks.

The browser test drives chromium over its DevTools protocol: a script added before the page
loads records what the page's websocket receives (the terminal stream of the cmgtui that the
server started for this tab), and the test waits until the checklist is in it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Records the bytes the page's websockets receive, as text, in ``window.__screen``.
_RECORD_WEBSOCKETS = """(() => {
  const Native = window.WebSocket;
  window.__screen = "";
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        window.__screen += typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data);
      });
    }
  };
})();"""


@pytest.fixture
def served() -> Iterator[str]:
    """A running ``cmgtui serve --port 0 -- --sandbox``; yields the URL it printed."""
    process = subprocess.Popen([sys.executable, "-m", "cmgtui", "serve", "--port", "0", "--", "--sandbox"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
        assert match, line + (process.stderr.read() if process.poll() is not None and process.stderr else "")
        yield match.group(1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _status(url: str, headers: dict[str, str] | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_every_page_needs_the_token_and_the_served_host(served: str) -> None:
    base = served.split("?")[0]
    assert _status(served) == 200
    assert _status(base) == 403
    assert _status(base + "?token=wrong") == 403
    assert _status(served, {"Host": "attacker.example"}) == 403  # a DNS name rebound to 127.0.0.1
    assert _status(base.rstrip("/") + "/ws?token=wrong") == 403
    assert _status(base.rstrip("/") + "/static/js/textual.js") == 200  # the page's own script holds nothing


def test_another_address_needs_allow_remote() -> None:
    done = subprocess.run([sys.executable, "-m", "cmgtui", "serve", "--host", "0.0.0.0", "--port", "0"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "not a loopback address" in done.stderr and "--allow-remote" in done.stderr
    assert "Traceback" not in done.stderr


def _devtools_port(chrome: subprocess.Popen[str]) -> int:
    assert chrome.stderr is not None
    for line in chrome.stderr:
        if match := re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line):
            return int(match.group(1))
    raise AssertionError("chromium did not start its DevTools endpoint")


async def _screen_until(devtools: int, url: str, wanted: str, seconds: float) -> str:
    """Open ``url`` in chromium's page and return the websocket text once it holds ``wanted``."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{devtools}/json/list") as answer:
            page = next(t for t in await answer.json() if t["type"] == "page")
        async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as socket:
            ids = iter(range(1, 1_000_000))

            async def call(method: str, **params: object) -> dict:  # type: ignore[type-arg]
                number = next(ids)
                await socket.send_json({"id": number, "method": method, "params": params})
                async for message in socket:
                    data = json.loads(message.data)
                    if data.get("id") == number:
                        return data.get("result", {})  # type: ignore[no-any-return]
                raise AssertionError("DevTools closed the connection")

            await call("Page.enable")
            await call("Page.addScriptToEvaluateOnNewDocument", source=_RECORD_WEBSOCKETS)
            await call("Page.navigate", url=url)
            text, deadline = "", time.monotonic() + seconds
            while time.monotonic() < deadline and wanted not in text:
                await asyncio.sleep(0.5)
                answer = await call("Runtime.evaluate", expression="window.__screen || ''", returnByValue=True)
                text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", answer["result"].get("value", ""))
            return text


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_a_headless_browser_reaches_the_checklist(served: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        chrome = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
                                   f"--user-data-dir={profile}", "--window-size=1000,700", "about:blank"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            screen = asyncio.run(_screen_until(_devtools_port(chrome), served, "Pre-setup checklist", 120))
        finally:
            chrome.terminate()
            chrome.wait(timeout=30)
    assert "Pre-setup checklist" in screen
    assert "cmgtui" in screen and "sandbox" in screen
    assert any(Path(os.environ["CMGTUI_HOME"]).rglob("sandbox.json"))  # it ran in this test's CMGTUI_HOME
