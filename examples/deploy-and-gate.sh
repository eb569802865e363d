#!/usr/bin/env bash
# Deploy examples/sample-app through `codedeploy-gate deploy` against the local CodeDeploy, set up
# with the AWS CLI exactly as you would set up AWS: an application, two on-premises instances tagged
# into a deployment group, and a bucket. Then: a gated deployment with reports, a --no-wait one
# followed by `wait`, and `status`. Needs the AWS CLI and a built repo (pnpm install && pnpm build).
set -euo pipefail
cd "$(dirname "$0")/.."
gate() { node packages/cli/bin/codedeploy-gate.js "$@"; }

state="$(mktemp -d)"
# --port 0 picks a free port; --json prints the endpoint once the server listens. Started as node
# itself (not through the function), so that $! is the server and the trap stops it.
node packages/cli/bin/codedeploy-gate.js local serve --port 0 --state-dir "$state" --json \
  >"$state/serve.json" 2>"$state/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q '"endpoint"' "$state/serve.json" 2>/dev/null && grep -q '}' "$state/serve.json" && break; sleep 0.1; done
endpoint="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).endpoint)' "$state/serve.json")"
export AWS_ENDPOINT_URL="$endpoint" AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local

aws s3 mb s3://deploy-bucket >/dev/null
aws deploy create-application --application-name sample-app >/dev/null
for n in 1 2; do
  aws deploy register-on-premises-instance --instance-name "web-$n" \
    --iam-user-arn "arn:aws:iam::111122223333:user/web-$n"
done
aws deploy add-tags-to-on-premises-instances --instance-names web-1 web-2 --tags Key=role,Value=web
aws deploy create-deployment-group --application-name sample-app --deployment-group-name prod \
  --service-role-arn arn:aws:iam::111122223333:role/CodeDeploy \
  --on-premises-instance-tag-filters Key=role,Value=web,Type=KEY_AND_VALUE >/dev/null

# The gate: push, create once, watch, reports. Exit 0 only when the deployment succeeded.
gate deploy examples/sample-app --application sample-app --deployment-group prod \
  --s3-location s3://deploy-bucket/sample-app --timeout 10m --poll-interval 1s \
  --report-junit "$state/reports/deploy.xml" --report-markdown "$state/reports/deploy.md"

# Create without waiting (another job may gate on it), then gate on it by id.
id="$(gate deploy examples/sample-app --application sample-app --deployment-group prod \
  --s3-location s3://deploy-bucket/sample-app --no-wait --json | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).deployment.id))')"
gate wait "$id" --poll-interval 1s
gate status "$id"
echo "reports in $state/reports"
