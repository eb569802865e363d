#!/usr/bin/env bash
# Long-running processes must detach from the hook's stdout/stderr, or the agent waits for them.
set -euo pipefail
root="${APP_ROOT:-/srv/sample-app}"
nohup node "$root/server.js" >/dev/null 2>&1 </dev/null &
echo $! >"$root/app.pid"
echo "started sample-app as pid $(cat "$root/app.pid")"
