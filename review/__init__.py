"""Staff review of the assistant's conversation logs: a secure web app over Rasa's SQL tracker store.

See docs/review.md. Entry point: ``python -m review`` (``review`` after ``make install``).
"""
