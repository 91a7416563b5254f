"""Deterministic safety layer: crisis, emergency and personal-advice recognition."""
