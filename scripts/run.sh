#!/usr/bin/env bash
# `make run`: start the action server and the Rasa server on localhost with the
# embedded defaults (SQLite tracker store at var/tracker.db, in-memory lock store),
# and the demo clinic page with the chat widget on http://localhost:8080 (its origin
# is in credentials.yml `allowed_origins`; change both together).
# The Rasa HTTP API is on but needs a token: $RASA_AUTH_TOKEN, or one generated
# once into var/rasa-api-token.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
: "${RASA_PORT:=5005}" "${ACTION_PORT:=5055}" "${WIDGET_PORT:=8080}"
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  [ -s var/rasa-api-token ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))' > var/rasa-api-token
  RASA_AUTH_TOKEN=$(cat var/rasa-api-token)
fi
trap 'kill 0' EXIT INT TERM
.venv/bin/python -m actions.server --port "$ACTION_PORT" &
.venv/bin/rasa run --model models/assistant.tar.gz --interface 127.0.0.1 --port "$RASA_PORT" \
  --enable-api --auth-token "$RASA_AUTH_TOKEN" &
# No --cors for the widget: the socket.io channel checks origins and sends its own
# CORS headers; the same origin in --cors would duplicate them and browsers refuse.
.venv/bin/python -m scripts.serve_widget --port "$WIDGET_PORT" --server-url "http://127.0.0.1:$RASA_PORT" --quiet &
echo "Rasa:          http://127.0.0.1:$RASA_PORT (REST: /webhooks/rest/webhook, socket.io)"
echo "Action server: http://127.0.0.1:$ACTION_PORT/health"
echo "Widget demo:   http://localhost:$WIDGET_PORT/ (demo clinic page with the chat widget)"
echo "Rasa API token: var/rasa-api-token (or \$RASA_AUTH_TOKEN)"
wait
