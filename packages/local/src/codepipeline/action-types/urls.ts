import type { ActionConfigurationProperty } from '@aws-sdk/client-codepipeline';
import { entryOf } from '../../state/index.js';

export interface UrlValues {
  /** The action's configuration in the pipeline. */
  configuration: Record<string, string> | undefined;
  /** The action type's configuration properties. */
  properties: readonly ActionConfigurationProperty[] | undefined;
  /** The id the job worker last reported in executionDetails / failureDetails. */
  externalExecutionId?: string | undefined;
}

/**
 * Fills an action type's URL template the way CodePipeline does: `{Config:Name}` with the action's
 * value of that property (only for properties that are required and not secret, as the service
 * documents; others stay as written) and `{ExternalExecutionId}` with the worker's id. Undefined when
 * there is no template, or it needs an external execution id nobody has reported yet.
 */
export function fillUrlTemplate(template: string | undefined, values: UrlValues): string | undefined {
  if (template === undefined) return undefined;
  if (template.includes('{ExternalExecutionId}') && values.externalExecutionId === undefined)
    return undefined;
  return template.replace(
    /\{(Config:([^}]+)|ExternalExecutionId)\}/g,
    (placeholder, _whole, name?: string) => {
      if (name === undefined) return values.externalExecutionId ?? placeholder;
      const property = values.properties?.find((p) => p.name?.toLowerCase() === name.toLowerCase());
      const value =
        property?.name === undefined ? undefined : entryOf(values.configuration ?? {}, property.name);
      return property?.required && !property.secret && value !== undefined ? value : placeholder;
    },
  );
}
