"""Models of the exitprogram app (built by its own issue)."""
