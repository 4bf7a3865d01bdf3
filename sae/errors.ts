// Errors of the dictionary layer, each with a stable code (mapped to exit codes in cli/).
import { ThoughtlensError, type ErrorLocation } from '../data/index.js';

/** A dictionary config value is missing, of the wrong type or out of range. */
export class ConfigError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_CONFIG', message, location);
  }
}

/** A checkpoint folder is missing files, or its tensors do not match its config. */
export class CheckpointError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_CHECKPOINT', message, location);
  }
}

/** No tensor backend could be started (or the forced one is not installed). */
export class BackendError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_BACKEND', message);
  }
}
