"""Scoring engine tests (a package, so that module names like test_references do not
clash with test files of the same name elsewhere under tests/)."""
