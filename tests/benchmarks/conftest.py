"""Keep pytest out of the benchmark scripts: they measure, they do not assert."""

collect_ignore_glob = ["bench_*.py", "pty_terminal.py"]
