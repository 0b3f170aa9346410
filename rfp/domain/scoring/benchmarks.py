"""Market benchmarks from the seed articles, shown beside quotes and used for flags.

Rates are fully loaded USD per agent-hour ("Should You Outsource Customer Service?",
"What Outsourcing Typically Costs"); cost per contact is the nearshore cost-per-ticket
benchmark of the team-extension guide.
"""

from __future__ import annotations

from types import MappingProxyType

RATE_RANGES = MappingProxyType(
    {
        "onshore": (20.0, 35.0),
        "nearshore": (12.0, 20.0),
        "offshore": (7.0, 15.0),
        "specialty": (35.0, 60.0),
    }
)
INHOUSE_RATE_RANGE = (30.0, 45.0)
COST_PER_CONTACT_RANGE = (4.0, 22.0)

# Operating targets quoted by the seeds, used as scope defaults and in the readiness text.
FCR_TARGET_PCT = (72.0, 78.0)
CSAT_TARGET_PCT = 85.0
PILOT_WEEKS = (8, 12)
STRONG_TIMEZONE_OVERLAP_HOURS = 6.0
REFERENCE_CALLS_EXPECTED = 3
