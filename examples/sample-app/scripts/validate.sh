#!/usr/bin/env bash
# ValidateService gates the deployment: the instance fails unless /health answers within 30 s.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
for _ in $(seq 1 60); do
  if [ -s "$APP_ROOT/port" ]; then
    port="$(cat "$APP_ROOT/port")"
    if node -e "fetch('http://127.0.0.1:$port/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
      echo "sample-app answers on :$port"
      exit 0
    fi
  fi
  sleep 0.5
done
echo "sample-app did not answer /health within 30 s; its log:" >&2
tail -n 20 "$APP_ROOT/server.log" >&2 || true
exit 1
