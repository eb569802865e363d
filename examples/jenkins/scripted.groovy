// Scripted pipeline: branch on the gate's exit code instead of failing the build at once.
// 0 succeeded, 1 failed or stopped, 2 invalid input (nothing created), 3 timed out, 4 AWS failure,
// 130/143 interrupted.
//
// Plugins: Pipeline, JUnit (junit), Pipeline: AWS Steps (withAWS). Credentials: an "AWS Credentials"
// entry with the id `aws-deploy`; withAWS(role: ..., roleAccount: ...) assumes a role instead.
node {
  checkout scm
  def gate = "${env.WORKSPACE}/tools/codedeploy-gate/actions/jenkins/bin/codedeploy-gate-jenkins"
  def status
  withAWS(credentials: 'aws-deploy', region: 'eu-west-1') {
    status = sh(returnStatus: true, script: """
      "${gate}" --application my-app --deployment-group staging \\
        --s3-location s3://my-deploy-bucket/my-app/my-app-${env.GIT_COMMIT}.zip \\
        --timeout 20m
    """)
  }
  junit allowEmptyResults: true, testResults: 'codedeploy-gate/report.xml'
  archiveArtifacts allowEmptyArchive: true, artifacts: 'codedeploy-gate/*'
  if (status == 3) {
    unstable('CodeDeploy gate timed out; the deployment was rolled back')
  } else if (status != 0) {
    error("CodeDeploy gate failed with exit code ${status}; see codedeploy-gate/report.md")
  }
}
