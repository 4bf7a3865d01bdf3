// Errors of conflict detection (codes map to exit codes in cli/exitCodes.ts).
import { ThoughtlensError, type ErrorLocation } from '../data/index.js';

/** A detector option or event rule is invalid. */
export class DetectorConfigError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_CONFIG', message, location);
  }
}

/** A stored detector file cannot be read (wrong schema, version or shapes). */
export class DetectorFormatError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_FORMAT', message, location);
  }
}

/** The data cannot support the request (no events to learn from, too few steps to calibrate). */
export class DetectorDataError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_BAD_VALUE', message, location);
  }
}
