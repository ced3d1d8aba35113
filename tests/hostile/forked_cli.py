"""``cmgtui`` in a process of its own, forked from a fork server that has the Graph SDK loaded.

A test about processes (two runs at once, a kill at a step) needs real ones, not their start-up:
a fresh interpreter spends seconds importing the Graph SDK's models before its first request. The
fork server imports :mod:`tests.hostile.forked_cli_warm` once (which loads them); each process
forked from it starts with them in memory.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from multiprocessing.context import ForkServerContext

#: What the fork server imports before it forks (ignored when the fork server already runs,
#: e.g. started by another test with its own list: the runs then import what that one lacks).
PRELOAD = ["tests.hostile.forked_cli_warm"]


def forked_context() -> ForkServerContext:
    """The fork-server context whose processes start with the command line and Graph SDK loaded."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def run_cli(argv: list[str], env: dict[str, str], stdout: str, stderr: str) -> None:
    """The child: ``cmgtui ARGV`` with ``env``, its output to the files ``stdout`` and ``stderr``;
    its exit code is the process's."""
    os.environ.clear()
    os.environ.update(env)
    for fd, target in ((1, stdout), (2, stderr)):
        opened = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    from cmgtui.cli import main

    code = main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
