"""Read generated scripts with the real PowerShell grammar (tree-sitter-powershell)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter_powershell
from tree_sitter import Language, Node, Parser

_PARSER = Parser(Language(tree_sitter_powershell.language()))


def parse(script: str) -> Node:
    """The root node of ``script``."""
    return _PARSER.parse(script.encode("utf-8")).root_node


def walk(node: Node) -> Iterator[Node]:
    """Every node under ``node``, depth first."""
    yield node
    for child in node.children:
        yield from walk(child)


def syntax_problems(script: str) -> list[str]:
    """ERROR and MISSING nodes, with their position and text."""
    problems = []
    for node in walk(parse(script)):
        if node.type == "ERROR" or node.is_missing:
            row, col = node.start_point
            problems.append(f"{node.type} at {row + 1}:{col + 1}: {node.text.decode()[:60]!r}")
    return problems


@dataclass
class Call:
    """One command call: its name, the -Parameter names used, and splatted variables."""

    name: str
    parameters: set[str]
    splats: list[str]
    node: Node


def calls(script: str) -> list[Call]:
    """Every command in ``script`` (including ones inside function bodies)."""
    found = []
    for node in walk(parse(script)):
        if node.type != "command":
            continue
        name_node = node.child_by_field_name("command_name")
        if name_node is None:
            continue
        params: set[str] = set()
        splats: list[str] = []
        elements = node.child_by_field_name("command_elements")
        for element in elements.children if elements is not None else []:
            text = element.text.decode()
            if element.type == "command_parameter":
                params.add(text.lstrip("-").rstrip(":"))
            elif re.fullmatch(r"@\w+", text):
                splats.append(text[1:])
        found.append(Call(name_node.text.decode(), params, splats, node))
    return found


def splat_keys(script: str, variable: str) -> set[str]:
    """Keys assigned as ``$variable.Key = ...`` in the script (what a splat passes)."""
    return set(re.findall(rf"\${re.escape(variable)}\.(\w+)\s*=", script))


def guarded_by_should_process(node: Node) -> bool:
    """True when ``node`` sits in a block whose if/elseif condition calls ShouldProcess."""
    current = node.parent
    while current is not None:
        if current.type == "statement_block" and current.parent is not None:
            owner = current.parent
            if owner.type in ("if_statement", "elseif_clause"):
                condition = next((c for c in owner.children if c.type == "pipeline"), None)
                if condition is not None and "$PSCmdlet.ShouldProcess(" in condition.text.decode():
                    return True
        current = current.parent
    return False


def string_value(literal: str) -> str:
    """The value of a single-quoted PowerShell literal (quotes of every kind undoubled)."""
    assert literal[0] == "'" and literal[-1] == "'", literal
    inner = literal[1:-1]
    return re.sub("(['\u2018\u2019\u201a\u201b])\\1", r"\1", inner)


def param_defaults(script: str) -> dict[str, str]:
    """Each ``param()`` parameter with its default's source text."""
    root = parse(script)
    out = {}
    for node in walk(root):
        if node.type == "script_parameter" and node.parent is not None and node.parent.type == "parameter_list":
            var = next(c for c in node.children if c.type == "variable").text.decode()[1:]
            default = next((c for c in node.children if c.type == "script_parameter_default"), None)
            if default is not None:
                out[var] = default.text.decode().lstrip("=").strip()
    return out
