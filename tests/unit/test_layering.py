"""Import hygiene: the layers import only downward (import-linter contracts in pyproject.toml),
and nothing heavy loads before it is needed."""

from __future__ import annotations

import ast
import os
import pkgutil
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import cmgtui

PACKAGE = Path(cmgtui.__file__).parent
HEAVY = ("textual", "azure", "msgraph", "kiota")


def _modules_under(subpackage: str) -> list[str]:
    root = PACKAGE / subpackage.replace(".", "/")
    names = [f"cmgtui.{subpackage}"]
    for info in pkgutil.walk_packages([str(root)], prefix=f"cmgtui.{subpackage}."):
        names.append(info.name)
    return names


def _loaded_after(code: str) -> set[str]:
    probe = textwrap.dedent(code) + textwrap.dedent(
        """
        import sys
        print("\\n".join(sorted({m.split('.')[0] for m in sys.modules})))
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_domain_model_and_store_load_no_ui_or_cloud_sdk() -> None:
    modules = _modules_under("domain") + _modules_under("model") + ["cmgtui.store", "cmgtui.profile_file", "cmgtui.paths"]
    loaded = _loaded_after("\n".join(f"import {name}" for name in modules))
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_app_module_loads_no_cloud_sdk() -> None:
    loaded = _loaded_after("import cmgtui.app\nimport cmgtui.cli")
    assert not loaded & {"azure", "msgraph", "kiota"}


def test_first_frame_is_drawn_without_cloud_sdks() -> None:
    code = """
        import asyncio, os, sys, tempfile
        os.environ["CMGTUI_HOME"] = tempfile.mkdtemp()
        from cmgtui.app import CmgApp
        from cmgtui.store import ProfileStore

        ProfileStore().create("plan")
        at_first_frame = []

        class Probe(CmgApp):
            def on_mount(self):
                self.call_after_refresh(lambda: at_first_frame.append(set(sys.modules)))

        async def main():
            app = Probe(initial_profile="plan")
            async with app.run_test(size=(80, 24)) as pilot:
                for _ in range(200):
                    await pilot.pause()
                    if type(app.screen).__name__ == "MainScreen" and at_first_frame:
                        break
                assert type(app.screen).__name__ == "MainScreen", app.screen
        asyncio.run(main())
        heavy = {m.split(".")[0] for m in at_first_frame[0]} & {"azure", "msgraph", "kiota"}
        assert not heavy, heavy
    """
    loaded = _loaded_after(code)
    assert not loaded & {"azure", "msgraph", "kiota"}


def test_lower_layers_never_import_screens_or_widgets() -> None:
    offenders = []
    for layer in ("domain", "model", "cloud"):
        for path in (PACKAGE / layer).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                for name in names:
                    if name.startswith(("cmgtui.screens", "cmgtui.panes", "cmgtui.widgets", "cmgtui.app", "textual")):
                        offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert offenders == []


def test_model_imports_nothing_else_of_cmgtui() -> None:
    for path in (PACKAGE / "model").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cmgtui."):
                assert node.module.startswith("cmgtui.model"), f"{path.name} imports {node.module}"


# -- import-linter: the contracts in pyproject.toml (layers app/commands → screens → widgets → cloud → domain → model)

ROOT = PACKAGE.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` on the package under ``root`` with the contracts of ``root/pyproject.toml``."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(root / "pyproject.toml")],
        capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, timeout=300,
    )


def test_import_contracts_are_kept() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_an_upward_import_breaks_the_contracts(tmp_path: Path) -> None:
    """The same contracts on a copy where a widget imports the App: lint-imports must fail."""
    shutil.copytree(PACKAGE, tmp_path / "cmgtui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    badge = tmp_path / "cmgtui" / "widgets" / "badge.py"
    badge.write_text(badge.read_text(encoding="utf-8") + "\nfrom cmgtui.app import CmgApp  # noqa\n",
                     encoding="utf-8")
    done = _lint_imports(tmp_path)
    assert done.returncode != 0, done.stdout
    assert "cmgtui.widgets is not allowed to import cmgtui.app" in done.stdout
    assert "cmgtui.widgets.badge -> cmgtui.app" in done.stdout
