"""NLU components for intent classification (used in config.yml)."""
