#!/usr/bin/env bash
# Passes when Install put the page where the appspec said (under the local instance's fs/ folder).
set -euo pipefail
test -s "$CODEDEPLOY_GATE_INSTANCE_ROOT/srv/self-test/index.html"
echo "ValidateService: the page is in place on $(basename "$(dirname "$CODEDEPLOY_GATE_INSTANCE_ROOT")")"
