export { FaultInjector } from './injector.js';
export {
  decideFault,
  type FaultDecision,
  type FaultRule,
  FaultSpecError,
  parseFaultSpec,
  ruleMatches,
  seededRandom,
  validateFaultRule,
} from './rules.js';
