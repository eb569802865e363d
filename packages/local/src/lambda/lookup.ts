import type { AliasConfiguration } from '@aws-sdk/client-lambda';
import type { LambdaFunctionRecord, LambdaVersionRecord } from '../state/index.js';
import type { LambdaContext } from './context.js';
import { functionNotFound, resourceNotFound } from './errors.js';
import { type FunctionReference, functionArn, type LambdaScope } from './names.js';

/** The function a reference names; ResourceNotFoundException with its ARN when there is none. */
export function functionRecord(context: LambdaContext, reference: FunctionReference): LambdaFunctionRecord {
  const fn = reference.foreign ? undefined : context.store.state.lambda.functions[reference.name];
  if (!fn) throw functionNotFound(reference.foreign ?? functionArn(context, reference.name));
  return fn;
}

/** One version of a function as a qualifier picks it: $LATEST, a version number, or an alias. */
export interface ResolvedVersion {
  record: LambdaVersionRecord;
  /** `$LATEST` or the version number. */
  version: string;
  /** The alias the qualifier named, if it named one. */
  alias?: AliasConfiguration;
}

/**
 * Resolves a qualifier (undefined: $LATEST). An alias resolves to the version it points to; which
 * version an invocation runs when the alias splits traffic is {@link pickRoutedVersion}'s business.
 */
export function resolveQualifier(
  scope: LambdaScope,
  fn: LambdaFunctionRecord,
  qualifier: string | undefined,
): ResolvedVersion {
  const name = fn.latest.configuration.FunctionName ?? '';
  if (qualifier === undefined || qualifier === '$LATEST') return { record: fn.latest, version: '$LATEST' };
  const version = fn.versions[qualifier];
  if (version) return { record: version, version: qualifier };
  const alias = fn.aliases[qualifier];
  const target = alias?.FunctionVersion;
  const record = target === '$LATEST' ? fn.latest : target === undefined ? undefined : fn.versions[target];
  if (!alias || !record || target === undefined) throw functionNotFound(functionArn(scope, name, qualifier));
  return { record, version: target, alias };
}

/** The alias by name; ResourceNotFoundException "Alias not found: ARN" when there is none. */
export function aliasRecord(scope: LambdaScope, fn: LambdaFunctionRecord, alias: string): AliasConfiguration {
  const found = fn.aliases[alias];
  if (!found) {
    throw resourceNotFound(
      `Alias not found: ${functionArn(scope, fn.latest.configuration.FunctionName ?? '', alias)}`,
    );
  }
  return found;
}

/**
 * The version an invocation through an alias runs: each additional version with its weight, the
 * primary version with the rest, as Lambda's weighted aliases route.
 */
export function pickRoutedVersion(alias: AliasConfiguration, random: () => number = Math.random): string {
  const primary = alias.FunctionVersion ?? '$LATEST';
  let draw = random();
  for (const [version, weight] of Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})) {
    if (draw < weight) return version;
    draw -= weight;
  }
  return primary;
}
