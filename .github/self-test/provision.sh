#!/usr/bin/env bash
# Creates what the self-test deploys to on the local CodeDeploy (AWS_ENDPOINT_URL): a bucket, an
# application, two on-premises instances tagged env=self-test and a deployment group selecting them.
# The same calls a real account needs, through the AWS CLI the runner has.
set -euo pipefail
aws s3api create-bucket --bucket self-test-revisions >/dev/null
aws deploy create-application --application-name self-test --compute-platform Server >/dev/null
for name in self-test-1 self-test-2; do
  aws deploy register-on-premises-instance --instance-name "$name" \
    --iam-user-arn "arn:aws:iam::111122223333:user/$name"
done
aws deploy add-tags-to-on-premises-instances --instance-names self-test-1 self-test-2 \
  --tags Key=env,Value=self-test
aws deploy create-deployment-group --application-name self-test --deployment-group-name ci \
  --service-role-arn arn:aws:iam::111122223333:role/CodeDeployServiceRole \
  --deployment-config-name CodeDeployDefault.OneAtATime \
  --on-premises-instance-tag-filters Key=env,Value=self-test,Type=KEY_AND_VALUE >/dev/null
aws deploy list-deployment-groups --application-name self-test
