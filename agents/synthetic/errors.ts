// Errors of the synthetic source: a config that cannot be generated. The message names the
// field (e.g. `conflicts.lag`), the CLI maps the code to the usage exit code.
import { ThoughtlensError } from '../../data/index.js';

export class SyntheticConfigError extends ThoughtlensError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('TL_CONFIG', `synthetic config: '${field}' ${message}`);
    this.field = field;
  }
}
