import type { AppspecValidation } from '../appspec/index.js';
import { InvalidInputError } from '../errors/index.js';

/** The revision's appspec (or its bundle) has problems the agent or the service would reject. */
export class RevisionInvalidError extends InvalidInputError {
  static override readonly kind: string = 'RevisionInvalidError';
  readonly validation: AppspecValidation;

  constructor(validation: AppspecValidation) {
    const errors = validation.problems.filter((p) => p.severity === 'error').length;
    super(`${validation.file} is not a valid appspec: ${errors} error${errors === 1 ? '' : 's'}`, {
      hint: 'Fix the problems listed above; `codedeploy-gate validate PATH` checks again without packaging.',
    });
    this.validation = validation;
  }
}
