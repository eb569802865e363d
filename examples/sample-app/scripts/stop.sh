#!/usr/bin/env bash
# ApplicationStop runs from the *previous* revision: it must succeed even when nothing is running.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ -f "$APP_ROOT/app.pid" ]; then
  kill "$(cat "$APP_ROOT/app.pid")" 2>/dev/null || true
  rm -f "$APP_ROOT/app.pid" "$APP_ROOT/port"
fi
echo "stopped sample-app (deployment ${DEPLOYMENT_ID:-?})"
