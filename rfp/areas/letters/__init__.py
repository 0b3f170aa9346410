"""Outcome letters after the award: an award letter to the awarded vendor and a regret
and debrief letter to each other one, drafted from the result, edited by the lead,
previewed as PDF and sent by e-mail with the PDF attached."""
