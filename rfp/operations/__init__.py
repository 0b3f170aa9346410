"""State changes with their audit events. Operations flush, never commit: the view
(or CLI command) that calls them commits once, so a multi-step change is atomic."""
