#!/usr/bin/env bash
set -euo pipefail
. "$(dirname "$0")/lib.sh"
echo "preparing $APP_ROOT for ${APPLICATION_NAME:-sample-app}/${DEPLOYMENT_GROUP_NAME:-?}"
mkdir -p "$APP_ROOT"
