"""Harnesses shared by the tests and the benchmark commands: real worker processes, a private Redis."""
