"""Models of the crimestats app (built by its own issue)."""
