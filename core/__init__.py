"""The assistant's shared core: content, vocabulary, medicines and reply composition.

Imports neither rasa nor rasa_sdk, so the action server, the channels, the safety
layer, the review app and the scripts can all use it without each other.
"""
