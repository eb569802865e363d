#!/usr/bin/env bash
# ApplicationStop runs from the *previous* revision: it must succeed even when nothing is running.
set -euo pipefail
pid_file="${APP_ROOT:-/srv/sample-app}/app.pid"
if [ -f "$pid_file" ]; then
  kill "$(cat "$pid_file")" 2>/dev/null || true
  rm -f "$pid_file"
fi
echo "stopped sample-app (deployment ${DEPLOYMENT_ID:-local})"
