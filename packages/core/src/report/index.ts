export { buildDeploymentReport, consoleUrl, failedEvents, type ReportContext } from './build.js';
export { colourWanted } from './colour.js';
export { maskedNote, trafficSummary } from './format.js';
export { ReportMasking } from './masking.js';
export {
  type DeploymentCounts,
  type DeploymentReport,
  type EcsRevisionReport,
  type GateAction,
  type GateReport,
  type LambdaRevisionReport,
  type LifecycleEventReport,
  REPORT_SCHEMA,
  type TargetReport,
  type TargetType,
  type TrafficShift,
  type Verdict,
  type WatchStats,
} from './model.js';
export { renderJsonReport } from './render-json.js';
export { renderJunitReport } from './render-junit.js';
export { renderMarkdownReport } from './render-markdown.js';
export { renderPropertiesReport } from './render-properties.js';
export { PLAIN_TEXT, renderTextDeployment, renderTextReport, type TextStyle } from './render-text.js';
export {
  checkReportFiles,
  type ReportFileNames,
  type ReportFiles,
  writeReportFiles,
} from './report-files.js';
export { routingText, trafficShiftOf, trafficShiftText, trafficSteps, weightPercent } from './traffic.js';
