// Errors of the experiment runner: a bad spec (unknown field or condition, missing seeds, a
// path that does not exist) is reported before anything is written.
import { ThoughtlensError, type ErrorLocation } from '../data/index.js';

export class ExperimentSpecError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_CONFIG', message, location);
  }
}
