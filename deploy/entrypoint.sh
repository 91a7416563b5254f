#!/usr/bin/env bash
# Entry point of the one image (deploy/Dockerfile) for every role:
#
#   entrypoint.sh rasa      Rasa server (REST, socket.io, SMS channels; HTTP API with auth)
#   entrypoint.sh actions   action server (content store loaded once at start-up)
#   entrypoint.sh review    staff review app (Flask)
#   entrypoint.sh widget    widget.js and the demo clinic page
#   entrypoint.sh CMD ...   anything else is run as is (e.g. `bash`, `rasa shell`)
#
# Configuration comes only from environment variables (the table in deploy/README.md);
# no secret is written in any committed file. A missing or bad setting stops start-up
# with a message that names the variable. The "rasa" role is `scripts/run.sh rasa`'s
# production path (same preflight checks, same flags) plus --credentials and no .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "deploy/entrypoint.sh: $*" >&2
  exit 64
}

rasa_api_flags() {
  # The Rasa HTTP API can load models and rewrite conversations: never open
  # (CVE-2024-49375). scripts/production_preflight.py has already refused to go on
  # without a token or JWT secret of sufficient length, unless RASA_API=off.
  API_FLAGS=()
  [ "${RASA_API:-on}" = off ] && return 0
  API_FLAGS=(--enable-api)
  [ -z "${RASA_AUTH_TOKEN:-}" ] || API_FLAGS+=(--auth-token "$RASA_AUTH_TOKEN")
  [ -z "${RASA_JWT_SECRET:-}" ] || API_FLAGS+=(--jwt-secret "$RASA_JWT_SECRET" --jwt-method "${RASA_JWT_METHOD:-HS256}")
}

role="${1:-}"
[ -n "$role" ] || fail "no role given: rasa, actions, review, widget, or a command"
shift

case "$role" in
  rasa)
    # The project's production checks (every variable the endpoints file needs, API
    # protection, secret lengths, lock store for several workers), as scripts/run.sh does.
    export RASA_CREDENTIALS="${RASA_CREDENTIALS:-deploy/credentials.production.yml}"
    python -m scripts.production_preflight rasa || fail "the production configuration is incomplete (see above)"
    rasa_api_flags
    endpoints="${RASA_ENDPOINTS:-deploy/endpoints.production.yml}"
    credentials="$RASA_CREDENTIALS"
    model="${RASA_MODEL:-models/assistant.tar.gz}"
    [ -f "$endpoints" ] || fail "RASA_ENDPOINTS: $endpoints does not exist"
    [ -f "$credentials" ] || fail "RASA_CREDENTIALS: $credentials does not exist"
    [ -f "$model" ] || fail "RASA_MODEL: $model does not exist (build the image with TRAIN_MODEL=1 or mount models/)"
    exec rasa run --model "$model" --endpoints "$endpoints" --credentials "$credentials" \
      --interface "${RASA_INTERFACE:-0.0.0.0}" --port "${RASA_PORT:-5005}" \
      "${API_FLAGS[@]}" "$@"
    ;;
  actions)
    exec python -m actions.server --host "${ACTION_SERVER_HOST:-0.0.0.0}" \
      --port "${ACTION_SERVER_PORT:-5055}" --content "${CONTENT_DIR:-content}" "$@"
    ;;
  review)
    exec python -m review serve "$@"
    ;;
  widget)
    [ -n "${PUBLIC_URL:-}" ] || fail "PUBLIC_URL is required: the https:// address of the Rasa server the widget talks to"
    exec python -m scripts.serve_widget --host "${WIDGET_HOST:-0.0.0.0}" --port "${WIDGET_PORT:-8080}" \
      --server-url "$PUBLIC_URL" --quiet "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
