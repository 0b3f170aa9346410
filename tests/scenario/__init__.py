"""Scenario file tests (a package, so that its module names stay unique under tests/)."""
