"""`python -m rfp.cli`: the `rfp` command without its console script."""

from rfp.cli import main

main(prog_name="rfp")
