import type {
  ActionDeclaration,
  ActionExecutionStatus,
  StageDeclaration,
  StageExecutionStatus,
} from '@aws-sdk/client-codepipeline';

/** The status of an action in one pipeline execution; undefined when it has not started. */
export type ActionStatusOf = (stageName: string, actionName: string) => ActionExecutionStatus | undefined;

/** What a pipeline execution does next. */
export type Step =
  | { kind: 'run'; stage: StageDeclaration; actions: ActionDeclaration[] }
  | { kind: 'wait' }
  | { kind: 'finish'; status: 'Succeeded' | 'Failed' };

/**
 * Stages run in order; inside a stage, actions run in groups of equal runOrder, lowest first, the
 * actions of a group side by side. A group that ends with a failed action fails the stage and the
 * execution: nothing after it runs. The last group of the last stage succeeding ends the execution.
 */
export function nextStep(stages: readonly StageDeclaration[], statusOf: ActionStatusOf): Step {
  for (const stage of stages) {
    for (const group of runOrderGroups(stage)) {
      const statuses = group.map((action) => statusOf(stage.name ?? '', action.name ?? ''));
      const notStarted = group.filter((_, index) => statuses[index] === undefined);
      if (notStarted.length > 0) return { kind: 'run', stage, actions: notStarted };
      if (statuses.includes('InProgress')) return { kind: 'wait' };
      if (statuses.some((status) => status !== 'Succeeded')) return { kind: 'finish', status: 'Failed' };
    }
  }
  return { kind: 'finish', status: 'Succeeded' };
}

/** A stage's actions grouped by runOrder, lowest first (declaration order inside a group). */
export function runOrderGroups(stage: StageDeclaration): ActionDeclaration[][] {
  const actions = stage.actions ?? [];
  const orders = [...new Set(actions.map((action) => action.runOrder ?? 1))].sort((a, b) => a - b);
  return orders.map((order) => actions.filter((action) => (action.runOrder ?? 1) === order));
}

/**
 * A stage's status in one pipeline execution, from its actions' statuses; undefined when the execution
 * never entered the stage.
 */
export function stageStatus(
  stage: StageDeclaration,
  statusOf: ActionStatusOf,
): StageExecutionStatus | undefined {
  const statuses = (stage.actions ?? []).map((action) => statusOf(stage.name ?? '', action.name ?? ''));
  if (statuses.every((status) => status === undefined)) return undefined;
  if (statuses.includes('InProgress')) return 'InProgress';
  if (statuses.some((status) => status === 'Failed' || status === 'Abandoned')) return 'Failed';
  if (statuses.every((status) => status === 'Succeeded')) return 'Succeeded';
  // Between two runOrder groups.
  return 'InProgress';
}
