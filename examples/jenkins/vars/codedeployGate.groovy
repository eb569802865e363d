// Shared-library step. Plugins: Pipeline, JUnit, Pipeline Utility Steps (readProperties).
//
//   def result = codedeployGate(application: 'my-app', deploymentGroup: 'prod', revision: 'dist/',
//                               s3Location: 's3://bucket/prefix', args: ['--timeout', '30m'])
//
// Runs the wrapper, publishes the JUnit report and archives the reports whatever the outcome, and
// returns deployment.properties as a map (DEPLOYMENT_ID, STATUS, VERDICT, EXIT_CODE, CONSOLE_URL, ...;
// EXIT_CODE is set even when the gate stopped before writing it, exit 2). A deployment that did not
// succeed fails the step after the reports are published; with `propagate: false` the step returns the
// map instead, so the pipeline can branch on result.EXIT_CODE / result.VERDICT itself (as the `build`
// step's `propagate` does).
//
// Reports go to CODEDEPLOY_GATE_REPORT_DIR (default $WORKSPACE/codedeploy-gate), or `reportDir:`; the
// folder must be inside the workspace for the `junit` step to find it. The wrapper is found at `home:`,
// else CODEDEPLOY_GATE_HOME, else $WORKSPACE/tools/codedeploy-gate/actions/jenkins.
def call(Map config) {
  def home = config.home ?: env.CODEDEPLOY_GATE_HOME ?: "${env.WORKSPACE}/tools/codedeploy-gate/actions/jenkins"
  def reportDir = (config.reportDir ?: env.CODEDEPLOY_GATE_REPORT_DIR ?: "${env.WORKSPACE}/codedeploy-gate").toString()
  // junit and archiveArtifacts take paths relative to the workspace.
  def reports = reportDir.startsWith("${env.WORKSPACE}/") ? reportDir.substring("${env.WORKSPACE}/".length()) : reportDir
  def words = ["${home}/bin/codedeploy-gate-jenkins",
               '--application', config.application,
               '--deployment-group', config.deploymentGroup]
  if (config.revision) words += [config.revision]
  if (config.s3Location) words += ['--s3-location', config.s3Location]
  words += (config.args ?: [])
  // Every word single-quoted for sh, so spaces and quotes in arguments survive.
  def command = words.collect { "'" + it.toString().replace("'", "'\"'\"'") + "'" }.join(' ')
  def status
  try {
    withEnv(["CODEDEPLOY_GATE_REPORT_DIR=${reportDir}"]) {
      status = sh(returnStatus: true, script: command)
    }
  } finally {
    // Also after an abort (the sh step throws then): the reports say what the stop did.
    junit allowEmptyResults: true, testResults: "${reports}/report.xml"
    archiveArtifacts allowEmptyArchive: true, artifacts: "${reports}/*"
  }
  def properties = "${reports}/deployment.properties"
  def result = fileExists(properties) ? readProperties(file: properties) : [:]
  result.EXIT_CODE = status.toString()
  if (status != 0 && config.propagate != false) {
    def why = result.SUMMARY ?: 'exit code ' + status
    error("CodeDeploy gate: ${why} (see ${reports}/report.md)")
  }
  return result
}
