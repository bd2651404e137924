"""Benchmarks: `make bench` (or `python -m bench`) measures the live app under load."""
