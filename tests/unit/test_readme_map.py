"""The README's map of the code ("How cmgtui is built") names every top-level module and package.

A contributor finds where a feature lives from that map; a module added without a line there is
invisible to them. The map is the first fenced block under the section's heading.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_map() -> str:
    """The fenced block that follows the "How cmgtui is built" heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## How cmgtui is built", 1)[1]
    match = re.search(r"```\n(.*?)```", section, re.DOTALL)
    assert match, "the README's 'How cmgtui is built' section has no map"
    return match.group(1)


def top_level_names() -> list[str]:
    """cmgtui's modules (``x.py``) and packages (``x/``) directly under the package."""
    package = ROOT / "cmgtui"
    names = [f"{path.name}" for path in package.glob("*.py")]
    names += [f"{path.name}/" for path in package.iterdir() if (path / "__init__.py").is_file()]
    return sorted(names)


def test_every_top_level_module_and_package_is_on_the_map() -> None:
    mapped = readme_map()
    missing = [name for name in top_level_names()
               if not re.search(rf"(?<![\w/.]){re.escape(name)}", mapped)]
    assert not missing, f"add these to the README's map of the code: {missing}"


def test_every_module_on_the_map_exists() -> None:
    package = ROOT / "cmgtui"
    named = set(re.findall(r"(?<![\w/.])([a-z_]+\.py)\b", readme_map()))
    gone = sorted(name for name in named if not any(package.rglob(name)))
    assert not gone, f"the README's map names modules that no longer exist: {gone}"
