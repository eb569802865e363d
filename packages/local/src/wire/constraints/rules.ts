/**
 * The input rules of a service's operations, as scripts/gen-constraints.mjs writes them from the
 * service model: one rule tree per operation input, in the model's own terms.
 */
export type Rule =
  | StringRule
  | NumberRule
  | { type: 'boolean' | 'timestamp' | 'blob' }
  | ListRule
  | MapRule
  | StructureRule;

export interface StringRule {
  type: 'string';
  min?: number;
  max?: number;
  pattern?: string;
  enum?: readonly string[];
}

export interface NumberRule {
  type: 'integer' | 'long' | 'double' | 'float';
  min?: number;
  max?: number;
}

export interface ListRule {
  type: 'list';
  min?: number;
  max?: number;
  member: Rule;
}

export interface MapRule {
  type: 'map';
  min?: number;
  max?: number;
  key: Rule;
  value: Rule;
}

export interface StructureRule {
  type: 'structure';
  required?: readonly string[];
  members: Readonly<Record<string, Rule>>;
}

/** Rules by operation name. */
export type InputRules = Readonly<Record<string, Rule>>;
