"""The scenario file: the project's interchange format (format 1, see README).

- `schema`: validation and the canonical form, every bad field named by its path;
- `scores`: the evaluator scores list of the schema (tens of thousands of rows);
- `checks`: the typed checks that collect those errors;
- `convert`: canonical document -> engine input;
- `store`: import into and dump from the database;
- `synthetic`: generated evaluations of any size, for benchmarks and load tests.
"""

from rfp.scenario.checks import ScenarioError
from rfp.scenario.convert import scenario_to_input
from rfp.scenario.schema import FORMAT, load_scenario_text, normalise_scenario

__all__ = [
    "FORMAT",
    "ScenarioError",
    "load_scenario_text",
    "normalise_scenario",
    "scenario_to_input",
]
