"""Screens ask the rules engine; they never re-implement a check (issue 12.1).

Three independent nets, each of which a copied rule would fall into:

* **Wording.** Every sentence the engine can say (string fragments of the field validators
  and rule modules in ``cmgtui.domain``) must not appear in a screen module: a screen that
  re-checks something would have to re-word its finding, or copy it.
* **Own checks.** A validator in a screen (a function whose name ends in ``_problem``,
  ``_check`` or ``_verdict``) may look at the file system or delegate to ``cmgtui.domain``,
  nothing else: no regular expressions, character-class tests (``isdigit``, ...) or
  case-folded comparisons, which is how a GUID, role-ID or name check is written.
* **Patterns.** No screen module compiles a regular expression or reads the engine's
  ``GUID_PATTERN`` itself.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

import cmgtui

PACKAGE = Path(cmgtui.__file__).parent
#: Every screen and pane module (the UI that must ask the engine, never judge values itself).
SCREENS = sorted(path for folder in ("screens", "panes") for path in (PACKAGE / folder).rglob("*.py")
                 if path.name != "__init__.py")
#: The engine: field validators, rule modules (the checklist's and probe judging included),
#: certificates, names, sizing, command-line lint and client authentication advice.
ENGINE = sorted({*(PACKAGE / "domain" / "rules").glob("*.py"), *(PACKAGE / "domain" / "certs").glob("*.py"),
                 *(PACKAGE / "domain").glob("validate.py"), *(PACKAGE / "domain" / "azure").glob("names.py"),
                 *(PACKAGE / "domain" / "azure").glob("sizing.py"), *(PACKAGE / "domain" / "clients").glob("*.py")})
MIN_FRAGMENT = 24
VALIDATOR_NAME = re.compile(r"(_problem|_check|_verdict)$")
CHARACTER_TESTS = {"isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha", "isascii", "isidentifier"}


def _fragments(tree: ast.AST) -> set[str]:
    """Normalised text pieces of every string literal and f-string, long enough to be wording."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            pieces = [node.value]
        elif isinstance(node, ast.JoinedStr):
            pieces = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        else:
            continue
        for piece in pieces:
            text = " ".join(piece.split()).strip(" .;:,").lower()
            if len(text) >= MIN_FRAGMENT and " " in text:
                found.add(text)
    return found


def _docstrings(tree: ast.AST) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                out.add(" ".join(doc.split()).strip(" .;:,").lower())
    return out


def _labels(tree: ast.AST) -> set[str]:
    """Field labels (the first argument of a ``...Field(...)`` call): a label may state a fact a rule passes on."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.endswith("Field")
                and node.args):
            out |= _fragments(node.args[0])
    return out


@cache  # the engine's files do not change during a run: parsed once, not once per screen
def _engine_wording() -> dict[str, str]:
    wording: dict[str, str] = {}
    for path in ENGINE:
        tree = _parsed(path)
        for text in _fragments(tree) - _docstrings(tree):
            wording.setdefault(text, path.name)
    return wording


@cache  # each screen is read by three tests; none changes the tree
def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("screen", SCREENS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_screen_does_not_repeat_the_engine_s_wording(screen: Path) -> None:
    engine = _engine_wording()
    tree = _parsed(screen)
    said = _fragments(tree) - _docstrings(tree) - _labels(tree)
    copied = sorted((text, engine[text]) for text in said if text in engine)
    assert not copied, f"{screen.name} repeats a finding of the engine; call the domain check instead: {copied}"


def _domain_names(tree: ast.Module) -> set[str]:
    """Names a module imports from ``cmgtui.domain`` (modules and functions alike)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cmgtui.domain"):
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "cmgtui" :
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def _own_checks(func: ast.FunctionDef) -> list[str]:
    """Constructs in ``func`` that judge text itself instead of asking the engine."""
    found: list[str] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Attribute) and node.attr in CHARACTER_TESTS:
            found.append(f".{node.attr}()")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
            found.append(f"re.{node.attr}")
        if isinstance(node, ast.Name) and node.id.endswith("_PATTERN"):
            found.append(node.id)
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if sum(isinstance(s, ast.Call) and isinstance(s.func, ast.Attribute)
                   and s.func.attr in {"lower", "casefold", "upper"} for s in sides) >= 2:
                found.append("a case-folded comparison")
    return found


def _validators(tree: ast.Module) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and VALIDATOR_NAME.search(n.name)]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_screen_validators_delegate_to_the_engine_or_the_file_system(screen: Path) -> None:
    tree = _parsed(screen)
    bad = {f.name: checks for f in _validators(tree) if (checks := _own_checks(f))}
    assert not bad, f"{screen.name} judges values itself; move the check into cmgtui.domain: {bad}"


@pytest.mark.parametrize("screen", SCREENS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_screen_compiles_a_pattern_or_reads_the_guid_pattern(screen: Path) -> None:
    source = screen.read_text(encoding="utf-8")
    assert not re.search(r"^\s*import re\b|^\s*from re import", source, re.M), f"{screen.name} imports re"
    assert "GUID_PATTERN" not in source, f"{screen.name} checks GUIDs itself; use validate.guid_problem"


def test_the_nets_catch_the_re_implementations_this_issue_removed() -> None:
    """Each net on the code the screens used to hold (so the test can fail)."""
    old_mp = ('def mp_role_id_problem(text):\n    value = text.strip()\n    if value.isdigit():\n        return None\n'
              '    return f"\'{value}\' isn\'t a number; enter the digits after CCM_Proxy_MutualAuth/."\n')
    old_names = ('def _server_name_problem(self, text):\n'
                 '    if text.strip().lower() == self.profile.entra.client_app.display_name.strip().lower():\n'
                 '        return "The server app and the client app need different names."\n')
    old_token = ('def token_problem(tracking_id, expires):\n    import re\n'
                 '    if not re.fullmatch("[0-9a-f-]{36}", tracking_id):\n        return "not a GUID"\n')
    for source in (old_mp, old_names, old_token):
        tree = ast.parse(source)
        assert any(_own_checks(f) for f in _validators(tree)), source
    engine = _engine_wording()
    assert _fragments(ast.parse(old_mp)) & set(engine)
    assert _fragments(ast.parse(old_names)) & set(engine)


def test_the_engine_has_the_checks_screens_used_to_repeat() -> None:
    """The moved checks live in the domain with one wording, and rules use them."""
    from cmgtui.domain import validate
    from cmgtui.domain.rules.checks import evaluate
    from cmgtui.model import Profile
    from cmgtui.model.enums import EntraPath

    assert validate.mp_role_id_problem("72186325152220500") is None
    assert "isn't a number" in (validate.mp_role_id_problem("72x") or "")
    assert validate.bulk_token_problem("not-a-guid", "") == validate.guid_problem("not-a-guid")
    p = Profile(name="x")
    p.entra.path = EntraPath.CREATE_HERE
    p.entra.server_app.display_name = p.entra.client_app.display_name = "CMG-App"
    p.clients.mp_role_id = "72x"
    by_rule = {r.rule: r for r in evaluate(p)}
    assert by_rule["ENTRA-APP-NAMES"].status.value == "fail"
    assert by_rule["ENTRA-APP-NAMES"].message == validate.app_name_clash("CMG-App", "cmg-app")
    assert by_rule["CLIENTS-MP-ROLE-ID"].message == validate.mp_role_id_problem("72x")
