"""The literal text a signature pattern cannot match without: what lets triage skip most of a log.

For each pattern the parser's tree gives a set of lower-case literals, one of which occurs in
any text the pattern matches (``\\bAADSTS\\d{5,7}\\b`` needs ``aadsts``; ``Chain \\d+
status:\\s*(OfflineRevocation|RevocationStatusUnknown)`` needs ``offlinerevocation`` or
``revocationstatusunknown``). Triage looks for these with ``str.find`` in the lower-cased text
(one fast pass each, no pattern whose every branch starts with ``\\b``) and runs the real patterns
only on the entries around a hit. A pattern with no such literal gives None: every entry of its
logs is then checked.
"""

from __future__ import annotations

import functools
import re

# The standard library's own regular-expression parser (re._parser since 3.11, the oldest Python
# cmgtui runs on); typeshed does not describe these private modules, hence the ignores.
from re import _constants as constants  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]

_REPEATS = {constants.MAX_REPEAT, constants.MIN_REPEAT, getattr(constants, "POSSESSIVE_REPEAT", constants.MAX_REPEAT)}


def _weakest(option: set[str]) -> int:
    return min(len(text) for text in option)


def _sequence(items: object) -> set[str] | None:
    """The best literal set required by a parsed sequence (longest shortest literal wins)."""
    best: set[str] | None = None
    run: list[str] = []

    def consider(option: set[str] | None) -> None:
        nonlocal best
        if option and all(option) and (best is None or _weakest(option) > _weakest(best)):
            best = option

    for op, value in items:  # type: ignore[attr-defined]
        if op is constants.LITERAL:
            run.append(chr(value))
            continue
        if op is constants.AT:  # \b, ^, $: zero width, the literal run goes on
            continue
        consider({"".join(run).lower()} if run else None)
        run = []
        if op is constants.SUBPATTERN:
            consider(_sequence(value[-1]))
        elif op is constants.BRANCH:
            options = [_sequence(branch) for branch in value[1]]
            if all(options):
                consider(set().union(*options))  # type: ignore[arg-type]
        elif op in _REPEATS and value[0] >= 1:
            consider(_sequence(value[2]))
    consider({"".join(run).lower()} if run else None)
    return best


@functools.lru_cache(maxsize=1024)  # the catalogue's patterns, asked again by each triage run's matcher
def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case literals one of which any match of ``pattern`` contains, or None if there is none."""
    try:
        found = _sequence(parser.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError, TypeError, ValueError):
        return None
    if not found or _weakest(found) < 3:
        return None
    return frozenset(found)


@functools.lru_cache(maxsize=1024)
def leading_literal(pattern: re.Pattern[str]) -> str | None:
    """The lower-case ASCII literal every match of ``pattern`` starts with (after ``^`` or ``\\b``),
    or None when it starts otherwise or with fewer than three characters.

    Any match then begins where this literal occurs, so in ASCII text (where ``str.lower`` is the
    case folding ``re.IGNORECASE`` uses) ``pattern.match`` at each occurrence finds what
    ``pattern.search`` finds, without trying every other position.
    """
    try:
        items = parser.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError, TypeError, ValueError):
        return None
    run: list[str] = []
    for op, value in items:
        if op is constants.AT and not run:
            continue
        if op is not constants.LITERAL:
            break
        run.append(chr(value))
    text = "".join(run).lower()
    return text if len(text) >= 3 and text.isascii() else None


_ANY_CLASS = r"[\s\S]"
_ANY_DOTALL = r"(?s:.)"


def _any_classes(items: object) -> int:
    """How many ``[\\s\\S]`` classes a parsed pattern holds, at any depth."""
    count = 0
    stack = [items]
    while stack:
        for op, value in stack.pop():  # type: ignore[attr-defined]
            if op is constants.IN and sorted(map(str, value)) == ["(CATEGORY, CATEGORY_NOT_SPACE)",
                                                                  "(CATEGORY, CATEGORY_SPACE)"]:
                count += 1
            elif op is constants.SUBPATTERN:
                stack.append(value[-1])
            elif op is constants.BRANCH:
                stack.extend(value[1])
            elif op in _REPEATS:
                stack.append(value[2])
    return count


@functools.lru_cache(maxsize=1024)
def quicker(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with each any-character class ``[\\s\\S]`` written ``(?s:.)``: the same matches,
    found sooner (``re`` tests both categories of the class at every character it crosses; ``.``
    under DOTALL takes any character at once). ``pattern`` itself when it has no such class or the
    text could hold one other than as a class of its own (a parse of both must agree)."""
    text = pattern.pattern
    if _ANY_CLASS not in text:
        return pattern
    rewritten = text.replace(_ANY_CLASS, _ANY_DOTALL)
    try:
        if _any_classes(parser.parse(text, pattern.flags)) != text.count(_ANY_CLASS):
            return pattern
        return re.compile(rewritten, pattern.flags)
    except (re.error, RecursionError, TypeError, ValueError):
        return pattern


#: Literals sharing at least this many leading characters are looked for as one (their common start).
MIN_SHARED_START = 8


def _shared_start(first: str, second: str) -> str:
    """The longest start ``first`` and ``second`` have in common."""
    size = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        size += 1
    return first[:size]


@functools.lru_cache(maxsize=256)
def search_plan(literals: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``literals`` grouped by a shared start: (what to look for, the literals one of which must start
    where it is found). ``winhttp_callback_status_flag_cert_cn_invalid`` and three siblings become
    one pass over the text for ``winhttp_callback_status_flag_`` instead of four. A literal with a
    line break stays alone (a hit must stay on the line of the literal it stands for)."""
    plan: list[tuple[str, list[str]]] = []
    for literal in sorted(literals):
        if plan and "\n" not in literal and "\n" not in plan[-1][0]:
            shared = _shared_start(plan[-1][0], literal)
            if len(shared) >= MIN_SHARED_START:
                plan[-1] = (shared, [*plan[-1][1], literal])
                continue
        plan.append((literal, [literal]))
    return tuple((start, tuple(members)) for start, members in plan)
