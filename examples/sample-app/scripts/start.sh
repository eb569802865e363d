#!/usr/bin/env bash
# Long-running processes must let go of the hook's stdout/stderr, or the agent waits for them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
PORT="$APP_PORT" nohup node "$APP_ROOT/server.js" >"$APP_ROOT/server.log" 2>&1 </dev/null &
echo $! >"$APP_ROOT/app.pid"
echo "started sample-app as pid $(cat "$APP_ROOT/app.pid")"
