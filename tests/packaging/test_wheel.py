"""The built wheel carries the styles and the app runs from a fresh venv with them.

This builds the real wheel, installs it into a new virtual environment (outside the source
tree, so nothing can be picked up from the checkout) and starts the app headless there.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

PROBE = textwrap.dedent(
    """
    import asyncio, os, sys, tempfile
    os.environ["CMGTUI_HOME"] = tempfile.mkdtemp()
    import cmgtui
    from cmgtui.resources import styles_dir
    package = os.path.dirname(cmgtui.__file__)
    assert package.startswith(sys.prefix), package
    assert str(styles_dir()).startswith(package), styles_dir()
    from cmgtui.app import CmgApp
    from cmgtui.store import ProfileStore

    ProfileStore().create("plan")

    async def main():
        app = CmgApp(initial_profile="plan")
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(300):  # wait until the main screen and its panes are mounted
                await pilot.pause()
                if type(app.screen).__name__ == "MainScreen" and app.screen.query("#nav"):
                    break
            await pilot.pause()
            await app.workers.wait_for_complete()
            nav = app.screen.query_one("#nav")
            print("screen", type(app.screen).__name__, "nav-width", nav.styles.width.value)

    asyncio.run(main())
    """
)


def test_wheel_ships_styles_and_runs_from_a_fresh_venv(tmp_path: Path) -> None:
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build the wheel; install it with 'pip install uv'")
    dist = tmp_path / "dist"
    subprocess.run([uv, "build", "--wheel", "-o", str(dist), str(ROOT)], check=True, capture_output=True)
    wheel = next(dist.glob("cmgtui-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "cmgtui/styles/app.tcss" in names

    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "-q", "--python", str(python), str(wheel)],
                   check=True, capture_output=True)
    done = subprocess.run([str(python), "-c", PROBE], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "screen MainScreen nav-width 27" in done.stdout
