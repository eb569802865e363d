#!/usr/bin/env bash
# Canary releases of a Lambda function with the local CodeDeploy, no AWS account needed: the local
# server plays Lambda (functions seeded from local-compute.json, run by local runners) and a
# deployment-configuration minute lasts one second, so LambdaCanary10Percent5Minutes takes about 5 s.
#   1. version 2 goes out as a canary: 10 % of the alias, then 100 %; both hook functions pass.
#   2. version 3 answers 500: the pre-traffic hook fails it before any user sees it; exit 1.
# Needs Node.js 20.19+, the AWS CLI and a built repo (pnpm install && pnpm build).
set -euo pipefail
cd "$(dirname "$0")/../.."
gate() { node packages/cli/bin/codedeploy-gate.js "$@"; }

# The hook functions import the AWS SDK, as they would on Lambda (whose Node.js runtimes include it);
# here they need it installed beside them.
[ -d examples/lambda/hooks/node_modules ] ||
  npm install --prefix examples/lambda/hooks --no-audit --no-fund --no-package-lock --loglevel=error

state="$(mktemp -d)"
# Started as node itself (not through the function), so that $! is the server and the trap stops it.
node packages/cli/bin/codedeploy-gate.js local serve --port 0 --state-dir "$state" --minute 1s \
  --compute examples/lambda/local-compute.json --json >"$state/serve.json" 2>"$state/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q '}' "$state/serve.json" 2>/dev/null && break; sleep 0.1; done
endpoint="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).endpoint)' "$state/serve.json")"
export AWS_ENDPOINT_URL="$endpoint" AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local

# As on AWS: a Lambda application and a deployment group with a canary configuration.
aws deploy create-application --application-name orders --compute-platform Lambda >/dev/null
aws deploy create-deployment-group --application-name orders --deployment-group-name live \
  --service-role-arn arn:aws:iam::111122223333:role/CodeDeploy \
  --deployment-config-name CodeDeployDefault.LambdaCanary10Percent5Minutes >/dev/null

release() {
  gate deploy --application orders --deployment-group live \
    --lambda-function orders --lambda-alias live --lambda-version "$1" \
    --hook BeforeAllowTraffic=orders-pre-traffic --hook AfterAllowTraffic=orders-post-traffic \
    --poll-interval 0.5s --report-markdown "$state/reports/release-$1.md"
}

release 2
aws lambda get-alias --function-name orders --name live --query '[Name, FunctionVersion]' --output text

if release 3; then
  echo "version 3 should have been refused by its pre-traffic check" >&2
  exit 1
fi
aws lambda get-alias --function-name orders --name live --query '[Name, FunctionVersion]' --output text
echo "reports in $state/reports; server log in $state/serve.log"
