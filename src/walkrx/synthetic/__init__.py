"""Synthetic recordings with known truth, for tests and benchmarks."""
