#!/usr/bin/env bash
set -euo pipefail
echo "preparing ${APP_ROOT:-/srv/sample-app} for ${APPLICATION_NAME:-sample-app}/${DEPLOYMENT_GROUP_NAME:-local}"
mkdir -p "${APP_ROOT:-/srv/sample-app}"
