"""Conversation storage for the Rasa server: a guarded SQL tracker store and an atomic Redis lock store."""
