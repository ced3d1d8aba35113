"""``cmgtui completion bash|zsh``: a static shell-completion script for every command and option.

The script is written once from the argument parser (``eval "$(cmgtui completion bash)"`` in
``~/.bashrc``, or saved to a file) and holds every subcommand, option and option choice as
plain words, so pressing TAB never starts cmgtui: completion costs nothing at start-up and
nothing at the prompt. Option values that are files fall back to the shell's own file names.
zsh uses the same function through its ``bashcompinit`` layer.
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass, field

SHELLS = ("bash", "zsh")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``completion``."""
    parser = subparsers.add_parser(
        "completion", help="print a shell-completion script (bash or zsh)",
        description="Print a completion script for cmgtui's commands and options. Load it with "
        "'eval \"$(cmgtui completion bash)\"' in ~/.bashrc (zsh: ~/.zshrc with 'zsh'). It is static: "
        "no cmgtui process runs when you press TAB.")
    parser.add_argument("shell", choices=SHELLS)
    parser.set_defaults(handler=_completion)


@dataclass
class _Level:
    """What may follow one command path: its subcommands, its options, and each option's choices."""

    subcommands: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)


def command_tree(parser: argparse.ArgumentParser, path: str = "") -> dict[str, _Level]:
    """Every command path of ``parser`` (``""``, ``"entra"``, ``"entra create"`` …) and what may follow it."""
    level = _Level()
    tree = {path: level}
    for action in parser._actions:  # argparse has no public list of a parser's arguments
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                level.subcommands.append(name)
                tree.update(command_tree(child, f"{path} {name}".strip()))
        elif action.option_strings:
            level.options.extend(o for o in action.option_strings if o.startswith("--") or len(action.option_strings) == 1)
            if action.choices is not None:
                for option in action.option_strings:
                    level.choices[option] = [str(c) for c in action.choices]
        elif action.choices is not None:  # a positional with fixed values (``completion bash``)
            level.subcommands.extend(str(c) for c in action.choices)
    return tree


def bash_script(tree: dict[str, _Level]) -> str:
    """The bash completion function for ``tree``."""
    paths, values = [], []
    for path, level in tree.items():
        words = " ".join([*level.subcommands, *level.options])
        paths.append(f"        {shlex.quote(f' {path}' if path else '')}) words={shlex.quote(words)} ;;")
        for option, choices in level.choices.items():
            key = f" {path}|{option}" if path else f"|{option}"
            values.append(f"        {shlex.quote(key)}) words={shlex.quote(' '.join(choices))} ;;")
    return "\n".join([
        "# cmgtui completion for bash, written by 'cmgtui completion bash' (static: no cmgtui runs at TAB).",
        "_cmgtui() {",
        '    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} path="" word words="" i',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        "        word=${COMP_WORDS[i]}",
        '        case "$path $word" in',
        f"            {' | '.join(shlex.quote(f' {p}') for p in tree if p)}) path=\"$path $word\" ;;",
        "        esac",
        "    done",
        '    case "$path|$prev" in',
        *values,
        "        *)",
        '            case "$path" in',
        *(f"    {line}" for line in paths),
        "            esac ;;",
        "    esac",
        '    COMPREPLY=($(compgen -W "$words" -- "$cur"))',
        "}",
        "complete -o default -F _cmgtui cmgtui",
        "",
    ])


def script_for(shell: str, parser: argparse.ArgumentParser) -> str:
    """The completion script for ``shell``."""
    bash = bash_script(command_tree(parser))
    if shell == "zsh":
        return ("# cmgtui completion for zsh, through zsh's bash-completion layer.\n"
                "autoload -U +X bashcompinit && bashcompinit\n" + bash)
    return bash


def _completion(args: argparse.Namespace) -> int:
    """Print the script for ``args.shell``."""
    print(script_for(args.shell, args.root_parser), end="")
    return 0
