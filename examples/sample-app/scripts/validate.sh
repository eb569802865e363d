#!/usr/bin/env bash
set -euo pipefail
port="${PORT:-8080}"
for _ in $(seq 1 30); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
    echo "sample-app answers on :$port"
    exit 0
  fi
  sleep 1
done
echo "sample-app did not answer on :$port within 30 s" >&2
exit 1
