import type {
  ActionDeclaration,
  ActionType,
  ActionTypeId,
  ArtifactStore,
  ExecutionMode,
  PipelineDeclaration,
  PipelineType,
  StageDeclaration,
} from '@aws-sdk/client-codepipeline';
import { entryOf } from '../../state/index.js';
import { validActionTypeId } from '../action-types/index.js';
import {
  CodePipelineError,
  constraintViolation,
  enumValue,
  optionalInteger,
  optionalString,
  requiredString,
} from '../errors.js';
import { PIPELINE_NAME_RULE } from './lookup.js';

const ROLE_ARN_RULE = { max: 1024, pattern: 'arn:aws(-[\\w]+)*:iam::[0-9]{12}:role/.*' } as const;
const BUCKET_RULE = { min: 3, max: 63, pattern: '[a-zA-Z0-9\\-\\.]+' } as const;
const ARTIFACT_NAME_RULE = { max: 100, pattern: '[a-zA-Z0-9_\\-]+' } as const;
const NAMESPACE_RULE = { max: 100, pattern: '[A-Za-z0-9@\\-_]+' } as const;
const EXECUTION_MODES: readonly ExecutionMode[] = ['QUEUED', 'SUPERSEDED', 'PARALLEL'];
const PIPELINE_TYPES: readonly PipelineType[] = ['V1', 'V2'];
const MIN_STAGES = 2;

/**
 * CreatePipeline's checks, in the service's order: the model's constraints (ValidationException), then
 * the structure (InvalidStructureException, InvalidStageDeclarationException) and each action
 * (InvalidActionDeclarationException). Returns the declaration as the service stores it: version 1,
 * runOrder, artifact lists and execution mode filled in.
 */
export function validatePipeline(
  pipeline: PipelineDeclaration | undefined,
  findType: (id: ActionTypeId) => ActionType | undefined,
): PipelineDeclaration {
  if (!pipeline) throw constraintViolation(pipeline, 'pipeline', 'Member must not be null');
  const name = requiredString(pipeline.name, 'pipeline.name', PIPELINE_NAME_RULE);
  const roleArn = requiredString(pipeline.roleArn, 'pipeline.roleArn', ROLE_ARN_RULE);
  const artifactStore = validArtifactStore(pipeline);
  if (!Array.isArray(pipeline.stages)) {
    throw constraintViolation(pipeline.stages, 'pipeline.stages', 'Member must not be null');
  }
  const stages = pipeline.stages.map((stage, index) =>
    shapeOfStage(stage, `pipeline.stages.${index + 1}.member`),
  );
  checkStructure(stages, findType);
  return {
    name,
    roleArn,
    artifactStore,
    stages,
    version: 1,
    executionMode:
      pipeline.executionMode === undefined
        ? 'SUPERSEDED'
        : enumValue(pipeline.executionMode, 'pipeline.executionMode', EXECUTION_MODES),
    pipelineType:
      pipeline.pipelineType === undefined
        ? 'V1'
        : enumValue(pipeline.pipelineType, 'pipeline.pipelineType', PIPELINE_TYPES),
    ...(pipeline.variables ? { variables: pipeline.variables } : {}),
    ...(pipeline.triggers ? { triggers: pipeline.triggers } : {}),
  };
}

/** One S3 artifact store; cross-region stores (`artifactStores`) are not emulated. */
function validArtifactStore(pipeline: PipelineDeclaration): ArtifactStore {
  if (pipeline.artifactStores !== undefined) {
    throw new CodePipelineError(
      'InvalidStructureException',
      'artifactStores (one artifact store per region, for cross-region actions) is not supported by the local CodePipeline; declare one artifactStore',
    );
  }
  const store = pipeline.artifactStore;
  if (!store) {
    throw new CodePipelineError(
      'InvalidStructureException',
      'The pipeline has no artifact store: declare artifactStore {type: S3, location: <bucket>}',
    );
  }
  const key = store.encryptionKey;
  return {
    type: enumValue(store.type, 'pipeline.artifactStore.type', ['S3'] as const),
    location: requiredString(store.location, 'pipeline.artifactStore.location', BUCKET_RULE),
    ...(key
      ? {
          encryptionKey: {
            id: requiredString(key.id, 'pipeline.artifactStore.encryptionKey.id', { max: 400 }),
            type: enumValue(key.type, 'pipeline.artifactStore.encryptionKey.type', ['KMS'] as const),
          },
        }
      : {}),
  };
}

/** A stage with its actions checked against the model and the defaults filled in. */
function shapeOfStage(stage: StageDeclaration, path: string): StageDeclaration {
  const name = requiredString(stage?.name, `${path}.name`, PIPELINE_NAME_RULE);
  const actions = Array.isArray(stage.actions) ? stage.actions : [];
  return {
    name,
    ...(stage.blockers ? { blockers: stage.blockers } : {}),
    actions: actions.map((action, index) => shapeOfAction(action, `${path}.actions.${index + 1}.member`)),
  };
}

function shapeOfAction(action: ActionDeclaration, path: string): ActionDeclaration {
  const artifacts = (list: { name: string | undefined }[] | undefined, member: string) =>
    (list ?? []).map((artifact, index) => ({
      name: requiredString(artifact?.name, `${path}.${member}.${index + 1}.member.name`, ARTIFACT_NAME_RULE),
    }));
  const namespace = optionalString(action.namespace, `${path}.namespace`, NAMESPACE_RULE);
  return {
    name: requiredString(action.name, `${path}.name`, PIPELINE_NAME_RULE),
    actionTypeId: validActionTypeId(action.actionTypeId, `${path}.actionTypeId`),
    runOrder: optionalInteger(action.runOrder, `${path}.runOrder`, 1, 999) ?? 1,
    configuration: { ...(action.configuration ?? {}) },
    outputArtifacts: artifacts(action.outputArtifacts, 'outputArtifacts'),
    inputArtifacts: artifacts(action.inputArtifacts, 'inputArtifacts'),
    ...(action.roleArn ? { roleArn: action.roleArn } : {}),
    ...(action.region ? { region: action.region } : {}),
    ...(namespace ? { namespace } : {}),
  };
}

function checkStructure(
  stages: StageDeclaration[],
  findType: (id: ActionTypeId) => ActionType | undefined,
): void {
  if (stages.length < MIN_STAGES) {
    throw new CodePipelineError(
      'InvalidStructureException',
      `Pipeline has only ${stages.length} stage(s). There should be a minimum of ${MIN_STAGES} stages in a pipeline`,
    );
  }
  const stageNames = new Set<string>();
  const namespaces = new Set<string>();
  // Artifacts produced by actions that run before the one being checked.
  const produced = new Set<string>();
  stages.forEach((stage, index) => {
    const stageName = stage.name ?? '';
    if (stageNames.has(stageName)) {
      throw new CodePipelineError(
        'InvalidStageDeclarationException',
        `Stage name '${stageName}' is used by more than one stage; stage names must be unique in a pipeline`,
      );
    }
    stageNames.add(stageName);
    const actions = stage.actions ?? [];
    if (actions.length === 0) {
      throw new CodePipelineError(
        'InvalidStageDeclarationException',
        `Stage ${stageName} has no actions. There should be a minimum of 1 action in a stage`,
      );
    }
    const actionNames = new Set<string>();
    for (const action of actions) {
      const actionName = action.name ?? '';
      if (actionNames.has(actionName)) {
        throw new CodePipelineError(
          'InvalidActionDeclarationException',
          `Action name '${actionName}' is used by more than one action in stage '${stageName}'`,
        );
      }
      actionNames.add(actionName);
      checkAction(action, stageName, index === 0, findType);
      if (action.namespace !== undefined) {
        if (namespaces.has(action.namespace)) {
          throw new CodePipelineError(
            'InvalidActionDeclarationException',
            `Namespaces must be unique across the pipeline definition. The following occur more than once in the pipeline. StageName=[${stageName}], ActionName=[${actionName}], Namespace=[${action.namespace}]`,
          );
        }
        namespaces.add(action.namespace);
      }
    }
    checkArtifactFlow(stageName, actions, produced);
  });
}

/** The action's type exists, sits in the right stage, and its configuration and artifact counts fit it. */
function checkAction(
  action: ActionDeclaration,
  stageName: string,
  firstStage: boolean,
  findType: (id: ActionTypeId) => ActionType | undefined,
): void {
  const id = action.actionTypeId!;
  const actionName = action.name ?? '';
  const type = findType(id);
  if (!type) {
    throw new CodePipelineError(
      'InvalidActionDeclarationException',
      `ActionType (Category: '${id.category}', Provider: '${id.provider}', Owner: '${id.owner}', Version: '${id.version}') in action '${actionName}' is not available`,
    );
  }
  const isSource = id.category === 'Source';
  if (firstStage && !isSource) {
    throw new CodePipelineError(
      'InvalidStructureException',
      `Action '${actionName}' in stage '${stageName}' is a ${id.category} action: the first stage of a pipeline may contain only source actions`,
    );
  }
  if (!firstStage && isSource) {
    throw new CodePipelineError(
      'InvalidStructureException',
      `Source action '${actionName}' is in stage '${stageName}': source actions may only be in the first stage of a pipeline`,
    );
  }
  const configuration = action.configuration ?? {};
  const properties = type.actionConfigurationProperties ?? [];
  for (const property of properties) {
    if (property.required && !entryOf(configuration, property.name ?? '')) {
      throw new CodePipelineError(
        'InvalidActionDeclarationException',
        `Action configuration for action '${actionName}' is missing required configuration '${property.name}'`,
      );
    }
  }
  for (const key of Object.keys(configuration)) {
    if (!properties.some((property) => property.name === key)) {
      throw new CodePipelineError(
        'InvalidActionDeclarationException',
        `Action configuration for action '${actionName}' contains unknown configuration '${key}'`,
      );
    }
  }
  checkCount(actionName, 'input', action.inputArtifacts?.length ?? 0, type.inputArtifactDetails);
  checkCount(actionName, 'output', action.outputArtifacts?.length ?? 0, type.outputArtifactDetails);
}

function checkCount(
  actionName: string,
  direction: 'input' | 'output',
  count: number,
  details: ActionType['inputArtifactDetails'],
): void {
  const minimum = details?.minimumCount ?? 0;
  const maximum = details?.maximumCount ?? 0;
  if (count < minimum) {
    throw new CodePipelineError(
      'InvalidActionDeclarationException',
      `Action ${actionName} declares ${count} ${direction} artifacts which is less than the minimum count (${minimum})`,
    );
  }
  if (count > maximum) {
    throw new CodePipelineError(
      'InvalidActionDeclarationException',
      `Action ${actionName} declares ${count} ${direction} artifacts which is more than the maximum count (${maximum})`,
    );
  }
}

/**
 * "Every output artifact in the pipeline must have a unique name. Every input artifact for an action
 * must match the output artifact of an action earlier in the pipeline": earlier stages, or a lower
 * runOrder in the same stage (actions with the same runOrder run side by side).
 */
function checkArtifactFlow(stageName: string, actions: ActionDeclaration[], produced: Set<string>): void {
  const runOrders = [...new Set(actions.map((action) => action.runOrder ?? 1))].sort((a, b) => a - b);
  for (const runOrder of runOrders) {
    const group = actions.filter((action) => (action.runOrder ?? 1) === runOrder);
    for (const action of group) {
      for (const input of action.inputArtifacts ?? []) {
        if (!produced.has(input.name ?? '')) {
          throw new CodePipelineError(
            'InvalidStructureException',
            `Input artifact '${input.name}' of action '${action.name}' in stage '${stageName}' is not the output artifact of any action that runs before it`,
          );
        }
      }
    }
    for (const action of group) {
      for (const output of action.outputArtifacts ?? []) {
        if (produced.has(output.name ?? '')) {
          throw new CodePipelineError(
            'InvalidStructureException',
            `Output artifact name '${output.name}' is declared by more than one action; output artifact names must be unique in a pipeline`,
          );
        }
        produced.add(output.name ?? '');
      }
    }
  }
}
