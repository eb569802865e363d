export { buildDeploymentReport, consoleUrl, failedEvents } from './build.js';
export {
  type DeploymentCounts,
  type DeploymentReport,
  type GateAction,
  type GateReport,
  type LifecycleEventReport,
  REPORT_SCHEMA,
  type TargetReport,
  type TargetType,
  type Verdict,
  type WatchStats,
} from './model.js';
export { renderJsonReport } from './render-json.js';
export { renderJunitReport } from './render-junit.js';
export { renderMarkdownReport } from './render-markdown.js';
export { renderPropertiesReport } from './render-properties.js';
export { PLAIN_TEXT, renderTextDeployment, renderTextReport, type TextStyle } from './render-text.js';
