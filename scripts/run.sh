#!/usr/bin/env bash
# `make run`: start the action server and the Rasa server on localhost with the
# embedded defaults (SQLite tracker store at var/tracker.db, in-memory lock store),
# the demo clinic page with the chat widget on http://localhost:8080 (its origin
# is in credentials.yml `allowed_origins`; change both together), and the staff
# review app on http://127.0.0.1:8090.
# The Rasa HTTP API is on but needs a token: $RASA_AUTH_TOKEN, or one generated
# once into var/rasa-api-token.
#
# ASSISTANT_ENV=production: PostgreSQL tracker store, Redis lock store, settings
# from environment variables (README "Production configuration"), checked first by
# scripts/production_preflight.py; no demo page. `scripts/run.sh rasa` or
# `scripts/run.sh actions` starts only one server (one per container).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
ROLE=${1:-all}
case "$ROLE" in all|rasa|actions) ;; *) echo "usage: scripts/run.sh [all|rasa|actions]" >&2; exit 2 ;; esac
: "${RASA_PORT:=5005}" "${ACTION_SERVER_PORT:=5055}" "${WIDGET_PORT:=8080}"
: "${RASA_INTERFACE:=127.0.0.1}" "${ACTION_SERVER_HOST:=127.0.0.1}"
# Rasa never sends telemetry (docs/security.md: sentry-sdk is then never initialised).
export RASA_TELEMETRY_ENABLED=false

if [ "${ASSISTANT_ENV:-}" = production ]; then
  : "${RASA_ENDPOINTS:=deploy/endpoints.production.yml}" "${RASA_API:=on}" "${SANIC_WORKERS:=1}"
  : "${DB_PORT:=5432}" "${DB_PASSWORD=}" "${REDIS_PORT:=6379}" "${REDIS_DB:=0}" "${REDIS_PASSWORD=}" "${REDIS_KEY_PREFIX=}"
  export RASA_ENDPOINTS RASA_API SANIC_WORKERS DB_PORT DB_PASSWORD REDIS_PORT REDIS_DB REDIS_PASSWORD REDIS_KEY_PREFIX
  .venv/bin/python -m scripts.production_preflight "$ROLE" || exit 2
  API=()
  if [ "$RASA_API" = on ]; then
    API=(--enable-api)
    [ -z "${RASA_AUTH_TOKEN:-}" ] || API+=(--auth-token "$RASA_AUTH_TOKEN")
    [ -z "${RASA_JWT_SECRET:-}" ] || API+=(--jwt-secret "$RASA_JWT_SECRET" --jwt-method "${RASA_JWT_METHOD:-HS256}")
  fi
else
  : "${RASA_ENDPOINTS:=endpoints.yml}"
  if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
    [ -s var/rasa-api-token ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))' > var/rasa-api-token
    RASA_AUTH_TOKEN=$(cat var/rasa-api-token)
  fi
  API=(--enable-api --auth-token "$RASA_AUTH_TOKEN")
fi

trap 'kill 0' EXIT INT TERM
if [ "$ROLE" != rasa ]; then
  .venv/bin/python -m actions.server --host "$ACTION_SERVER_HOST" --port "$ACTION_SERVER_PORT" &
  echo "Action server: http://$ACTION_SERVER_HOST:$ACTION_SERVER_PORT/health"
fi
if [ "$ROLE" != actions ]; then
  .venv/bin/rasa run --model models/assistant.tar.gz --endpoints "$RASA_ENDPOINTS" \
    --credentials "${RASA_CREDENTIALS:-credentials.yml}" \
    --interface "$RASA_INTERFACE" --port "$RASA_PORT" "${API[@]}" &
  echo "Rasa:          http://$RASA_INTERFACE:$RASA_PORT (REST: /webhooks/rest/webhook, socket.io)"
fi
if [ "${ASSISTANT_ENV:-}" != production ] && [ "$ROLE" = all ]; then
  # No --cors for the widget: the socket.io channel checks origins and sends its own
  # CORS headers; the same origin in --cors would duplicate them and browsers refuse.
  .venv/bin/python -m scripts.serve_widget --port "$WIDGET_PORT" --server-url "http://127.0.0.1:$RASA_PORT" --quiet &
  echo "Widget demo:   http://localhost:$WIDGET_PORT/ (demo clinic page with the chat widget)"
  # Staff review app (REVIEW_HOST/REVIEW_PORT, default 127.0.0.1:8090) over the tracker
  # store of $RASA_ENDPOINTS (unless REVIEW_TRACKER_DB_URL says otherwise), with Rasa's
  # health check; call-back requests are read with the channels' CALLBACK_KEY (or the
  # same generated var/callback-key).
  if [ -z "${REVIEW_TRACKER_DB_URL:-}" ]; then
    REVIEW_TRACKER_DB_URL=$(.venv/bin/python -m stores.tracker_url "$RASA_ENDPOINTS") || exit 2
  fi
  : "${REVIEW_ASSISTANT_HEALTH_URL:=http://$RASA_INTERFACE:$RASA_PORT/webhooks/health/}"
  REVIEW_TRACKER_DB_URL="$REVIEW_TRACKER_DB_URL" REVIEW_ASSISTANT_HEALTH_URL="$REVIEW_ASSISTANT_HEALTH_URL" \
    .venv/bin/python -m review serve &
  echo "Review app:    http://${REVIEW_HOST:-127.0.0.1}:${REVIEW_PORT:-8090}/ (create an account: .venv/bin/review add-user NAME --role admin)"
  echo "Rasa API token: var/rasa-api-token (or \$RASA_AUTH_TOKEN)"
fi
# Stop everything when one server exits, so a supervisor or container restarts it.
wait -n
