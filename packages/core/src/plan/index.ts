export { groupSelectsInstance, groupTagsMatch, tagFilterMatches } from './instance-selection.js';
export { type HealthPlan, planHealth } from './minimum-healthy.js';
export type {
  AppspecChange,
  DeploymentPlan,
  FileChange,
  FileChanges,
  InstanceStanding,
  LiveRevision,
  OfflineInstance,
  PlanFinding,
  PlannedRevision,
  PlannedTarget,
  Rollout,
} from './model.js';
export { PLAN_SCHEMA } from './model.js';
export type { PlanOptions } from './plan.js';
export { planDeployment } from './plan-entry.js';
export { type PlanFiles, renderJsonPlan, writePlanFiles } from './plan-files.js';
export { renderMarkdownPlan } from './render-markdown.js';
export { planVerdict, renderTextPlan } from './render-text.js';
