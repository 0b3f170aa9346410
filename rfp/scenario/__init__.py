"""The scenario file: the project's interchange format (format 1, see README).

- `schema`: validation and the canonical form;
- `convert`: canonical document -> engine input;
- `database`: import into and dump from the database, and the database -> engine adapter.
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
