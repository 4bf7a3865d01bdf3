// Errors of the synthetic source. Messages name the field (e.g. `conflicts.lag`); the CLI
// maps each code to an exit code in one place (cli/exitCodes.ts).
import { ThoughtlensError } from '../../data/index.js';

/** A config that cannot be generated. */
export class SyntheticConfigError extends ThoughtlensError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('TL_CONFIG', `synthetic config: '${field}' ${message}`);
    this.field = field;
  }
}

/** The recording was stopped (signal); the run is kept with status `aborted`. */
export class RecordingInterruptedError extends ThoughtlensError {
  constructor(message = 'recording stopped; everything recorded so far is kept (status aborted)') {
    super('TL_INTERRUPTED', message);
  }
}
