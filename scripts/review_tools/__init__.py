"""Tooling for the staff review app (``review/``), kept out of the app package.

:mod:`.seed_pools` and :mod:`.seed` (a tracker store full of realistic synthetic
conversations in Rasa's format), :mod:`.serving` (the app on a free port, logged
in) and :mod:`.screenshots` (``make review-screenshots``). The benchmark is
``python -m scripts.bench review`` (:mod:`scripts.bench.review`).
"""
