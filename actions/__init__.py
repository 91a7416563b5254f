"""Custom actions for the neuropathic-pain medicines assistant.

Importing this package has no side effects: the content store is loaded by
``actions.server`` at start-up and passed into each action.
"""
