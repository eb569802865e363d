import type {
  ActionExecutionDetail,
  ActionState,
  PipelineExecutionSummary,
  StageState,
} from '@aws-sdk/client-codepipeline';
import type {
  ActionExecutionRecord,
  LocalState,
  PipelineExecutionRecord,
  PipelineRecord,
} from '../../state/index.js';
import { fillUrlTemplate, findActionType } from '../action-types/index.js';
import { maskSecrets } from '../pipelines/index.js';
import { type ActionStatusOf, stageStatus } from './progress.js';

/** A pipeline's executions, newest first. */
export function executionsOf(state: LocalState, pipelineName: string): PipelineExecutionRecord[] {
  return Object.values(state.codePipeline.executions)
    .filter((record) => record.execution.pipelineName === pipelineName)
    .reverse();
}

/** Action executions, newest first, of one pipeline execution or of all of a pipeline's. */
export function actionExecutionsOf(
  state: LocalState,
  pipelineExecutionIds: ReadonlySet<string>,
): ActionExecutionRecord[] {
  return Object.values(state.codePipeline.actionExecutions)
    .filter((record) => pipelineExecutionIds.has(record.detail.pipelineExecutionId ?? ''))
    .reverse();
}

/** ListPipelineExecutions' summary of one execution. */
export function executionSummary(record: PipelineExecutionRecord): PipelineExecutionSummary {
  const { execution } = record;
  return structuredClone({
    pipelineExecutionId: execution.pipelineExecutionId,
    status: execution.status,
    startTime: record.startTime,
    lastUpdateTime: record.lastUpdateTime,
    sourceRevisions: record.sourceRevisions,
    trigger: execution.trigger,
    executionMode: execution.executionMode,
    executionType: execution.executionType,
  });
}

/** ListActionExecutions' view of one action execution: secret configuration values masked. */
export function actionExecutionDetail(
  state: LocalState,
  record: ActionExecutionRecord,
): ActionExecutionDetail {
  const detail = structuredClone(record.detail);
  if (detail.input) {
    const typeId = detail.input.actionTypeId;
    detail.input.configuration = maskSecrets(state, typeId, detail.input.configuration);
    detail.input.resolvedConfiguration = maskSecrets(state, typeId, detail.input.resolvedConfiguration);
  }
  return detail;
}

/**
 * GetPipelineState's stages: each with the latest execution that entered it and, per action, the
 * action's latest run in any execution, its entity URL and (for source actions) the current revision.
 */
export function stageStates(state: LocalState, pipeline: PipelineRecord): StageState[] {
  const executions = executionsOf(state, pipeline.declaration.name ?? '');
  const ids = new Set(executions.map((record) => record.execution.pipelineExecutionId ?? ''));
  const actions = actionExecutionsOf(state, ids);
  const statusIn =
    (pipelineExecutionId: string): ActionStatusOf =>
    (stageName, actionName) =>
      actions.find(
        (record) =>
          record.detail.pipelineExecutionId === pipelineExecutionId &&
          record.detail.stageName === stageName &&
          record.detail.actionName === actionName,
      )?.detail.status;
  return (pipeline.declaration.stages ?? []).map((stage, index) => {
    const entered = executions
      .map((record) => ({
        pipelineExecutionId: record.execution.pipelineExecutionId ?? '',
        status: stageStatus(stage, statusIn(record.execution.pipelineExecutionId ?? '')),
      }))
      .find((execution) => execution.status !== undefined);
    return {
      stageName: stage.name,
      ...(index > 0 ? { inboundTransitionState: { enabled: true } } : {}),
      actionStates: (stage.actions ?? []).map((action): ActionState => {
        const latest = actions.find(
          (record) => record.detail.stageName === stage.name && record.detail.actionName === action.name,
        );
        const type = action.actionTypeId && findActionType(state, action.actionTypeId);
        const entityUrl = fillUrlTemplate(type?.settings?.entityUrlTemplate, {
          configuration: action.configuration,
          properties: type?.actionConfigurationProperties,
        });
        return {
          actionName: action.name,
          ...(latest?.currentRevision ? { currentRevision: structuredClone(latest.currentRevision) } : {}),
          ...(latest ? { latestExecution: actionExecution(latest) } : {}),
          ...(entityUrl ? { entityUrl } : {}),
        };
      }),
      ...(entered?.status
        ? { latestExecution: { pipelineExecutionId: entered.pipelineExecutionId, status: entered.status } }
        : {}),
    };
  });
}

function actionExecution(record: ActionExecutionRecord): NonNullable<ActionState['latestExecution']> {
  const result = record.detail.output?.executionResult;
  return structuredClone({
    actionExecutionId: record.detail.actionExecutionId,
    status: record.detail.status,
    summary: record.summary,
    lastStatusChange: record.lastStatusChange,
    externalExecutionId: result?.externalExecutionId,
    externalExecutionUrl: result?.externalExecutionUrl,
    percentComplete: record.percentComplete,
    errorDetails: result?.errorDetails,
  });
}
