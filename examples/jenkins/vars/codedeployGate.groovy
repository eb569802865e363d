// Shared-library step: codedeployGate(application: 'my-app', deploymentGroup: 'prod', revision: 'dist/',
//   s3Location: 's3://bucket/prefix', args: ['--timeout', '30m']) — runs the wrapper, records the
// JUnit report and artifacts whatever happens, and returns the deployment.properties as a map.
// Set CODEDEPLOY_GATE_HOME to the actions/jenkins folder on the agent (or a tool installation).
def call(Map config) {
  def home = config.home ?: env.CODEDEPLOY_GATE_HOME ?: "${env.WORKSPACE}/tools/codedeploy-gate/actions/jenkins"
  def words = ["${home}/bin/codedeploy-gate-jenkins",
               '--application', config.application,
               '--deployment-group', config.deploymentGroup]
  if (config.revision) words += [config.revision]
  if (config.s3Location) words += ['--s3-location', config.s3Location]
  words += (config.args ?: [])
  // Every word single-quoted for sh, so spaces and quotes in arguments survive.
  def command = words.collect { "'" + it.toString().replace("'", "'\"'\"'") + "'" }.join(' ')
  try {
    sh command
  } finally {
    junit allowEmptyResults: true, testResults: 'codedeploy-gate/report.xml'
    archiveArtifacts allowEmptyArchive: true, artifacts: 'codedeploy-gate/*'
  }
  return fileExists('codedeploy-gate/deployment.properties') ?
      readProperties(file: 'codedeploy-gate/deployment.properties') : [:]
}
