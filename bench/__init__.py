"""Benchmarks and synthetic data at scale: not part of the running portal (portal/settings.py does not
install it; bench/settings.py does, for `make bench` and the test suite)."""
