"""Settings of the SMS channel: credentials.yml names environment variables.

The credentials.yml entry holds no secrets, only the names of the environment
variables that do. With none of the three required variables set, the channel is
off (``make run`` works without a Twilio account); with some but not all set, or a
bad value, start-up fails with a message naming credentials.yml, the channel and
the field.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Mapping
from urllib.parse import urlparse

from rasa.shared.exceptions import RasaException
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

CHANNEL_KEY = "channels.twilio_sms.TwilioSmsInput"
MIN_KEY_CHARS = 16
PSEUDONYM_HEX_CHARS = 32

# credentials.yml field -> default value.
DEFAULTS: Dict[str, str] = {
    "auth_token_env": "TWILIO_AUTH_TOKEN",
    "public_url_env": "TWILIO_WEBHOOK_URL",
    "pseudonym_key_env": "SMS_PSEUDONYM_KEY",
    "state_db_env": "SMS_STATE_DB_URL",
    "state_db": "var/sms.db",
    "content_dir": "content",
}
REQUIRED_ENV_FIELDS = ("auth_token_env", "public_url_env", "pseudonym_key_env")


class SmsConfigError(RasaException):
    """The SMS channel's configuration is incomplete or invalid."""


def _error(field_name: str, problem: str) -> SmsConfigError:
    return SmsConfigError(f"credentials.yml: {CHANNEL_KEY}: field '{field_name}': {problem}")


@dataclass(frozen=True)
class SmsSettings:
    """Validated settings of an enabled SMS channel.

    Attributes:
        auth_token: the Twilio account auth token (signs webhooks).
        public_url: the webhook URL exactly as configured in Twilio.
        pseudonym_key: the secret key for phone-number pseudonyms.
        state_db_url: SQLAlchemy URL of the channel's state store.
        content_dir: the content store folder.

    """

    auth_token: str = field(repr=False)
    public_url: str
    pseudonym_key: bytes = field(repr=False)
    state_db_url: str
    content_dir: Path


def _fields(credentials: Mapping[str, Any] | None) -> Dict[str, str]:
    values = dict(DEFAULTS)
    for name, value in (credentials or {}).items():
        if name not in DEFAULTS:
            raise _error(name, f"unknown field; known fields: {', '.join(DEFAULTS)}")
        if not isinstance(value, str) or not value.strip():
            raise _error(name, "must be a non-empty string")
        values[name] = value.strip()
    return values


def _state_db_url(fields: Dict[str, str], environ: Mapping[str, str]) -> str:
    env_name = fields["state_db_env"]
    from_env = environ.get(env_name, "").strip()
    name, value = ("state_db_env", from_env) if from_env else ("state_db", fields["state_db"])
    if "://" not in value:
        path = Path(value).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    try:
        make_url(value)
    except (ArgumentError, ValueError):
        where = f"${env_name}" if from_env else "the value"
        raise _error(name, f"{where} is not a valid SQLAlchemy URL") from None
    return value


def load_settings(
    credentials: Mapping[str, Any] | None, environ: Mapping[str, str]
) -> SmsSettings | None:
    """Read and validate the settings.

    Args:
        credentials: the channel's credentials.yml entry (may be empty).
        environ: the environment, e.g. ``os.environ``.

    Returns:
        The settings, or None when no required variable is set (channel off).

    Raises:
        SmsConfigError: some but not all variables are set, or a value is invalid.

    """
    fields = _fields(credentials)
    values = {name: environ.get(fields[name], "").strip() for name in REQUIRED_ENV_FIELDS}
    if not any(values.values()):
        return None
    missing = [name for name in REQUIRED_ENV_FIELDS if not values[name]]
    if missing:
        unset = ", ".join(f"${fields[name]}" for name in missing)
        raise _error(
            missing[0],
            f"{unset} not set, while other SMS settings are. "
            "Set all of them to enable the SMS channel, or none to disable it.",
        )
    url = urlparse(values["public_url_env"])
    if url.scheme not in ("http", "https") or not url.netloc:
        raise _error(
            "public_url_env",
            f"${fields['public_url_env']} must be the http(s) URL Twilio calls, "
            "e.g. https://example.org/webhooks/twilio_sms/webhook",
        )
    if len(values["pseudonym_key_env"]) < MIN_KEY_CHARS:
        raise _error(
            "pseudonym_key_env",
            f"${fields['pseudonym_key_env']} is too short (at least {MIN_KEY_CHARS} characters; "
            "use a long random secret)",
        )
    return SmsSettings(
        auth_token=values["auth_token_env"],
        public_url=values["public_url_env"],
        pseudonym_key=values["pseudonym_key_env"].encode("utf-8"),
        state_db_url=_state_db_url(fields, environ),
        content_dir=Path(fields["content_dir"]),
    )


def pseudonym(phone_number: str, key: bytes) -> str:
    """The conversation id for a phone number: a keyed hash, never the number itself."""
    digest = hmac.new(key, phone_number.strip().encode("utf-8"), hashlib.sha256).hexdigest()
    return f"sms-{digest[:PSEUDONYM_HEX_CHARS]}"
