"""Decision support: where the weights come from and how much the winner depends on them.

Pure functions over the engine's input and result (no Flask, no SQLAlchemy):

- `ahp`: criterion weights from pairwise comparisons (Saaty), with the consistency check;
- `sensitivity`: how far each weight can move before the leader changes, and the verdict;
  `stability`: how often each vendor comes first when the weights are drawn around the
  official ones;
- `calibration`: how lenient or severe each evaluator is against the panel, and the
  optional normalisation of their scores;
- `quantitative`: questions scored from a vendor's number by the lead's bands;
- `price_formulas`: the ranking under each price formula, and the rank-reversal check;
- `console` and `commands`: the text output and the `rfp ahp` command.
"""
