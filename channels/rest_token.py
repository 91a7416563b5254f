"""The REST channel's bearer token: ``Authorization: Bearer <REST_CHANNEL_TOKEN>``.

With ``REST_CHANNEL_TOKEN`` set (the credentials entry's ``token_env`` names another
variable if wanted), a webhook request without that exact token gets 401 and the
safe reply JSON. Unset, the channel is open, which only development allows: with
``ASSISTANT_ENV=production`` start-up stops with a message naming the credentials
file, the channel and the field.
"""

from __future__ import annotations

import hmac
import os
from typing import Any, Callable, Dict, Mapping, Optional

from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

CHANNEL_KEY = "channels.rest.GuardedRestInput"
DEFAULT_TOKEN_ENV = "REST_CHANNEL_TOKEN"
MIN_TOKEN_CHARS = 16
BEARER = "Bearer "


class RestTokenError(RasaException):
    """The REST channel's token setting is missing or unusable."""


def rest_channel_token(credentials: Optional[Mapping[str, Any]], environ: Mapping[str, str]) -> Optional[str]:
    """The token REST clients must send, or None (open: development only)."""
    credentials = credentials or {}
    variable = str(credentials.get("token_env") or DEFAULT_TOKEN_ENV)
    where = f"{environ.get('RASA_CREDENTIALS') or 'credentials.yml'}: {CHANNEL_KEY}: field 'token_env' ({variable})"
    token = environ.get(variable, "").strip()
    if not token:
        if environ.get("ASSISTANT_ENV") == "production":
            raise RestTokenError(f"{where}: not set; in production the REST channel needs a token "
                                 f"({MIN_TOKEN_CHARS}+ random characters) or must be removed from the file")
        return None
    if len(token) < MIN_TOKEN_CHARS:
        raise RestTokenError(f"{where}: too short, use at least {MIN_TOKEN_CHARS} random characters")
    return token


def has_token(request: Request, token: str) -> bool:
    """True when the request carries ``Authorization: Bearer <token>``."""
    header = request.headers.get("Authorization", "")
    if not header.startswith(BEARER):
        return False
    return hmac.compare_digest(header[len(BEARER):].strip().encode(), token.encode())


def require_token(
    blueprint: Blueprint, token: Optional[str], safe_reply: Callable[[], Dict[str, Any]]
) -> None:
    """Refuse webhook requests without the token (401 with the safe reply); no-op without one."""
    if token is None:
        return

    @blueprint.middleware("request")
    async def check_token(request: Request) -> Optional[HTTPResponse]:
        if request.method == "POST" and not has_token(request, token):
            reply = safe_reply()
            return response.json([{"recipient_id": None, **reply, "error": "unauthorized"}], status=401,
                                 headers={"WWW-Authenticate": "Bearer"})
        return None


def token_from_environment(credentials: Optional[Mapping[str, Any]]) -> Optional[str]:
    """:func:`rest_channel_token` for this process's environment."""
    return rest_channel_token(credentials, os.environ)
