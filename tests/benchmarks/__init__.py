"""Parley's benchmarks (issue 6): run them all with ``scripts/bench``.

Modules are named ``bench_*.py`` so pytest never collects them as unit tests.
"""
