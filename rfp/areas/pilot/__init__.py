"""The pilot between consensus and the award: shortlist, success criteria, weekly
KPIs, verdicts, and the award with the pilot's evidence."""
