"""Models of the tryghedsindeks app (built by its own issue)."""
