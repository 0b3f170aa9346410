"""Shared fixtures, as plugins: tests/fixtures/*.py.

Database tests run on a fresh SQLite file per test by default, and on a real
PostgreSQL server when TEST_DATABASE_URL is set (one database per xdist worker,
emptied between tests).
"""

pytest_plugins = [
    "tests.fixtures.databases",
    "tests.fixtures.apps",
    "tests.fixtures.scenarios",
    "tests.fixtures.mail",
    "tests.fixtures.redis",
]
