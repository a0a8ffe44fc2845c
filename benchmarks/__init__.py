"""Benchmarks: each measures our work against a floor measured in the same run and prints the ratio."""
