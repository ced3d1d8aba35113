"""Benchmark scripts (run by hand, never collected by pytest): see the README's "Benchmarks"."""
