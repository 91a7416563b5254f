"""Hardened input channels: REST, socket.io (widget) and SMS (Twilio)."""
