#!/usr/bin/env bash
# Runs the portal in sandbox mode: moto_server (a local AWS emulator) on a loopback port and
# the portal pointed at it through AWS_ENDPOINT_URL. Ctrl-C (or SIGTERM) stops both.
#
#   PORTAL_BIN   the ecs-portal binary                 (default target/release/ecs-portal)
#   PORT         portal port on 127.0.0.1              (default 3000)
#   MOTO_PORT    emulator port on 127.0.0.1            (default 4566)
#   SANDBOX_DB   SQLite file, created on first start   (default ecs-portal.db)
#   SITE_ROOT    compiled browser bundle               (default target/site)
#   DEMO_PASSWORD  password of the demo users developer/manager/admin (random when unset)
set -euo pipefail
cd "$(dirname "$0")/.."

PORTAL_BIN=${PORTAL_BIN:-target/release/ecs-portal}
PORT=${PORT:-3000}
MOTO_PORT=${MOTO_PORT:-4566}
SANDBOX_DB=${SANDBOX_DB:-ecs-portal.db}
SITE_ROOT=${SITE_ROOT:-target/site}
MOTO=${MOTO_SERVER:-.venv/bin/moto_server}

for f in "$PORTAL_BIN" "$MOTO"; do
  [ -x "$f" ] || { echo "sandbox: $f is missing; run 'make run'" >&2; exit 1; }
done

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_ECS_SERVICE_RUNNING=${MOTO_ECS_SERVICE_RUNNING:-2} \
  "$MOTO" -H 127.0.0.1 -p "$MOTO_PORT" >"${MOTO_LOG:-/dev/null}" 2>&1 &
pids+=($!)

for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "http://127.0.0.1:$MOTO_PORT/moto-api/" 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "sandbox: moto_server did not start (port $MOTO_PORT in use?)" >&2; exit 1; }
  sleep 0.1
done
echo "sandbox: AWS emulator on http://127.0.0.1:$MOTO_PORT"
echo "         try: aws ecs list-clusters --endpoint-url http://127.0.0.1:$MOTO_PORT --region us-east-1"

# The emulator accepts any credentials; these never leave this machine.
AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox AWS_REGION=${AWS_REGION:-us-east-1} \
AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" \
LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT="$SITE_ROOT" DATABASE_URL="$SANDBOX_DB" \
  "$PORTAL_BIN" serve --demo-users &
pids+=($!)
echo "sandbox: portal on http://127.0.0.1:$PORT (Ctrl-C stops both)"

# Whichever stops first takes the other down with it.
wait -n "${pids[@]}"
