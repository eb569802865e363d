/**
 * Values the local server sends that the model does not list, and why each is right. Every entry
 * names its source; an entry without one does not belong here (fix the server instead).
 */
export interface AllowedValue {
  /** The d.ts enum type the value is checked against. */
  type: string;
  value: string;
  source: string;
}

export const ALLOWED_ENUM_VALUES: readonly AllowedValue[] = [
  {
    type: 'MinimumHealthyHostsType',
    value: 'MOST_CONCURRENCY',
    source:
      'CodeDeploy API reference, MinimumHealthyHosts: "In a call to the GetDeploymentConfig, CodeDeployDefault.OneAtATime returns a minimum healthy instance type of MOST_CONCURRENCY and a value of 1" (the enum lists only HOST_COUNT and FLEET_PERCENT)',
  },
];

export function isAllowedEnumValue(type: string, value: string): boolean {
  return ALLOWED_ENUM_VALUES.some((allowed) => allowed.type === type && allowed.value === value);
}
